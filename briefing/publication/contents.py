"""The ``<!-- contents -->`` shortcode: a list of a note's chapters, in reading order.

The chapters are numbered; back matter (the note's References, which the citations find)
follows them unnumbered, so References never reads as a chapter. A page's title is its nav
title, else its first heading (MkDocs knows neither before it reads the page).

Events: ``on_nav`` (each note's pages and titles; runs after the citations', at 100, have
found the bibliography page). The shortcode (``contents``) becomes Markdown links, which
MkDocs then validates. Default priority.
"""

from __future__ import annotations

import html
import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from briefing.build import of as build_of
from briefing.common import mkdocs_internals
from briefing.common.shortcodes import Expansion, Shortcode


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    titles = {page.file.src_uri: page.title for page in nav.pages}
    for note in build_of(config).notes.values():
        note.contents = [(titles[src] or mkdocs_internals.markdown_title(files.get_file_from_path(src).content_string)
                          or src, src) for src in note.pages if src in titles]
        note.back_matter = {note.citations.bibliography_page} if note.citations.bibliography_page else set()
    return nav


def markdown_text(text: str) -> str:
    """`text` as Markdown that shows it as written (a title from mkdocs.yml is text, not HTML
    or Markdown)."""
    return re.sub(r"([\\`*_\[\]])", r"\\\1", html.escape(text, quote=False))


def contents_list(pages: list[tuple[str, str]], current: str, back_matter: set[str] | frozenset = frozenset(),
                  home: str = "index.md") -> str:
    """Markdown links to every page but the current one and the note's own (``home``): the
    chapters as a numbered list, then each page of ``back_matter`` as a paragraph of class
    ``contents-back``."""
    listed = [(markdown_text(title), src) for title, src in pages if src != current and src != home]
    chapters = [f"1. [{title}]({get_relative_url(src, current)})" for title, src in listed if src not in back_matter]
    back = [f"[{title}]({get_relative_url(src, current)})\n{{: .contents-back }}"
            for title, src in listed if src in back_matter]
    return "\n\n".join(["\n".join(chapters), *back] if chapters else back)


def contents(code: Shortcode, expansion: Expansion, page: Page, config: MkDocsConfig) -> str:
    """``<!-- contents -->``: the page's note's chapters."""
    note = build_of(config).note_of(page.file.src_uri)
    return contents_list(note.contents, page.file.src_uri, note.back_matter, note.home or "index.md")
