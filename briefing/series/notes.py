"""The notes of a series, as ``docs/`` holds them: every top folder holding Markdown is a note,
``docs/<folder>/index.md`` its record and its own page, the chapters its record lists beside
it. ``catalogue`` reads them all and says what is wrong, each problem naming the file and the
line: a folder without a record, a record that does not validate (``briefing.series.record``),
two notes with one number, a chapter listed twice, listed but missing, or present but not
listed, a page the build makes (References) written by hand, a folder the build needs.

Also: the notes newest first, each author's notes (``authors``), a note's abstract
(``abstract``).

Pure functions only: no MkDocs events here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefing.series.record import Author, NoteRecord, parse, slugify

INDEX = "index.md"
REFERENCES = "references.md"  # each note's References page, which the build makes
AUTHORS = "authors"  # the folder of the series' author pages, which the build makes
ABSTRACT_RE = re.compile(r"^(?P<level>#{2,6})[ \t]+Abstract[ \t#]*$", re.M | re.I)
HEADING_RE = re.compile(r"^(?P<level>#{1,6})[ \t]+\S", re.M)
# A note's folder name is its address: characters a URL's path carries as they are.
FOLDER_RE = re.compile(r"[A-Za-z0-9._-]+")


@dataclass
class Catalogue:
    """The series' notes as docs/ holds them."""

    notes: list[NoteRecord] = field(default_factory=list)  # the valid ones, newest first
    problems: list[str] = field(default_factory=list)  # "docs/x/index.md:3: ..." each
    folders: set[str] = field(default_factory=set)  # every top folder holding Markdown
    unreadable: set[str] = field(default_factory=set)  # folders whose record was refused (its problems said)

    def by_folder(self) -> dict[str, NoteRecord]:
        return {note.folder: note for note in self.notes}


def folder_of(src_uri: str) -> str | None:
    """The top folder of a page of docs/ (None for a page at its root)."""
    return src_uri.split("/", 1)[0] if "/" in src_uri else None


def newest_first(notes: list[NoteRecord]) -> list[NoteRecord]:
    """By date (a month counts as its first day), then by number, newest and highest first."""
    def key(note: NoteRecord) -> tuple:
        year, month, *day = note.date.split("-")
        return int(year), int(month), int(day[0]) if day else 0, note.number

    return sorted(notes, key=key, reverse=True)


def catalogue(pages: dict[str, str], docs: str = "docs") -> Catalogue:
    """The notes of ``pages`` (src_uri -> Markdown source of every page of docs/). ``docs``:
    the docs folder as messages name it."""
    found = Catalogue()
    by_folder: dict[str, list[str]] = {}
    for src_uri in sorted(pages):
        folder = folder_of(src_uri)
        if folder is not None:
            by_folder.setdefault(folder, []).append(src_uri)
    found.folders = set(by_folder)
    numbers: dict[int, NoteRecord] = {}
    for folder, uris in sorted(by_folder.items()):
        label = f"{docs}/{folder}"
        if folder == AUTHORS:
            found.problems.append(f"{label}/: the build makes the series' author pages at {AUTHORS}/: rename the "
                                  "folder (a note's folder is named for the note)")
            continue
        if not FOLDER_RE.fullmatch(folder):
            name = slugify(folder) or "note"
            found.problems.append(f"{label}/: a note's folder name is the note's address on the site: use letters, "
                                  f"digits, '-', '_' and '.' only: rename the folder, e.g. to {name!r}")
        index = f"{folder}/{INDEX}"
        if index not in pages:
            found.problems.append(f"{label}/: a folder of Markdown pages in a series is a note, and a note needs its "
                                  f"record: write {label}/{INDEX} with 'note:' in its front matter (README 'Add a "
                                  "note'), or move the pages out of docs/")
            continue
        where = f"{label}/{INDEX}"
        record, problems = parse(pages[index], folder, where)
        found.problems.extend(f"{where}:{line}: {message}" for line, message in problems)
        if record is None:
            found.unreadable.add(folder)
            continue
        found.problems.extend(chapter_problems(record, uris, label))
        if record.number in numbers:
            first = numbers[record.number]
            found.problems.append(f"{where}:{record.line('number')}: note.number {record.number} is also the number of "
                                  f"{first.where} (line {first.line('number')}): each note of the series has its own")
        else:
            numbers[record.number] = record
        found.notes.append(record)
    found.notes = newest_first(found.notes)
    return found


def chapter_problems(record: NoteRecord, uris: list[str], label: str) -> list[str]:
    """A chapter listed twice, listed but missing, the note's own page or References listed, a
    page of the folder that is not listed, or References written by hand."""
    problems = []
    present = {uri.split("/", 1)[1] for uri in uris}
    seen: dict[str, int] = {}
    for index, chapter in enumerate(record.chapters):
        line = record.line("chapters", index)
        at = f"{record.where}:{line}"
        if chapter in seen:
            problems.append(f"{at}: chapter {chapter!r} is listed twice in note.chapters (first at line "
                            f"{seen[chapter]}): list each chapter once, in reading order")
            continue
        seen[chapter] = line
        if chapter == INDEX:
            problems.append(f"{at}: {INDEX} is the note's own page, first by itself: remove it from note.chapters")
        elif chapter == REFERENCES:
            problems.append(f"{at}: the build makes the note's References page (the sources it cites): remove "
                            f"{REFERENCES} from note.chapters")
        elif chapter not in present:
            problems.append(f"{at}: chapter {chapter!r} is listed in note.chapters but {label}/{chapter} does not "
                            "exist: fix the name, or write the chapter")
    if REFERENCES in present:
        problems.append(f"{label}/{REFERENCES}: the build makes each note's References page (the sources it cites, "
                        "with the notes that cite them): delete this file")
    for page in sorted(present - set(record.chapters) - {INDEX, REFERENCES}):
        problems.append(f"{record.where}:{record.line('chapters')}: {label}/{page} is in the note's folder but not in "
                        "note.chapters: list it in reading order, or move it out of the folder")
    return problems


def authors(notes: list[NoteRecord]) -> tuple[dict[str, tuple[Author, list[str]]], list[str]]:
    """Each author of the series by the slug of their page -> (the author as their newest note
    names them, the folders of their notes, newest first); and the problems: two different
    people (by ORCID iD) whose names give one page."""
    found: dict[str, tuple[Author, list[str]]] = {}
    problems = []
    for note in notes:  # newest first: the first seen is the newest form of the name
        for index, author in enumerate(note.authors):
            slug = author.slug
            if slug not in found:
                found[slug] = (author, [note.folder])
                continue
            known, folders = found[slug]
            if known.orcid and author.orcid and known.orcid != author.orcid:
                problems.append(f"{note.where}:{note.line('authors', index)}: {author.name} ({author.orcid}) and "
                                f"{known.name} ({known.orcid}) are two people whose names give one author page "
                                f"(authors/{slug}/): give one of them a fuller name as the notes print it")
                continue
            if not known.orcid and author.orcid:
                found[slug] = (Author(known.given, known.family, known.affiliation, known.honorific, author.orcid),
                               folders)
            if note.folder not in folders:
                folders.append(note.folder)
    return found, problems


def abstract(source: str) -> tuple[str, int] | None:
    """The Markdown under a note page's "Abstract" heading (level 2 or below, up to the next
    heading of its level or above) and the line it starts on; None without one."""
    match = ABSTRACT_RE.search(source)
    if match is None:
        return None
    level = len(match.group("level"))
    start = match.end()
    end = len(source)
    for heading in HEADING_RE.finditer(source, start):
        if len(heading.group("level")) <= level:
            end = heading.start()
            break
    return source[start:end].strip(), source.count("\n", 0, match.start()) + 1
