"""Whose statement a passage of the note is, by the rule a reader of Chicago notes reads it
with: a note covers the passage before its marker back to the previous marker in the same
paragraph, so what a paragraph states is sourced by the note whose marker next follows it
there; with no marker after it in the paragraph, it is the author's own statement.

One rule for every concern that shows what the text states with a source (key-figure
callouts, timeline events): pure functions of a paragraph, its notes and a phrase, with the
messages that name the fix. ``notes`` are the page's notes in order (each with ``number``,
``keys`` and ``line``, the line of its citation in the page's file).
"""

from __future__ import annotations

from briefing.key_figures import figures as kf

AUTHOR = kf.AUTHOR  # the source of what the note states itself


def next_note(paragraph: str, lines: tuple[int, int], notes: list, phrase: str) -> tuple[kf.Statement | None, object]:
    """Where ``paragraph`` (Markdown, the file's ``lines`` first to last) first states
    ``phrase``, and the note whose marker next follows it there (None: the author's own
    statement). (None, None) when the paragraph does not state it."""
    said = kf.statement(paragraph, phrase)
    if said is None:
        return None, None
    in_paragraph = kf.notes_in(notes, lines)
    if said.note_index is not None and said.note_index < len(in_paragraph):
        return said, in_paragraph[said.note_index]
    return said, None


def source_problems(name: str, source: str, declared_at: str, note, notes: list, rel: str, paragraph_line: int,
                    bib_keys) -> list[str]:
    """What is wrong with ``source`` (a citation key, or AUTHOR), declared at ``declared_at``
    (file:line) for ``name`` (e.g. "figure 'x' ('60%')"), given ``note``, the note whose marker
    next follows it in its paragraph (line ``paragraph_line`` of ``rel``), or None.
    ``bib_keys``: the library's keys (a source not in it is reported where it is declared)."""
    if note is None and source != AUTHOR and source in bib_keys:
        if not any(source in n.keys for n in notes):
            return [f"the source of {name}, {source!r} ({declared_at}), is not cited in {rel}: cite it in "
                    "the paragraph that states it, or correct the source"]
        return [f"{name} names source {source!r} ({declared_at}), but no note marker follows it in its "
                f"paragraph (line {paragraph_line}): the text states it as the author's own; write "
                f"'source: {AUTHOR}'"]
    if note is not None and source == AUTHOR:
        return [f"{name} names source '{AUTHOR}' ({declared_at}), but note {note.number} "
                f"({', '.join(note.keys)}) follows it in its paragraph (line {paragraph_line}): that note is its "
                f"source; write 'source: {note.keys[0]}'"]
    if note is not None and source not in note.keys:
        return [f"{name} names source {source!r} ({declared_at}), but the note whose marker next follows it "
                f"in its paragraph (line {paragraph_line}) is note {note.number}, citing {', '.join(note.keys)}: "
                f"write 'source: {note.keys[0]}'"]
    return []
