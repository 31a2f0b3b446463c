"""The ``<!-- contents -->`` shortcode: a list of the briefing's chapters, from the nav.

Events: ``on_nav`` (keeps the nav of this build), ``on_page_markdown`` (expands the
shortcode into Markdown links, which MkDocs then validates). Default priority.
"""

from __future__ import annotations

import html
import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

SHORTCODE = re.compile(r"^<!--\s*contents\s*-->[ \t]*$", re.M)
_pages: list[tuple[str, str]] = []  # (title, src_uri) of the nav's pages, this build


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    _pages.clear()
    _pages.extend((page.title, page.file.src_uri) for page in nav.pages)
    return nav


def markdown_text(text: str) -> str:
    """`text` as Markdown that shows it as written (a title from mkdocs.yml is text, not HTML
    or Markdown)."""
    return re.sub(r"([\\`*_\[\]])", r"\\\1", html.escape(text, quote=False))


def contents_list(pages: list[tuple[str, str]], current: str) -> str:
    """A numbered Markdown list of links to every page but the current one and the home page."""
    items = [
        f"1. [{markdown_text(title)}]({get_relative_url(src, current)})"
        for title, src in pages
        if src != current and src != "index.md"
    ]
    return "\n".join(items)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not SHORTCODE.search(markdown):
        return markdown
    return SHORTCODE.sub(lambda _: contents_list(_pages, page.file.src_uri), markdown)
