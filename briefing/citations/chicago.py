"""What the Chicago notes need from the library beyond what pandoc reads, and the checks that
keep the style from printing what the author did not write.

Pure functions on pybtex entries; ``citations.py`` calls them for the entries a build prints,
the tests call them directly.

- ``csl_extras``: CSL variables that pandoc's biblatex reader (pandoc 3.9,
  ``Text/Pandoc/Citeproc/BibTeX.hs``) does not map, which ``_csl_extras.lua`` adds before
  citeproc runs. A periodical's column or department (biblatex ``journaltitleaddon``) becomes
  CSL ``section``, which the Chicago style prints between the article's title and the
  periodical (CMOS 18 14.88, 14.93): pandoc's only route, ``journalsubtitle``, fuses it into
  the periodical's title ("VOA: South and Central Asia"). A report dated to the month or day
  keeps that date (the style gives a report the year alone, as a book; the footnotes give
  "March 2023").
- ``entry_problems``: an online source without its access date; a column written as the
  periodical's subtitle; a title word the style's automatic title case would get wrong
  (Chicago lowercases the part after a prefix, "Re-emergence", and prepositions of any length,
  CMOS 8.159-161; citeproc capitalises both); an organisation given as a person's name, which
  would read and sort inverted ("Education, National Geographic").
- ``brackets_within_parentheses``: parentheses inside parentheses become brackets (CMOS 6.101),
  as in a note's "(Centre ... [BUCSIS], University of Buckingham, March 2023)".
"""

from __future__ import annotations

import re
from pathlib import Path

from briefing.citations.library import BibProblem
from briefing.common.dates import ISO_DATE_RE

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
MONTH_NAMES = {name[:3].lower(): number for number, name in enumerate(MONTHS, start=1)}
ARTICLE_TYPES = {"article", "periodical", "suppperiodical"}
REPORT_TYPES = {"report", "techreport"}
DATE_RE = ISO_DATE_RE
LUA_FILTER = Path(__file__).with_name("csl_extras.lua")

# Prefixes that cannot stand alone as words: Chicago lowercases what follows their hyphen
# in a title (CMOS 8.161: "Anti-inflammatory", "Re-emergence"; but "Self-Sustaining").
PREFIXES = ("anti", "co", "de", "extra", "inter", "intra", "macro", "micro", "mid", "multi", "neo", "non",
            "post", "pre", "pseudo", "re", "semi", "sub", "trans", "ultra", "un")
PREFIX_RE = re.compile(rf"^(?:{'|'.join(PREFIXES)})-\w", re.I)
# Prepositions Chicago lowercases in a title (CMOS 8.159) that citeproc's title case does not
# (its own list: a an and as at but by down for from in into nor of on onto or over so the
# till to up via with yet about). Several are also conjunctions or adverbs, which Chicago
# capitalises, so the author says which by bracing the word either way.
PREPOSITIONS = frozenset(
    "aboard above across after against along alongside amid amidst among amongst around astride before behind "
    "below beneath beside besides between beyond despite during except inside near off opposite outside per "
    "since than through throughout toward towards under underneath unlike until unto upon versus within "
    "without".split()
)
# Words of an organisation's name that no person's name holds.
ORGANISATION_WORDS = frozenset(
    "agency association bureau center centre college commission committee company corporation council "
    "department education foundation government institute institution ministry news office organisation "
    "organization programme school society university".split()
)
PERSON_FIELDS = ("author", "editor", "translator")


# --------------------------------------------------------------------------- dates


def entry_date(fields: dict[str, str]) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of an entry: biblatex ``date`` (the start of a range), else
    ``year``/``month``/``day``; None when it has no readable date."""
    raw = fields.get("date", "").split("/")[0].strip()
    match = DATE_RE.match(raw)
    if match:
        year, month, day = match.group("year", "month", "day")
        return int(year), int(month) if month else None, int(day) if day else None
    year = fields.get("year", "").strip()
    if not re.fullmatch(r"\d{4}", year):
        return None
    month_text = fields.get("month", "").strip().lower()
    month = MONTH_NAMES.get(month_text[:3]) or (int(month_text) if month_text.isdigit() else None)
    day = fields.get("day", "").strip()
    return int(year), month, int(day) if month and day.isdigit() else None


def date_text(date: tuple[int, int | None, int | None]) -> str:
    """The date as the style prints it in English: "March 2023", "March 3, 2023", "2023"."""
    year, month, day = date
    if month is None:
        return str(year)
    return f"{MONTHS[month - 1]} {day}, {year}" if day else f"{MONTHS[month - 1]} {year}"


def _fields(entry) -> dict[str, str]:
    return {name.lower(): str(value) for name, value in entry.fields.items()}


def _plain(text: str) -> str:
    return " ".join(text.replace("{", "").replace("}", "").split())


# --------------------------------------------------------------------------- extras


def csl_extras(entry) -> dict[str, str]:
    """The CSL variables this entry needs that pandoc does not read from it (see above)."""
    fields = _fields(entry)
    kind = entry.type.lower()
    extras: dict[str, str] = {}
    if kind in ARTICLE_TYPES and _plain(fields.get("journaltitleaddon", "")):
        extras["section"] = _plain(fields["journaltitleaddon"])
    if kind in REPORT_TYPES:
        date = entry_date(fields)
        if date and date[1]:
            extras["issued"] = date_text(date)
    return extras


def library_extras(entries) -> dict[str, dict[str, str]]:
    """csl_extras of every entry that has some, by citation key."""
    found = {key: csl_extras(entry) for key, entry in entries.items()}
    return {key: extras for key, extras in found.items() if extras}


# --------------------------------------------------------------------------- checks


def title_words(text: str) -> list[tuple[str, bool, bool]]:
    """The words of a .bib title as (word, braced, starts a title or subtitle)."""
    words: list[tuple[str, bool, bool]] = []
    depth, current, braced, starts = 0, "", False, True
    for char in text + " ":
        if char == "{":
            depth += 1
            continue
        if char == "}":
            depth = max(depth - 1, 0)
            continue
        if re.match(r"[\w'’-]", char):
            current += char
            braced = braced or depth > 0
            continue
        if current:
            words.append((current, braced, starts))
            current, braced, starts = "", False, False
        if char in ":?!—":
            starts = True
    return words


def title_case_problems(text: str) -> list[str]:
    """What the style's automatic title case would print wrong in this title (each a fix)."""
    problems = []
    words = title_words(text)
    for index, (word, braced, starts) in enumerate(words):
        if braced:
            continue
        if PREFIX_RE.match(word):
            fixed = word[0].upper() + word[1:].lower()
            problems.append(
                f"'{word}' would print as '{'-'.join(part.capitalize() for part in word.split('-'))}', "
                f"but Chicago lowercases what follows a prefix (CMOS 8.161): write {{{fixed}}}"
            )
        ends = index == len(words) - 1 or words[index + 1][2]  # Chicago capitalises first and last words
        if word.lower() in PREPOSITIONS and not starts and not ends:
            problems.append(
                f"'{word}' would print capitalised, but Chicago lowercases prepositions (CMOS 8.159): "
                f"write {{{word.lower()}}} where it is a preposition, {{{word.capitalize()}}} where it is not"
            )
    return problems


def organisation_as_person(person) -> bool:
    """Whether a pybtex Person is an organisation written without the braces that keep it whole."""
    parts = person.first_names + person.middle_names + person.prelast_names + person.last_names + person.lineage_names
    if any(part.startswith("{") for part in parts):
        return False
    return any(re.sub(r"\W", "", part).lower() in ORGANISATION_WORDS for part in parts)


def entry_problems(key: str, entry, path: Path, line: int) -> list[BibProblem]:
    """The Chicago checks of one printed entry (see the module's docstring)."""
    fields = _fields(entry)
    problems = []

    def problem(message: str) -> None:
        problems.append(BibProblem(path, line, f"entry {key!r}: {message}"))

    if fields.get("url", "").strip():
        urldate = fields.get("urldate", "").strip()
        if not urldate:
            problem("an online source needs the date the author accessed it: add urldate = {YYYY-MM-DD} "
                    "(every Chicago note and bibliography entry of it prints 'accessed')")
        elif not DATE_RE.match(urldate) or DATE_RE.match(urldate).group("day") is None:
            problem(f"urldate {urldate!r} is not a day: write urldate = {{YYYY-MM-DD}}")
    subtype = fields.get("entrysubtype", "").strip().lower()
    if entry.type.lower() in ARTICLE_TYPES and subtype in {"magazine", "newspaper"} and fields.get("journalsubtitle"):
        problem(f"journalsubtitle {_plain(fields['journalsubtitle'])!r} prints as part of the periodical's title; "
                "a column, department or section goes in journaltitleaddon = {...} (printed before the "
                "periodical, CMOS 14.88, 14.93)")
    for name in ("title", "shorttitle"):
        for message in title_case_problems(fields.get(name, "")):
            problem(f"{name}: {message}")
    for role in PERSON_FIELDS:
        for person in entry.persons.get(role, []):
            if organisation_as_person(person):
                whole = " ".join(person.first_names + person.middle_names + person.prelast_names + person.last_names)
                problem(f"{role} {whole!r} is read as a person ('{person}'), so it prints and sorts inverted: "
                        f"keep an organisation whole with double braces, {role} = {{{{{whole}}}}}")
    return problems


# --------------------------------------------------------------------------- output


def brackets_within_parentheses(fragment: str) -> str:
    """Parentheses inside parentheses as brackets (CMOS 6.101), in the text of an HTML
    fragment; tags and the text of links (addresses) are left alone."""
    if fragment.count("(") < 2:  # nothing within parentheses to change (most notes and entries)
        return fragment
    out: list[str] = []
    stack: list[str] = []
    in_link = 0
    for part in re.split(r"(<[^>]*>)", fragment):
        if part.startswith("<"):
            if re.match(r"<a[\s>]", part):
                in_link += 1
            elif part.startswith("</a"):
                in_link = max(in_link - 1, 0)
            out.append(part)
            continue
        if in_link:
            out.append(part)
            continue
        chars = []
        for char in part:
            if char == "(":
                stack.append("[" if stack else "(")
                chars.append(stack[-1])
            elif char == ")" and stack:
                chars.append("]" if stack.pop() == "[" else ")")
            else:
                chars.append(char)
        out.append("".join(chars))
    return "".join(out)
