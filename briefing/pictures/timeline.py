"""Pure functions of a note's timeline: reading ``timeline.yml`` (beside the figures file),
finding the paragraph each event points at, and checking what the event claims against it.

An event is ``id``, ``date`` (as the text words it: ``between 1989 and 1994``), ``when`` (the
machine date for ordering and ``<time datetime>``: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or a
range ``START/END``), ``label`` (ours, short), ``page`` (the Markdown file under docs/ whose
paragraph states it), ``source`` (by the key figures' rule, ``briefing.key_figures.attribution``),
and where needed ``paragraph`` (the opening words of the paragraph, when the page has several
stating the date) and ``attribution`` (who the text says gives it, in the text's words).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from briefing.common.dates import ISO_DATE_RE, valid_iso_date
from briefing.key_figures import figures as kf
from briefing.pictures.records import Problem, Record, Schema, load_records

SCHEMA = Schema("event", ("id", "date", "when", "label", "page", "source"), ("paragraph", "attribution"))
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_YEAR_RE = re.compile(r"(?<!\d)(1[5-9]\d\d|2\d\d\d)(?!\d)")
_MONTH_RE = re.compile(r"\b(" + "|".join(MONTHS) + r")\b", re.I)
_QUOTES = (("\u201c", "\u201d"),)  # not ‘...’: the text writes its apostrophes ’


@dataclass
class Event:
    id: str
    date: str  # as the text words it
    when: str  # ISO 8601 date or START/END
    label: str
    page: str  # the Markdown file (docs/-relative) whose paragraph states it
    source: str  # citation key of the note whose marker next follows the date, or kf.AUTHOR
    line: int
    lines: dict[str, int] = field(default_factory=dict)
    paragraph: str = ""  # opening words of the paragraph, if given
    attribution: str = ""

    @property
    def start(self) -> str:
        return self.when.split("/")[0]

    @property
    def end(self) -> str:
        return self.when.split("/")[-1]

    @property
    def own(self) -> bool:
        return self.source == kf.AUTHOR

    @property
    def anchor(self) -> str:
        """The id of the mark put at the start of the paragraph that states the event."""
        return f"when-{self.id}"

    def sort_key(self) -> tuple:
        return (_padded(self.start), _padded(self.end, last=True), self.line)


def _padded(iso: str, last: bool = False) -> str:
    """'1979' -> '1979-01-01' (or '1979-12-31' for an end), so that dates of any precision order."""
    parts = iso.split("-")
    return "-".join(parts + (["12", "31"] if last else ["01", "01"])[len(parts) - 1:])


def load(text: str, where: str) -> tuple[list[Event], list[Problem]]:
    """The valid events of a timeline file, in the file's order, and its problems."""
    records, problems = load_records(text, where, SCHEMA)
    events = []
    for record in records:
        problem = when_problem(str(record.values["when"]))
        if problem:
            problems.append(Problem(where, record.lines["when"], f"event {record.values['id']!r}: {problem}",
                                    str(record.values["id"])))
            continue
        events.append(_event(record))
    return events, problems


def _event(record: Record) -> Event:
    values = {key: str(value) for key, value in record.values.items()}
    return Event(**values, line=record.line, lines=record.lines)


def when_problem(when: str) -> str | None:
    """Why ``when`` is not YYYY, YYYY-MM, YYYY-MM-DD or START/END (start before end), or None."""
    parts = when.split("/")
    if len(parts) > 2 or not all(valid_iso_date(part) for part in parts):
        return (f"when {when!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD, or a range START/END "
                "(1989/1994)")
    if len(parts) == 2 and _padded(parts[0]) > _padded(parts[1], last=True):
        return f"when {when!r}: the range ends before it starts"
    return None


def date_problems(date: str, when: str) -> list[str]:
    """What the machine date says that the text's words do not: each year the words give must
    be a year of ``when`` and the other way round; a month they name must be its month."""
    parts = when.split("/")
    years_when = {part[:4] for part in parts}
    years_text = set(_YEAR_RE.findall(date))
    problems = []
    if years_text and years_text != years_when:
        problems.append(f"its date {date!r} gives the year(s) {', '.join(sorted(years_text))}, but when {when!r} "
                        f"gives {', '.join(sorted(years_when))}: make them agree")
    months_text = {MONTHS.index(m.lower()) + 1 for m in _MONTH_RE.findall(date)}
    months_when = {int(match.group("month")) for part in parts
                   if (match := ISO_DATE_RE.match(part)) and match.group("month")}
    if months_text and months_when and months_text != months_when:
        problems.append(f"its date {date!r} names the month(s) "
                        f"{', '.join(MONTHS[m - 1].title() for m in sorted(months_text))}, but when {when!r} does not")
    return problems


# --------------------------------------------------------------------------- the page's paragraphs
@dataclass(frozen=True)
class Paragraph:
    first: int  # first and last line of the page's body (1-based)
    last: int
    markdown: str

    @property
    def prose(self) -> str:
        return kf.prose(self.markdown)


def paragraphs(body: str) -> list[Paragraph]:
    """The paragraphs of prose of a page's Markdown body (no headings, lists, code, HTML)."""
    masked = kf.mask_code(body).splitlines()
    lines = body.splitlines()
    found, start = [], None
    for number, line in enumerate([*masked, ""], start=1):
        if line.strip():
            start = number if start is None else start
            continue
        if start is not None:
            first_line = masked[start - 1]
            if not kf.NOT_PROSE_RE.match(first_line):
                found.append(Paragraph(start, number - 1, "\n".join(lines[start - 1: number - 1])))
            start = None
    return found


def opening(paragraph: Paragraph, words: int = 8) -> str:
    """The paragraph's first words, as an event's ``paragraph:`` may give them."""
    return " ".join(paragraph.prose.split()[:words])


def find_paragraph(found: list[Paragraph], date: str, opening_words: str = "") -> tuple[Paragraph | None, str]:
    """The paragraph an event points at, and '' or why there is none: the one that begins with
    ``opening_words`` (it must state ``date``), else the only one that states ``date``."""
    if opening_words:
        wanted = " ".join(opening_words.split())
        starting = [p for p in found if p.prose.startswith(wanted)]
        if not starting:
            return None, f"no paragraph of the page begins with {opening_words!r}: give its opening words as they stand"
        if not kf.contains(starting[0].prose, date):
            return None, (f"the paragraph that begins {opening_words!r} (line {starting[0].first}) does not state "
                          f"{date!r}: give the date exactly as that paragraph words it")
        return starting[0], ""
    stating = [p for p in found if kf.contains(p.prose, date)]
    if not stating:
        return None, f"no paragraph of the page states {date!r}: give the date exactly as the text words it"
    if len(stating) > 1:
        lines = ", ".join(str(p.first) for p in stating)
        return None, (f"{len(stating)} paragraphs state {date!r} (lines {lines}): add 'paragraph:' with the "
                      f"opening words of the one the event is about (e.g. {opening(stating[0])!r})")
    return stating[0], ""


def in_quotation(paragraph: str, phrase: str) -> bool:
    """Whether the paragraph (Markdown) states ``phrase`` first inside quotation marks
    (“...” or "...")."""
    text = kf.prose_with_markers(paragraph)
    match = re.search(r"(?<![\w.,])" + re.escape(" ".join(phrase.split())) + r"(?![\w]|[.,]\d)", text)
    if match is None:
        return False
    before = text[: match.start()]
    if before.count('"') % 2:
        return True
    return any(before.count(left) > before.count(right) for left, right in _QUOTES)


def date_html(date: str, when: str) -> Markup:
    """The date in the text's words as HTML: one ``<time datetime>`` for a single date; for a
    range of years whose words give both years, each year its own ``<time>``."""
    parts = when.split("/")
    if len(parts) == 2:
        start, end = parts
        years = list(_YEAR_RE.finditer(date))
        if len(start) == len(end) == 4 and [m.group(0) for m in years] == [start, end]:
            out, position = [], 0
            for match, iso in zip(years, (start, end), strict=True):
                out += [str(escape(date[position: match.start()])),
                        f'<time datetime="{iso}">{escape(match.group(0))}</time>']
                position = match.end()
            out.append(str(escape(date[position:])))
            return Markup("".join(out))
    return Markup(f'<time datetime="{escape(parts[0])}">{escape(date)}</time>')


def sorted_events(events: list[Event]) -> list[Event]:
    return sorted(events, key=Event.sort_key)


def plain(fragment: str) -> str:
    """The text of an HTML fragment (tags dropped, entities read, private-use tokens and
    white space collapsed): what a rendered paragraph says, to find it again."""
    text = re.sub(r"<[^>]+>", " ", fragment)
    text = html.unescape(text)
    text = re.sub("[\ue000-\uf8ff]", " ", text)
    return " ".join(text.split())


def mark_paragraphs(page_html: str, marks: list[tuple[str, str]]) -> tuple[str, list[str]]:
    """``page_html`` with an empty ``<span class="timeline-mark" id=ID>`` at the start of each
    paragraph whose text begins with PREFIX, for each (ID, PREFIX) of ``marks``: the place an
    event links to (the paragraph keeps its own id, if it has one). Returns the HTML and the
    ids whose paragraph was not found."""
    wanted = list(marks)
    inserts: list[tuple[int, str]] = []
    for match in re.finditer(r"<p(?:\s[^>]*)?>", page_html):
        end = page_html.find("</p>", match.end())
        text = _squeezed(plain(page_html[match.end(): end if end != -1 else len(page_html)]))
        for mark in [m for m in wanted if text.startswith(_squeezed(m[1]))]:
            inserts.append((match.end(), f'<span class="timeline-mark" id="{escape(mark[0])}"></span>'))
            wanted.remove(mark)
    for position, span in reversed(inserts):
        page_html = page_html[:position] + span + page_html[position:]
    return page_html, [mark[0] for mark in wanted]


def _squeezed(text: str) -> str:
    """Text without white space: inline tags (``(<abbr>ISI</abbr>)``) leave no trace."""
    return re.sub(r"\s+", "", text)


def prefix_of(paragraph: Paragraph, words: int = 12) -> str:
    """What the rendered paragraph's text begins with (see ``mark_paragraphs``)."""
    return " ".join(paragraph.prose.split()[:words])
