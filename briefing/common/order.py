"""Reading order and source labels: what several concerns need, once.

- ``reading_order``: the pages as a reader meets them: the nav's, then pages outside it by
  path. Notes are numbered in this order, the key figures listed, the print edition assembled.
- ``assign_pages``: each note's pages in that order (``NoteBuild.pages``), pages of no note in
  the scope of their own.
- ``source_label``: a page's Markdown source as messages name it (``docs/chapter.md``), so that
  ``label:line`` points an author at the line to fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation

if TYPE_CHECKING:
    from briefing.build import Build


def reading_order(nav: Navigation, files: Files) -> list[File]:
    """The nav's pages in order, then every other page of the site by its path."""
    in_nav = [page.file for page in nav.pages]
    seen = {file.src_uri for file in in_nav}
    return in_nav + sorted((f for f in files.documentation_pages() if f.src_uri not in seen), key=lambda f: f.src_uri)


def assign_pages(build: Build, nav: Navigation, files: Files) -> None:
    """Each note's pages (and the pages of no note) in reading order."""
    for note in build.notes.values():
        note.pages = []
    for file in reading_order(nav, files):
        build.note_of(file.src_uri).pages.append(file.src_uri)


def source_label(config: MkDocsConfig, src_uri: str) -> str:
    """``docs/<src_uri>``: the docs folder's name and the page's path in it."""
    return f"{Path(config.docs_dir).name}/{src_uri}"
