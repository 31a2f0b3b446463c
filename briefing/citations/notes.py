"""One note's notes (``SiteNotes``, on the note's ``NoteBuild``): numbers, pages, sources and
short forms.

Filled by ``briefing.citations.render`` in ``on_nav`` and read by the concerns that run after it
(callouts, print edition). Numbers, pages and sources are there at once; the texts
(``Note.html``, ``short_forms``, ``bibliography``) come from pandoc, which runs while MkDocs
converts the pages: ``wait()`` (which ``short_forms`` and ``bibliography`` call) blocks until
they are in. Each build makes its own (``briefing.build``), so ``mkdocs serve`` never shows
numbers of an earlier build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from briefing.citations import library as _citelib

# A placeholder for a source's short form, for HTML made before pandoc is done: the source's
# index in SiteNotes._token_keys between these private-use delimiters.
_OPEN, _CLOSE = "\ue003", "\ue004"


def href(target_src: str, fragment: str, page: Page, files: Files) -> str:
    """The link from `page` to `#fragment` of the page whose source is `target_src`."""
    if target_src == page.file.src_uri:
        return f"#{fragment}"
    target = files.get_file_from_path(target_src)
    return f"{relative_url(target.url, page.file.url)}#{fragment}"


@lru_cache(maxsize=1024)
def relative_url(url: str, from_url: str) -> str:
    """MkDocs' get_relative_url, once per pair: a page's notes link to the same few pages (its
    References, the chapters holding full notes) over and over."""
    return get_relative_url(url, from_url)


@dataclass
class Note:
    number: int
    page: str  # src_uri of the page holding the note
    keys: list[str]
    line: int  # line of the citation in the page's Markdown
    site: SiteNotes | None = field(default=None, repr=False, compare=False)  # whose wait() gives the text
    _html: str | None = field(default=None, repr=False)

    @property
    def html(self) -> str:
        """The cleaned note text; before pandoc is done, waits for it (PluginError with
        pandoc's message when it failed): never an empty text in the meantime."""
        if self._html is None and self.site is not None:
            self.site.wait()
        if self._html is None:
            raise RuntimeError(f"note {self.number}: no text (its site's notes were never rendered)")
        return self._html


@dataclass
class SiteNotes:
    notes: list[Note] = field(default_factory=list)
    bibliography_page: str | None = None  # src_uri of the page with the full bibliography
    _short_forms: dict[str, str] = field(default_factory=dict, repr=False)  # key -> short note HTML
    _bibliography: dict[str, str] = field(default_factory=dict, repr=False)  # key -> entry HTML, style order
    _pending: Callable[[], None] | None = field(default=None, repr=False)
    _error: Exception | None = field(default=None, repr=False)
    _token_keys: list[str] = field(default_factory=list, repr=False)

    def short_form_token(self, key: str) -> str:
        """A placeholder for the short form of `key`'s source, to use in HTML made before
        pandoc is done; replace_short_form_tokens() puts the short forms in later."""
        if key not in self._token_keys:
            self._token_keys.append(key)
        return _citelib.numbered_token(self._token_keys.index(key), _OPEN, _CLOSE)

    def replace_short_form_tokens(self, html: str, render: Callable[[str, str | None], str]) -> str:
        """Each placeholder replaced by render(key, short form HTML or None); waits for pandoc
        only when there is a placeholder."""

        def one(index: int) -> str:
            key = self._token_keys[index]
            return render(key, self.short_forms.get(key))

        return _citelib.replace_numbered_tokens(html, _OPEN, _CLOSE, one)

    def add(self, number: int, page: str, keys: list[str], line: int) -> Note:
        """A new note of this site (its text comes with ``fill``)."""
        note = Note(number, page, keys, line, site=self)
        self.notes.append(note)
        return note

    def fill(self, texts: list[str], short_forms: dict[str, str], bibliography: dict[str, str]) -> None:
        """The rendered texts: one per note in order, each cited source's short form, the
        bibliography's entries (the citation layer calls it once pandoc is done)."""
        for note, text in zip(self.notes, texts, strict=True):
            note._html = text
        self._short_forms = dict(short_forms)
        self._bibliography = dict(bibliography)

    def when_rendered(self, fill: Callable[[], None]) -> None:
        """`fill` blocks until pandoc is done and puts the texts in; wait() calls it once."""
        self._pending = fill

    def wait(self) -> None:
        """Block until the texts are in; raises (again, to every later caller) what made
        rendering them fail."""
        if self._error is not None:
            raise self._error
        fill, self._pending = self._pending, None
        if fill is not None:
            try:
                fill()
            except Exception as error:
                self._error = error
                raise

    @property
    def short_forms(self) -> dict[str, str]:
        self.wait()
        return self._short_forms

    @property
    def bibliography(self) -> dict[str, str]:
        self.wait()
        return self._bibliography

    _by_page: dict[str, list[Note]] = field(default_factory=dict, repr=False)
    _by_key: dict[str, list[Note]] = field(default_factory=dict, repr=False)

    def index(self) -> None:
        """Build the look-ups below once all notes are in (the citation hook calls it)."""
        self._by_page, self._by_key = {}, {}
        for note in self.notes:
            self._by_page.setdefault(note.page, []).append(note)
            for key in dict.fromkeys(note.keys):
                self._by_key.setdefault(key, []).append(note)

    def on_page(self, src_uri: str) -> list[Note]:
        return self._by_page.get(src_uri, [])

    def citing(self, key: str) -> list[Note]:
        return self._by_key.get(key, [])

    def first_note(self, key: str) -> Note | None:
        notes = self.citing(key)
        return notes[0] if notes else None
