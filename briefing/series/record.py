"""A note's record: the ``note:`` mapping in the front matter of its ``index.md``, validated with
a ``mkdocs.config.base.Config`` (``NoteConfig``, each field documented below). Every problem
names the file and the line of the field in the front matter; an unknown field is one too.

    ---
    note:
      title: "Rivers and Borders: A Short Note"
      authors:
        - honorific: Dr
          given: Jane Q.
          family: Smith
          affiliation: Centre for Border Studies, Some University
      number: 3
      date: 2024-02
      chapters: [rivers.md, borders.md]
    ---

Pure functions only: no MkDocs events here.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

import yaml
from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

KEY = "note"  # the front matter's key holding the record
DATE_RE = re.compile(r"^(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])(?:-(?P<day>0[1-9]|[12]\d|3[01]))?$")
ORCID_RE = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")
FRONT_MATTER_RE = re.compile(r"\A-{3}[ \t]*\n(?P<yaml>.*?\n)(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.S)


def orcid_checksum(digits: str) -> str:
    """ISO 7064 11,2 over the first 15 digits (ORCID's check character)."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


class Orcid(c.Type):
    """An ORCID iD (``0000-0002-1825-0097`` or its https://orcid.org/ address), its check
    character right; kept as the address."""

    def __init__(self):
        super().__init__(str)

    def run_validation(self, value):
        value = super().run_validation(value).strip()
        match = ORCID_RE.match(value)
        if not match:
            raise ValidationError(f"Expected an ORCID iD such as 0000-0002-1825-0097 but received: {value!r}")
        digits = match.group(1).replace("-", "")
        if orcid_checksum(digits[:15]) != digits[15]:
            raise ValidationError(f"{value!r} is not an ORCID iD: its check character is wrong")
        return f"https://orcid.org/{match.group(1)}"


class Number(c.Type):
    """The note's number in the series: a whole number from 1 (never a bool or a text)."""

    def __init__(self):
        super().__init__(int)

    def run_validation(self, value):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationError(f"Expected a whole number from 1 (the note's number) but received: {value!r}")
        return value


class NoteDate(c.BaseConfigOption):
    """``YYYY-MM`` or ``YYYY-MM-DD`` (YAML reads the second as a date: both are taken); kept as text."""

    def run_validation(self, value):
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, str) and (match := DATE_RE.match(value.strip())):
            if match["day"]:
                try:
                    datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
                except ValueError as error:
                    raise ValidationError(f"{value!r} is not a date ({error})") from None
            return value.strip()
        raise ValidationError(f"Expected a date YYYY-MM or YYYY-MM-DD (the note's date) but received: {value!r}")


class AuthorConfig(Config):
    # Given names as the note prints them ("Jane Q.").
    given = c.Type(str)
    # Family name ("Smith"): the inverted name of the bibliography, the author page's address.
    family = c.Type(str)
    # The author's institution: citation_author_institution, the author's page.
    affiliation = c.Type(str)
    # The title the note shows before the name ("Dr"), if it shows one: the byline, the author's
    # page and the home page's listing (never the citation forms: Chicago omits it).
    honorific = c.Optional(c.Type(str))
    # The author's ORCID iD, if any (checked): the author's page links it.
    orcid = c.Optional(Orcid())


class NoteConfig(Config):
    # The note's title as its title page gives it.
    title = c.Type(str)
    # A short title for where space is short (search results, the chapters' "Part of" line);
    # by default the title up to its first colon.
    short_title = c.Optional(c.Type(str))
    # The authors in the note's order, each with given, family, affiliation (and honorific,
    # orcid where they apply).
    authors = c.ListOfItems(c.SubConfig(AuthorConfig))
    # The note's number in the series (a whole number; two notes never share one).
    number = Number()
    # The publication date, YYYY-MM or YYYY-MM-DD.
    date = NoteDate()
    # The chapter files of the note's folder in reading order (index.md, the record's page, comes
    # first by itself; References, made by the build, last). Every other page of the folder
    # must be listed.
    chapters = c.ListOfItems(c.Type(str))
    # The note's language (BCP 47: "en"), for its pages' citation_language, DC.language, .ris.
    language = c.Type(str, default="en")
    # Subject keywords: citation_keywords, the feed's categories.
    keywords = c.ListOfItems(c.Type(str), default=[])
    # The rights statement the note itself makes (footer, print edition, DC.rights); leave it
    # out while it makes none.
    rights = c.Optional(c.Type(str))


@dataclass(frozen=True)
class Author:
    given: str
    family: str
    affiliation: str
    honorific: str | None = None
    orcid: str | None = None

    @property
    def name(self) -> str:
        """"Jane Q. Smith" (the citation forms)."""
        return f"{self.given} {self.family}"

    @property
    def display(self) -> str:
        """"Dr Jane Q. Smith" (the byline: honorific, given names, family name)."""
        return " ".join(part for part in (self.honorific, self.given, self.family) if part)

    @property
    def inverted(self) -> str:
        """"Smith, Jane Q." (bibliographies, BibTeX, RIS, Highwire)."""
        return f"{self.family}, {self.given}"

    @property
    def slug(self) -> str:
        """The author page's folder: family and given names ("smith-jane-q"), stable while the name is."""
        return slugify(f"{self.family} {self.given}") or "author"


@dataclass(frozen=True)
class NoteRecord:
    """A note's validated record, with where it stands (for messages)."""

    folder: str  # the note's folder in docs/ ("rivers-and-borders")
    where: str  # its index.md as messages name it ("docs/<folder>/index.md")
    title: str
    authors: tuple[Author, ...]
    number: int
    date: str  # YYYY-MM or YYYY-MM-DD
    chapters: tuple[str, ...]  # paths in the folder, reading order
    language: str = "en"
    keywords: tuple[str, ...] = ()
    rights: str | None = None
    short_title_given: str | None = None
    lines: dict = field(default_factory=dict, compare=False, repr=False)  # field path -> line in index.md

    @property
    def short_title(self) -> str:
        return self.short_title_given or self.title.split(":", 1)[0].strip() or self.title

    @property
    def index(self) -> str:
        """src_uri of its index.md."""
        return f"{self.folder}/index.md"

    def chapter_uri(self, chapter: str) -> str:
        return f"{self.folder}/{chapter}"

    def line(self, *path) -> int:
        """The line of a field (``line("chapters", 2)``), else of its nearest enclosing field."""
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, self.lines.get((), 1))


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# ----------------------------------------------------------------------------- front matter


def front_matter(source: str) -> tuple[str, int] | None:
    """The front matter's YAML and the line of the file it starts on; None without one."""
    match = FRONT_MATTER_RE.match(source)
    return (match.group("yaml"), 2) if match else None


def node_lines(node, first_line: int, path: tuple = ()) -> dict[tuple, int]:
    """Each path of a composed YAML node (keys and list indices) -> the line of its value in
    the file (a mapping's key: the key's line)."""
    lines = {path: node.start_mark.line + first_line}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, str(key.value))
            lines.update(node_lines(value, first_line, child))
            lines[child] = key.start_mark.line + first_line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(node_lines(item, first_line, (*path, index)))
    return lines


class RecordError(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def read_front_matter(source: str) -> tuple[dict, dict[tuple, int]]:
    """The front matter as data and the line of each of its fields; ({}, {}) without one.
    RecordError for front matter that is not a YAML mapping."""
    found = front_matter(source)
    if found is None:
        return {}, {}
    text, first = found
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise RecordError(f"front matter is not valid YAML: {error.problem or error}",
                          (mark.line + first) if mark else 1) from error
    if node is None:
        return {}, {}
    try:
        data = yaml.safe_load(text)
    except ValueError as error:  # a scalar YAML reads as a date that is none ("2024-02-30")
        raise RecordError(f"front matter holds {unreadable_date(node) or 'a value'!r}, which is not a date "
                          f"({error}): write YYYY-MM-DD with a real day", unreadable_line(node, first)) from error
    if not isinstance(data, dict):
        raise RecordError("front matter must be a mapping of keys (note:, description: ...)", first)
    return data, node_lines(node, first)


def _timestamps(node):
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:timestamp":
        yield node
    for child in getattr(node, "value", []) if not isinstance(node, yaml.ScalarNode) else []:
        for part in child if isinstance(child, tuple) else (child,):
            yield from _timestamps(part)


def _bad_timestamp(node):
    constructor = yaml.SafeLoader.__new__(yaml.SafeLoader)
    for scalar in _timestamps(node):
        try:
            yaml.constructor.SafeConstructor.construct_yaml_timestamp(constructor, scalar)
        except ValueError:
            return scalar
    return None


def unreadable_date(node) -> str | None:
    found = _bad_timestamp(node)
    return found.value if found is not None else None


def unreadable_line(node, first: int) -> int:
    found = _bad_timestamp(node)
    return found.start_mark.line + first if found is not None else first


# What each field holds, as the fix of a message about it (README "The note's record").
FIELD_FIXES = {
    "title": "write the title as text: title: \"Rivers and Borders\"",
    "short_title": "write a short title as text, or leave it out",
    "authors": "write a list, each author with given, family, affiliation (and honorific, orcid)",
    "number": "write the note's number in the series: number: 3",
    "date": "write the date YYYY-MM or YYYY-MM-DD: date: 2024-02",
    "chapters": "write a list of the folder's chapter files in reading order: chapters: [rivers.md, borders.md]",
    "language": "write a BCP 47 language tag as text: language: en",
    "keywords": "write a list: keywords: [rivers, borders]",
    "rights": "write the note's own rights statement as text, or leave it out",
    "given": "write the given names as text: given: Jane Q.",
    "family": "write the family name as text: family: Smith",
    "affiliation": "write the institution as text",
    "honorific": "write the honorific as text (honorific: Dr), or leave it out",
    "orcid": "write the ORCID iD (0000-0002-1825-0097), or leave it out",
}


def unknown_field(config_class: type[Config]) -> str:
    """The fix for a field the record does not know: remove it or spell it as a known one."""
    known = ", ".join(name for name, _option in config_class._schema)
    return f"remove it, or correct its name (the fields: {known}; README 'The note's record')"


def with_fix(key: str, message: object, config_class: type[Config], unknown: bool) -> str:
    """``message`` (MkDocs' own) followed by what to write instead."""
    fix = unknown_field(config_class) if unknown else FIELD_FIXES.get(key)
    return f"{str(message).rstrip('.')}: {fix}" if fix else str(message)


def _messages(config_class: type[Config], data: dict) -> tuple[Config, list[tuple[str, str]], list[tuple[str, str]]]:
    config = config_class()
    config.load_dict(data)
    failed, warnings = config.validate()
    return config, list(failed), list(warnings)


def parse(source: str, folder: str, where: str) -> tuple[NoteRecord | None, list[tuple[int, str]]]:
    """The record of a note's index.md (``source``) and its problems, (line, message) each;
    None when the record cannot be made (a missing, malformed or mistyped field). An unknown
    field is a problem but the record is made."""
    try:
        data, lines = read_front_matter(source)
    except RecordError as error:
        return None, [(error.line, str(error))]
    if KEY not in data:
        return None, [(1, f"no note record: a note's index.md starts with front matter holding '{KEY}:' (title, "
                          "authors, number, date, chapters; README 'Add a note')")]
    raw = data[KEY]
    note_lines = {path[1:]: line for path, line in lines.items() if path[:1] == (KEY,)}
    if not isinstance(raw, dict):
        return None, [(note_lines.get((), 1), f"'{KEY}:' must be a mapping of title, authors, number, date, chapters")]
    config, failed, warnings = _messages(NoteConfig, raw)
    problems: list[tuple[int, str]] = []
    authors_checked = False
    for key, message in failed + warnings:
        if key == "authors" and isinstance(raw.get("authors"), list):
            if authors_checked:
                continue
            authors_checked = True
            for index, author in enumerate(raw["authors"]):
                if not isinstance(author, dict):
                    problems.append((note_lines.get(("authors", index), 1),
                                     f"note.authors[{index}] must be a mapping of given, family, affiliation"))
                    continue
                _c, author_failed, author_warnings = _messages(AuthorConfig, author)
                for sub, text in author_failed + author_warnings:
                    line = note_lines.get(("authors", index, sub), note_lines.get(("authors", index), 1))
                    unknown = (sub, text) in author_warnings
                    fixed = with_fix(sub, text, AuthorConfig, unknown)
                    problems.append((line, f"note.authors[{index}].{sub}: {fixed}"))
            continue
        unknown = (key, message) in warnings
        problems.append((note_lines.get((key,), note_lines.get((), 1)),
                         f"note.{key}: {with_fix(key, message, NoteConfig, unknown)}"))
    if not failed and not config.authors:
        problems.append((note_lines.get(("authors",), 1), "note.authors: a note has at least one author"))
    if failed or not config.authors:
        return None, sorted(set(problems))
    for index, chapter in enumerate(config.chapters):
        if not chapter.endswith(".md") or chapter.startswith("/") or ".." in chapter.split("/") or "\\" in chapter:
            problems.append((note_lines.get(("chapters", index), 1),
                             f"note.chapters: {chapter!r} is not a Markdown file of the note's folder (chapter.md)"))
    record = NoteRecord(
        folder=folder, where=where, title=" ".join(config.title.split()),
        authors=tuple(Author(a.given.strip(), a.family.strip(), a.affiliation.strip(),
                             (a.honorific or "").strip() or None, a.orcid) for a in config.authors),
        number=config.number, date=config.date, chapters=tuple(config.chapters), language=config.language,
        keywords=tuple(k.strip() for k in config.keywords if k.strip()),
        rights=" ".join((config.rights or "").split()) or None,
        short_title_given=(config.short_title or "").strip() or None,
        lines={(): note_lines.get((), 1), **note_lines},
    )
    return record, sorted(set(problems))
