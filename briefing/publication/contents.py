"""The ``<!-- contents -->`` shortcode: a list of the briefing's chapters, from the nav.

The chapters are numbered; back matter (the page holding the full bibliography, which the
citation hook finds) follows them unnumbered, so References never reads as a chapter.

Events: ``on_nav`` (keeps the nav of this build; runs after the citation hook's, at 100, has
found the bibliography page), ``on_page_markdown`` (expands the shortcode into Markdown links,
which MkDocs then validates). Default priority.
"""

from __future__ import annotations

import html
import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from briefing.citations import notes as _notes

SHORTCODE = re.compile(r"^<!--\s*contents\s*-->[ \t]*$", re.M)
_pages: list[tuple[str, str]] = []  # (title, src_uri) of the nav's pages, this build
_back_matter: set[str] = set()  # src_uri of the pages listed after the chapters, unnumbered


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    _pages.clear()
    _pages.extend((page.title, page.file.src_uri) for page in nav.pages)
    _back_matter.clear()
    if _notes.current.bibliography_page:
        _back_matter.add(_notes.current.bibliography_page)
    return nav


def markdown_text(text: str) -> str:
    """`text` as Markdown that shows it as written (a title from mkdocs.yml is text, not HTML
    or Markdown)."""
    return re.sub(r"([\\`*_\[\]])", r"\\\1", html.escape(text, quote=False))


def contents_list(pages: list[tuple[str, str]], current: str, back_matter: set[str] | frozenset = frozenset()) -> str:
    """Markdown links to every page but the current one and the home page: the chapters as a
    numbered list, then each page of ``back_matter`` as a paragraph of class ``contents-back``."""
    listed = [(markdown_text(title), src) for title, src in pages if src != current and src != "index.md"]
    chapters = [f"1. [{title}]({get_relative_url(src, current)})" for title, src in listed if src not in back_matter]
    back = [f"[{title}]({get_relative_url(src, current)})\n{{: .contents-back }}"
            for title, src in listed if src in back_matter]
    return "\n\n".join(["\n".join(chapters), *back] if chapters else back)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not SHORTCODE.search(markdown):
        return markdown
    return SHORTCODE.sub(lambda _: contents_list(_pages, page.file.src_uri, _back_matter), markdown)
