"""One build's state: the ``Build`` object, made anew at the start of every build (the
plugin's first ``on_config``), so nothing of an earlier build (``mkdocs serve`` rebuilds,
tests in one process) survives into the next.

Everything a concern knows of a build is here, and only here: each concern reads and writes
its own part (``build.citations``, ``build.links``...), and what belongs to one note is on that
note's ``NoteBuild`` (``build.note_of(src_uri)``): its record, its notes numbered from 1, its
key figures, its timeline and charts, its contents list, its print edition. Pages that belong to no note (a series'
home and author pages, or every page of a site of plain pages) share the scope ``""``.

The children the build starts (pandoc) are its own: ``close()`` stops whatever still runs when
the build fails (``on_build_error``) or the process ends (``on_shutdown``) and returns their errors.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from mkdocs.config.defaults import MkDocsConfig

from briefing.citations.notes import SiteNotes
from briefing.common.options import PLUGIN
from briefing.common.theme import ThemeEnv
from briefing.key_figures.figures import FiguresState
from briefing.pictures.state import NotePictures

if TYPE_CHECKING:
    from mkdocs.structure.files import Files

    from briefing.common.serve import WarningLog
    from briefing.config import BriefingConfig
    from briefing.links.config import LinksConfig
    from briefing.publication.record import Publication, Series
    from briefing.series.notes import Catalogue
    from briefing.series.record import NoteRecord

SITE = ""  # the scope of the pages that belong to no note


class Child(Protocol):
    def stop(self) -> str | None: ...


@dataclass
class Section:
    """One page of a note's print edition: its rendered content, as the last hook left it."""

    src_uri: str
    url: str  # the page's URL in the site ("" for the site's home page, "note/chapter/")
    title: str
    html: str


@dataclass
class NoteBuild:
    """What one build knows of one note (or, for ``key == SITE``, of the pages outside any)."""

    key: str  # the note's folder; SITE for the pages of no note
    record: NoteRecord | None = None  # its record (index.md's front matter), in a series
    publication: Publication | None = None  # the forms every output needs (from the record)
    pages: list[str] = field(default_factory=list)  # src_uri of its pages, in reading order
    citations: SiteNotes = field(default_factory=SiteNotes)  # its notes, numbered from 1
    figures: FiguresState = field(default_factory=FiguresState)  # its key figures
    contents: list[tuple[str, str]] = field(default_factory=list)  # (title, src_uri) for its contents list
    back_matter: set[str] = field(default_factory=set)  # pages its contents list gives after the chapters
    sections: dict[str, Section] = field(default_factory=dict)  # src_uri -> the page, until its edition is written
    edition: Path | None = None  # its print edition, once written (after its last page, else post_build)
    abstract: str = ""  # its abstract as text (the series' home page, the feed, the meta description)
    pictures: NotePictures = field(default_factory=NotePictures)  # its timeline, charts, data downloads

    @property
    def home(self) -> str | None:
        """src_uri of its own page (index.md), in a series."""
        return self.record.index if self.record is not None else None


@dataclass
class CitationsState:
    """The citation layer's site-wide part (the notes themselves are each note's)."""

    entry_where: dict[str, tuple[Path, int]] = field(default_factory=dict)  # lower-cased key -> (.bib file, line)
    found: dict[str, list] = field(default_factory=dict)  # src_uri -> citations, as found in on_nav
    paths: dict[str, str] = field(default_factory=dict)  # src_uri -> path shown in messages
    files: Files | None = None  # this build's files (on_nav), for links between pages
    in_code: dict[tuple, set[int]] = field(default_factory=dict)  # (markdown, spans) -> spans rendered as code
    cache_keys: set[str] = field(default_factory=set)  # pandoc results this build used (the cache keeps those)
    gate: threading.Semaphore | None = None  # how many pandoc processes run at once (citations.pandoc.gate)
    urls: dict[str, str] | None = None  # lower-cased key -> its entry's url ("" for none): render.entry_urls


@dataclass
class LinksState:
    options: LinksConfig | None = None
    names: dict[str, str] = field(default_factory=dict)  # site path of each page -> its Markdown source
    unparsable: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, url, error) of the page converted
    written: Any = None  # briefing.links.written.WrittenScans: the scans of the pages written


@dataclass
class SeriesBuild:
    """A series' site: its record, its notes (newest first) and what the build makes for it."""

    record: Series
    catalogue: Catalogue
    generated: dict[str, str] = field(default_factory=dict)  # src_uri -> what the build made it for
    authors: dict[str, Any] = field(default_factory=dict)  # author slug -> (Author, [folders]) (series.notes)
    moved: dict[str, str] = field(default_factory=dict)  # old site path -> new, checked


@dataclass
class Build:
    config: MkDocsConfig
    options: BriefingConfig
    serving: bool = False  # this build is one of `mkdocs serve`'s
    children: list[Child] = field(default_factory=list)  # what this build holds: pandoc, the build lock
    warnings: WarningLog | None = None  # under `mkdocs serve`: this build's warnings, for the pages
    theme: ThemeEnv = field(init=False)  # the theme's Jinja environment, one for the build
    stylesheet: tuple[str, str] | None = None  # the generator's one style sheet: its site path and text (on_config)
    series: SeriesBuild | None = None  # a series' site (briefing.series); None for plain pages
    notes: dict[str, NoteBuild] = field(default_factory=dict)  # scope -> its state, SITE first
    citations: CitationsState = field(default_factory=CitationsState)
    links: LinksState = field(default_factory=LinksState)
    markdown: Any = None  # briefing.common.markdown_cache.Kept: the conversions kept between builds (on_files)
    worker: Any = None  # briefing.common.worker.Worker: the build's one background process (on_files)
    split: Any = None  # briefing.common.page_split.Split: the second renderer of the pages (on_env), or None

    def __post_init__(self):
        self.theme = ThemeEnv(self.config)
        self.notes[SITE] = NoteBuild(SITE)

    def note(self, key: str) -> NoteBuild:
        """The state of the note whose folder is ``key`` (made on first use)."""
        if key not in self.notes:
            self.notes[key] = NoteBuild(key)
        return self.notes[key]

    def scope_of(self, src_uri: str) -> str:
        """The note a page belongs to: its top folder when that is a note's, else SITE."""
        folder = src_uri.split("/", 1)[0] if "/" in src_uri else SITE
        return folder if folder in self.notes and self.notes[folder].record is not None else SITE

    def note_of(self, src_uri: str) -> NoteBuild:
        return self.notes[self.scope_of(src_uri)]

    def in_refused_note(self, src_uri: str) -> bool:
        """The page is in a note's folder whose record was refused: its problems are said once,
        at the record, not again by each part of the note that needs it."""
        folder = src_uri.split("/", 1)[0] if "/" in src_uri else None
        return self.series is not None and folder in self.series.catalogue.unreadable

    def own(self, child: Child) -> Child:
        """Make ``child`` this build's: stopped by ``close``."""
        self.children.append(child)
        return child

    def close(self) -> list[str]:
        """Stop every child still running; the errors of those that had failed."""
        errors = [error for child in self.children if (error := child.stop())]
        self.children.clear()
        return errors


def of(config: MkDocsConfig) -> Build:
    """The build of ``config`` (made by the plugin in ``on_config``)."""
    build = getattr(config.plugins[PLUGIN], "build", None)
    if build is None or build.config is not config:
        raise RuntimeError("briefing: no build for this configuration (the plugin's on_config has not run)")
    return build
