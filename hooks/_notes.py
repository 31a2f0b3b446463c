"""The notes of the site being built: numbers, pages, sources and short forms.

Filled by ``citations.py`` in ``on_nav`` and read by the hooks that run after it (callouts,
print edition). Numbers, pages and sources are there at once; the texts (``Note.html``,
``short_forms``, ``bibliography``) come from pandoc, which runs while MkDocs converts the
pages: ``wait()`` (which ``short_forms`` and ``bibliography`` call) blocks until they are in.
``reset()`` is called at the start of every build, so ``mkdocs serve`` never shows numbers
of an earlier build.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

# A placeholder for a source's short form, for HTML made before pandoc is done: private-use
# characters around the source's index in SiteNotes._token_keys, written in private-use digits.
_OPEN, _CLOSE, _DIGIT0 = "\ue003", "\ue004", 0xE010
_TOKEN = re.compile(_OPEN + "([\ue010-\ue019]+)" + _CLOSE)


@dataclass
class Note:
    number: int
    page: str  # src_uri of the page holding the note
    keys: list[str]
    html: str  # cleaned note text (after SiteNotes.wait())
    line: int  # line of the citation in the page's Markdown


@dataclass
class SiteNotes:
    notes: list[Note] = field(default_factory=list)
    bibliography_page: str | None = None  # src_uri of the page with the full bibliography
    _short_forms: dict[str, str] = field(default_factory=dict, repr=False)  # key -> short note HTML
    _bibliography: dict[str, str] = field(default_factory=dict, repr=False)  # key -> entry HTML, style order
    _pending: Callable[[], None] | None = field(default=None, repr=False)
    _token_keys: list[str] = field(default_factory=list, repr=False)

    def short_form_token(self, key: str) -> str:
        """A placeholder for the short form of `key`'s source, to use in HTML made before
        pandoc is done; replace_short_form_tokens() puts the short forms in later."""
        if key not in self._token_keys:
            self._token_keys.append(key)
        index = str(self._token_keys.index(key))
        return _OPEN + "".join(chr(_DIGIT0 + int(digit)) for digit in index) + _CLOSE

    def replace_short_form_tokens(self, html: str, render: Callable[[str, str | None], str]) -> str:
        """Each placeholder replaced by render(key, short form HTML or None); waits for pandoc
        only when there is a placeholder."""
        if _OPEN not in html:
            return html

        def one(match: re.Match) -> str:
            key = self._token_keys[int("".join(str(ord(char) - _DIGIT0) for char in match.group(1)))]
            return render(key, self.short_forms.get(key))

        return _TOKEN.sub(one, html)

    def when_rendered(self, fill: Callable[[], None]) -> None:
        """`fill` blocks until pandoc is done and puts the texts in; wait() calls it once."""
        self._pending = fill

    def wait(self) -> None:
        fill, self._pending = self._pending, None
        if fill is not None:
            fill()

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


current = SiteNotes()


def reset() -> SiteNotes:
    global current
    current = SiteNotes()
    return current
