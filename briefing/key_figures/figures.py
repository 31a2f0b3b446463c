"""Pure functions of the key-figure callouts: reading the figures file, finding the
shortcodes in a page, and checking each figure against the text that states it; and what one
build knows of one note's figures (``FiguresState``, kept on the note's ``NoteBuild``).

Nothing here knows MkDocs; ``briefing.key_figures.render`` wires it to the build and the tests
call it directly. Every problem carries the file and line it is about.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from briefing.citations import library as lib
from briefing.common.dates import ISO_DATE_RE, valid_iso_date

REQUIRED = ("id", "value", "label", "source")
OPTIONAL = ("as_of", "period", "attribution", "measure")  # measure: what it counts, for charts (briefing.pictures)
FIELDS = REQUIRED + OPTIONAL
AUTHOR = "author"  # the source of a figure the note states itself (no note follows it in its paragraph)
ORDERS = ("reading", "file")  # "At a glance": the figures in reading order (default), or the file's
FILE_KEYS = ("order", "figures")
ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID_RE = re.compile(rf"^{ID}$")
AS_OF_RE = ISO_DATE_RE

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
    """The figures file cannot be read at all (not YAML, or neither a list nor order/figures)."""

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
    source: str  # citation key of the source its paragraph's next note cites, or AUTHOR
    line: int  # line of the entry in the figures file
    lines: dict[str, int] = field(default_factory=dict)  # field -> line of its value
    as_of: str = ""  # the date its source gives (ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD), if any
    period: str = ""  # the period it covers, in the text's words, if any
    attribution: str = ""  # who the text says gives it, in the text's words, if anyone
    measure: str = ""  # what it counts ("emigrated", "hosted"): a chart compares figures of one measure

    @property
    def as_of_text(self) -> str:
        return format_as_of(self.as_of) if self.as_of else ""

    @property
    def own(self) -> bool:
        """Stated by the note itself, with no outside source."""
        return self.source == AUTHOR


@dataclass
class FiguresFile:
    figures: list[Figure]
    problems: list[Problem]
    order: str = "reading"


@dataclass(frozen=True)
class Shortcode:
    kind: str  # "figure" or "glance"
    line: int  # line in the page's Markdown body (1-based)
    id: str = ""


@dataclass
class Placement:
    """Where a figure's callout stands."""

    page: str  # src_uri
    line: int  # line of the shortcode in the page's file
    anchor: str  # id of the paragraph that states the figure
    note: int | None  # number of the note whose marker next follows the figure (None: the author's own)
    chapter: str  # title of the page
    order: tuple[int, int] = (0, 0)  # (page in reading order, line): where "At a glance" lists it


@dataclass
class FiguresState:
    """One note's figures in one build (a site of plain pages has one, for all its pages)."""

    where: str = "data/figures.yml"  # the figures file as shown in messages
    exists: bool = False
    figures: dict[str, Figure] = field(default_factory=dict)
    order: str = "reading"  # of "At a glance": reading, or the figures file's
    rejected: dict[str, int] = field(default_factory=dict)  # ids defined with errors -> line
    placements: dict[str, Placement] = field(default_factory=dict)  # figure id -> its callout
    groups: dict[str, list[list[str]]] = field(default_factory=dict)  # src_uri -> ids of each group of callouts

    def first_of_group(self, src_uri: str, figure_id: str) -> list[str] | None:
        """The ids of the group ``figure_id`` opens on that page; None when it opens none."""
        return next((ids for ids in self.groups.get(src_uri, []) if ids and ids[0] == figure_id), None)


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


def load_figures(text: str, where: str) -> tuple[list[Figure], list[Problem]]:
    """The valid figures of a figures file and its problems (see ``load``)."""
    loaded = load(text, where)
    return loaded.figures, loaded.problems


def compose(text: str) -> yaml.Node | None:
    """A data file's YAML as nodes (their marks give each value's line); FiguresFileError with
    the line of the mistake for text that is not YAML."""
    try:  # libyaml's parser (ten times Python's) when PyYAML has it; a mistake is read by Python's, for its words
        return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        pass
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise FiguresFileError(f"not valid YAML: {error.problem or error}", (mark.line + 1) if mark else 1) from error


def load(text: str, where: str) -> FiguresFile:
    """Parse the figures file: a YAML list of mappings with the keys of ``FIELDS`` (those of
    ``REQUIRED`` given), or a mapping of ``order`` ("reading" or "file") and ``figures`` (that list).

    Returns the valid figures, one problem per mistake (missing, empty, unknown or malformed
    field, duplicate id) and the order; raises FiguresFileError for a file that is neither."""
    root = compose(text)
    if root is None:
        return FiguresFile([], [])
    problems: list[Problem] = []
    order = "reading"
    if isinstance(root, yaml.MappingNode):
        items = {str(key.value): (key, value) for key, value in root.value}
        for name, (key, _value) in items.items():
            if name not in FILE_KEYS:
                problems.append(Problem(where, key.start_mark.line + 1,
                                        f"unknown key {name!r}; the figures file has order and figures"))
        if "order" in items:
            node = items["order"][1]
            if isinstance(node, yaml.ScalarNode) and node.value in ORDERS:
                order = node.value
            else:
                problems.append(Problem(where, node.start_mark.line + 1,
                                        f"order must be {' or '.join(ORDERS)} (the order of \"At a glance\")"))
        root = items["figures"][1] if "figures" in items else yaml.SequenceNode("tag:yaml.org,2002:seq", [])
    if not isinstance(root, yaml.SequenceNode):
        raise FiguresFileError(
            "the figures file must be a YAML list of figures, each '- id: ...' with value, label and source "
            "(or a mapping of order and figures)",
            root.start_mark.line + 1,
        )
    figures: list[Figure] = []
    first_line: dict[str, int] = {}
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            problems.append(Problem(where, line, "each figure must be a mapping of id, value, label and source "
                                                 "(and as_of, period, attribution where they apply)"))
            continue
        values: dict[str, str] = {}
        lines: dict[str, int] = {}
        entry_problems: list[Problem] = []
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_line = key_node.start_mark.line + 1
            if key not in FIELDS:
                entry_problems.append(
                    Problem(where, key_line, f"unknown field {key!r}; a figure has {', '.join(REQUIRED)} "
                            f"(and may have {', '.join(OPTIONAL)})")
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
            if key in OPTIONAL and key not in values:
                continue
            if not values.get(key) and not any(p.message.startswith(f"field {key!r}") for p in entry_problems):
                entry_problems.append(
                    Problem(where, lines.get(key, line), f"{label} is missing field {key!r} (or it is empty)")
                )
        figure_id = values.get("id", "")
        if figure_id and not ID_RE.match(figure_id):
            entry_problems.append(
                Problem(where, lines["id"], f"id {figure_id!r}: use lower-case letters, digits and single hyphens")
            )
        if values.get("as_of") and not valid_iso_date(values["as_of"]):
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
            figures.append(Figure(**{key: values[key] for key in FIELDS if key in values}, line=line, lines=lines))
    return FiguresFile(figures, problems, order)


# --------------------------------------------------------------------------- pages


def body_offset(source: str, body: str) -> int:
    """Lines of front matter MkDocs strips before `body`, to report lines of the file."""
    return source[: len(source) - len(body)].count("\n") if body and source.endswith(body) else 0


def mask_code(markdown: str) -> str:
    """`markdown` with fenced and inline code blanked out (offsets and lines kept), comments kept
    (the shortcodes are comments): the citations' masking (``library.mask_code``)."""
    return lib.mask_code(markdown, keep_comments=True)


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
    """The words of a Markdown fragment: no code, comments, citations, HTML tags, link addresses or
    emphasis marks, whitespace collapsed; what a figure's value is looked for in."""
    text = mask_code(markdown)
    text = lib.COMMENT_RE.sub(" ", text)
    text = lib.BLOCK_RE.sub(lambda m: " " if lib.KEY_RE.search(m.group("body")) else m.group(0), text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"(?<!!)\[([^\]\n]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)", r"\1", text)  # a link: its text
    text = re.sub(r"(?<!\\)[*_]{1,3}(?=\S)|(?<=\S)(?<!\\)[*_]{1,3}", "", text)
    return " ".join(text.replace("\u00a0", " ").split())


def contains(text: str, value: str) -> bool:
    """Whether the prose `text` states `value` verbatim (whitespace-insensitive)."""
    needle = " ".join(value.split())
    return bool(re.search(r"(?<![\w.,])" + re.escape(needle) + r"(?![\w]|[.,]\d)", text))


# --------------------------------------------------------------------------- what the text says of a figure

_MARK = 0xE100  # private-use characters standing for a paragraph's citations, in order
# Words by which a sentence gives its figure to someone: the callout must then say who.
ATTRIBUTION_CUE_RE = re.compile(
    r"\b(?:said|says|according to|claimed|claims|asserted|asserts|stated|told|reported)\b", re.I)
_SENTENCE_END_RE = re.compile(r"[.!?][\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z\d])")


@dataclass(frozen=True)
class Statement:
    """Where a paragraph states a figure's value."""

    note_index: int | None  # index among the paragraph's citations of the one that next follows it
    sentence: str  # the sentence that states it (prose, no citations)


def prose_with_markers(markdown: str) -> str:
    """prose() of a paragraph with each citation replaced by a private-use marker: the first
    citation by U+E100, the second by U+E101..."""
    try:
        citations = lib.find_citations(markdown)
    except lib.CitationSyntaxError:  # reported by citations.py
        citations = []
    parts, position = [], 0
    for index, citation in enumerate(citations):
        parts += [prose(markdown[position: citation.start]), chr(_MARK + index)]
        position = citation.end
    parts.append(prose(markdown[position:]))
    return " ".join(part for part in parts if part)


def _phrase(text: str, phrase: str) -> re.Match | None:
    needle = " ".join(phrase.split())
    return re.search(r"(?<![\w.,])" + re.escape(needle) + r"(?![\w]|[.,]\d)", text)


def statement(paragraph: str, value: str) -> Statement | None:
    """Where `paragraph` (Markdown) first states `value`: the citation whose marker next
    follows it in the paragraph (a note covers the passage before its marker back to the
    previous marker), and its sentence; None if the paragraph does not state it."""
    text = prose_with_markers(paragraph)
    match = _phrase(text, value)
    if match is None:
        return None
    after = re.search(f"[{chr(_MARK)}-{chr(_MARK + 0xFF)}]", text[match.end():])
    plain = re.sub(f" ?[{chr(_MARK)}-{chr(_MARK + 0xFF)}]", "", text)
    start = len(re.sub(f" ?[{chr(_MARK)}-{chr(_MARK + 0xFF)}]", "", text[: match.start()]))
    ends = [m.end() for m in _SENTENCE_END_RE.finditer(plain)]
    first = max((end for end in ends if end <= start), default=0)
    last = min((end for end in ends if end > start), default=len(plain))
    return Statement(ord(after.group(0)) - _MARK if after else None, plain[first:last].strip())


def states(paragraph: str, phrase: str) -> bool:
    """Whether the paragraph (Markdown) holds `phrase` in its words (whitespace-insensitive)."""
    return _phrase(re.sub(f" ?[{chr(_MARK)}-{chr(_MARK + 0xFF)}]", "", prose_with_markers(paragraph)),
                   phrase) is not None


def attribution_cue(sentence: str) -> str | None:
    """The word by which a sentence attributes what it states ("said", "according to"), if any."""
    match = ATTRIBUTION_CUE_RE.search(sentence)
    return match.group(0) if match else None


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


def notes_in(notes: list, paragraph: tuple[int, int]) -> list:
    """Of a page's notes (in order; each has ``line``), those whose citation stands in the
    paragraph's lines: the paragraph's citations, one note each, in order."""
    first, last = paragraph
    return [note for note in notes if first <= note.line <= last]


def date_covers(as_of: str, date: tuple[int, int | None, int | None] | None) -> bool:
    """Whether `as_of` (YYYY[-MM[-DD]]) is `date` (year, month, day), or that date less precisely."""
    match = AS_OF_RE.match(as_of)
    if not match or date is None:
        return False
    given = [int(part) for part in match.group("year", "month", "day") if part]
    return all(part is not None and part == want for part, want in zip(date, given, strict=False))


def strip_links(fragment: str) -> str:
    """An HTML fragment with its <a> tags removed (their text kept), to nest in a link."""
    return re.sub(r"</?a(?:\s[^>]*)?>", "", fragment)


def display_path(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return str(path)
