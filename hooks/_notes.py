"""The notes of the site being built: numbers, pages, sources and short forms.

Filled by ``citations.py`` in ``on_nav`` and read by the hooks that run after it (callouts,
print edition). ``reset()`` is called at the start of every build, so ``mkdocs serve``
never shows numbers of an earlier build.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Note:
    number: int
    page: str  # src_uri of the page holding the note
    keys: list[str]
    html: str  # cleaned note text
    line: int  # line of the citation in the page's Markdown


@dataclass
class SiteNotes:
    notes: list[Note] = field(default_factory=list)
    short_forms: dict[str, str] = field(default_factory=dict)  # key -> short note HTML
    bibliography: dict[str, str] = field(default_factory=dict)  # key -> entry HTML, style order
    bibliography_page: str | None = None  # src_uri of the page with the full bibliography

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
