"""Pure functions of the key-figure callouts: reading the figures file, finding the
shortcodes in a page, and checking each figure against the text that states it.

Nothing here knows MkDocs; ``key_figures.py`` wires it to the build and the tests call it
directly. Every problem carries the file and line it is about.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import _citelib as lib
import yaml

FIELDS = ("id", "value", "label", "as_of", "source")
ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID_RE = re.compile(rf"^{ID}$")
AS_OF_RE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")

# The shortcodes, each alone on its line: <!-- key-figure: some-id --> and <!-- at-a-glance -->.
FIGURE_RE = re.compile(rf"^[ \t]{{0,3}}<!--[ \t]*key-figure:[ \t]*(?P<id>{ID})[ \t]*-->[ \t]*$")
GLANCE_RE = re.compile(r"^[ \t]{0,3}<!--[ \t]*at-a-glance[ \t]*-->[ \t]*$")
# Any comment that looks meant as one of them (checked against the two above).
LOOKALIKE_RE = re.compile(
    r"<!--\s*(?:key[\s_-]*figures?\b|figures?\s*:|at[\s_-]*a[\s_-]*glance\b)[^\n]*?(?:-->|$)", re.I
)
# Blocks that are not a paragraph of prose, by their first line.
NOT_PROSE_RE = re.compile(
    r"^(?: {4}|\t| {0,3}(?:#|<|>|[-+*][ \t]|\d+[.)][ \t]|\||`{3}|~{3}|\{:?|[-*_]{3,}\s*$|\[\^|\*\[))"
)


class FiguresFileError(ValueError):
    """The figures file cannot be read at all (not YAML, or not a list)."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Problem:
    where: str  # file, as shown to the author
    line: int
    message: str
    figure: str = ""  # id of the figure it is about, if known

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.message}"


@dataclass
class Figure:
    id: str
    value: str
    label: str
    as_of: str  # ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD
    source: str  # citation key of the source
    line: int  # line of the entry in the figures file
    lines: dict[str, int] = field(default_factory=dict)  # field -> line of its value

    @property
    def as_of_text(self) -> str:
        return format_as_of(self.as_of)


@dataclass(frozen=True)
class Shortcode:
    kind: str  # "figure" or "glance"
    line: int  # line in the page's Markdown body (1-based)
    id: str = ""


@dataclass
class Group:
    """Consecutive callout shortcodes and the paragraph just before them."""

    ids: list[str]
    lines: list[int]  # body line of each shortcode
    paragraph: tuple[int, int] | None  # first and last body line of the paragraph before, if prose

    @property
    def anchor(self) -> str:
        return f"stated-{self.ids[0]}"


# --------------------------------------------------------------------------- the figures file


def format_as_of(value: str) -> str:
    """'2023-11-08' -> '8 November 2023'; '2023-11' -> 'November 2023'; '2023' -> '2023'."""
    match = AS_OF_RE.match(value)
    if not match:
        return value
    year, month, day = match.group("year", "month", "day")
    if month is None:
        return year
    name = calendar.month_name[int(month)]
    return f"{int(day)} {name} {year}" if day else f"{name} {year}"


def _valid_as_of(value: str) -> bool:
    match = AS_OF_RE.match(value)
    if not match:
        return False
    year, month, day = (int(part) if part else 1 for part in match.group("year", "month", "day"))
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def load_figures(text: str, where: str) -> tuple[list[Figure], list[Problem]]:
    """Parse the figures file: a YAML list of mappings with the keys of ``FIELDS``.

    Returns the valid figures and one problem per mistake (missing, empty, unknown or
    malformed field, duplicate id); raises FiguresFileError for a file that is not a list."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise FiguresFileError(f"not valid YAML: {error.problem or error}", (mark.line + 1) if mark else 1) from error
    if root is None:
        return [], []
    if not isinstance(root, yaml.SequenceNode):
        raise FiguresFileError(
            "the figures file must be a YAML list of figures, each '- id: ...' with value, label, as_of and source",
            root.start_mark.line + 1,
        )
    figures: list[Figure] = []
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            problems.append(Problem(where, line, "each figure must be a mapping of id, value, label, as_of and source"))
            continue
        values: dict[str, str] = {}
        lines: dict[str, int] = {}
        entry_problems: list[Problem] = []
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_line = key_node.start_mark.line + 1
            if key not in FIELDS:
                entry_problems.append(
                    Problem(where, key_line, f"unknown field {key!r}; a figure has exactly {', '.join(FIELDS)}")
                )
                continue
            if key in values:
                entry_problems.append(Problem(where, key_line, f"field {key!r} given twice"))
                continue
            if not isinstance(value_node, yaml.ScalarNode):
                entry_problems.append(Problem(where, key_line, f"field {key!r} must be plain text"))
                continue
            values[key] = " ".join(str(value_node.value).split())
            lines[key] = value_node.start_mark.line + 1
        label = f"figure {values['id']!r}" if values.get("id") else "a figure"
        for key in FIELDS:
            if not values.get(key) and not any(p.message.startswith(f"field {key!r}") for p in entry_problems):
                entry_problems.append(
                    Problem(where, lines.get(key, line), f"{label} is missing field {key!r} (or it is empty)")
                )
        figure_id = values.get("id", "")
        if figure_id and not ID_RE.match(figure_id):
            entry_problems.append(
                Problem(where, lines["id"], f"id {figure_id!r}: use lower-case letters, digits and single hyphens")
            )
        if values.get("as_of") and not _valid_as_of(values["as_of"]):
            entry_problems.append(
                Problem(where, lines["as_of"],
                        f"{label}: as_of {values['as_of']!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
            )
        if figure_id in first_line:
            entry_problems.append(
                Problem(where, lines["id"],
                        f"duplicate figure id {figure_id!r} (first defined at {where}:{first_line[figure_id]}); "
                        "each figure is defined once")
            )
        elif figure_id:
            first_line[figure_id] = lines["id"]
        problems.extend(Problem(p.where, p.line, p.message, figure_id) for p in entry_problems)
        if not entry_problems:
            figures.append(Figure(**{key: values[key] for key in FIELDS}, line=line, lines=lines))
    return figures, problems


# --------------------------------------------------------------------------- pages


def body_offset(source: str, body: str) -> int:
    """Lines of front matter MkDocs strips before `body`, to report lines of the file."""
    return source[: len(source) - len(body)].count("\n") if body and source.endswith(body) else 0


def mask_code(markdown: str) -> str:
    """`markdown` with fenced and inline code blanked out (offsets and lines kept), comments kept."""
    out: list[str] = []
    fence: str | None = None
    for line in markdown.splitlines(keepends=True):
        match = lib.FENCE_RE.match(line)
        if fence is None and match:
            fence = match.group("fence")[0] * len(match.group("fence"))
        elif fence is not None:
            if match and match.group("fence").startswith(fence):
                fence = None
        else:
            out.append(lib.INLINE_CODE_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), line))
            continue
        out.append(re.sub(r"[^\n]", " ", line))
    return "".join(out)


def find_shortcodes(markdown: str) -> tuple[list[Shortcode], list[tuple[int, str]]]:
    """The shortcodes of a page body in order, and (line, text) of each malformed one."""
    found: list[Shortcode] = []
    malformed: list[tuple[int, str]] = []
    for number, line in enumerate(mask_code(markdown).splitlines(), start=1):
        if match := FIGURE_RE.match(line):
            found.append(Shortcode("figure", number, match.group("id")))
        elif GLANCE_RE.match(line):
            found.append(Shortcode("glance", number))
        elif match := LOOKALIKE_RE.search(line):
            malformed.append((number, match.group(0).strip()))
    return found, malformed


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) 1-based line numbers of every run of non-blank lines."""
    blocks: list[tuple[int, int]] = []
    start = None
    for number, line in enumerate(lines, start=1):
        if line.strip():
            start = number if start is None else start
        elif start is not None:
            blocks.append((start, number - 1))
            start = None
    if start is not None:
        blocks.append((start, len(lines)))
    return blocks


def group_callouts(markdown: str, shortcodes: list[Shortcode]) -> list[Group]:
    """Figure shortcodes on consecutive lines (blank lines between allowed) form one group,
    placed after the paragraph before the first of them (None if that block is not prose)."""
    lines = mask_code(markdown).splitlines()
    groups: list[Group] = []
    previous = None
    for code in (c for c in shortcodes if c.kind == "figure"):
        between = lines[previous.line: code.line - 1] if previous else ["x"]
        if groups and previous and not any(line.strip() for line in between):
            groups[-1].ids.append(code.id)
            groups[-1].lines.append(code.line)
        else:
            groups.append(Group([code.id], [code.line], _paragraph_before(lines, code.line)))
        previous = code
    return groups


def _paragraph_before(lines: list[str], line: int) -> tuple[int, int] | None:
    last = line - 1
    while last >= 1 and not lines[last - 1].strip():
        last -= 1
    if last < 1:
        return None
    first = last
    while first > 1 and lines[first - 2].strip():
        first -= 1
    if NOT_PROSE_RE.match(lines[first - 1]) or "<!--" in lines[last - 1]:
        return None
    return first, last


def prose(markdown: str) -> str:
    """The words of a Markdown fragment: no code, comments, citations, HTML tags or emphasis
    marks, whitespace collapsed; what a figure's value is looked for in."""
    text = mask_code(markdown)
    text = lib.COMMENT_RE.sub(" ", text)
    text = lib.BLOCK_RE.sub(lambda m: " " if lib.KEY_RE.search(m.group("body")) else m.group(0), text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"(?<!\\)[*_]{1,3}(?=\S)|(?<=\S)(?<!\\)[*_]{1,3}", "", text)
    return " ".join(text.replace("\u00a0", " ").split())


def contains(text: str, value: str) -> bool:
    """Whether the prose `text` states `value` verbatim (whitespace-insensitive)."""
    needle = " ".join(value.split())
    return bool(re.search(r"(?<![\w.,])" + re.escape(needle) + r"(?![\w]|[.,]\d)", text))


def block_stating(markdown: str, value: str) -> int | None:
    """The first line of the first block of `markdown` whose prose states `value`."""
    lines = markdown.splitlines()
    for first, last in _blocks(mask_code(markdown).splitlines()):
        if contains(prose("\n".join(lines[first - 1: last])), value):
            return first
    return None


def title_of(markdown: str) -> str | None:
    """The text of the page's first level-1 heading, if any."""
    match = re.search(r"^#[ \t]+(.+?)[ \t#]*$", mask_code(markdown), re.M)
    return match.group(1).strip() if match else None


def nearest_note(notes: list, key: str, paragraph: tuple[int, int]) -> object | None:
    """Of a page's notes, the one citing `key` in the paragraph, else the last before it,
    else the first after it (notes have ``keys``, ``line`` and ``number``)."""
    citing = [note for note in notes if key in note.keys]
    if not citing:
        return None
    first, last = paragraph
    inside = [note for note in citing if first <= note.line <= last]
    before = [note for note in citing if note.line < first]
    if inside:
        return inside[0]
    return before[-1] if before else citing[0]


def strip_links(fragment: str) -> str:
    """An HTML fragment with its <a> tags removed (their text kept), to nest in a link."""
    return re.sub(r"</?a(?:\s[^>]*)?>", "", fragment)


def display_path(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return str(path)
