"""Reading a PDF as its reader would: the text of each page and its lines with their positions
(poppler's pdftotext), where a URL breaks across lines, and wording only a screen can use.
Shared by the PDF edition's tests and the browser's print test. Imported by name."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

# What a web page may say and paper may not: the photograph frame's words, the notes' links to
# the full note and the bibliography, the edition's old colophon, the screen-only links.
WEB_ONLY = ("not reproduced on this site", "View it in the source article", "Full note", "on one page",
            "Back to the website", "Download PDF", "Back to the text")
WEB_ONLY_WORD = re.compile(r"\bBibliography\b")  # the links after the notes ("Bibliography: Ahmed")
# What only a screen can do, and "the site" for what made the page (on paper: this edition). Paper #2's
# own text uses none of these words (its "linked" is no link).
SCREEN_WORDS = re.compile(r"\b(?:click(?:s|ed|ing)?|hover(?:s|ed|ing)?|tap(?:s|ped|ping)?|scroll(?:s|ed|ing)?|links?"
                          r"|download(?:s|ed|ing)?|below|above|(?:this|the) site)\b", re.I)
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


@dataclass(frozen=True)
class Line:
    x: float  # left edge, in points from the page's left
    y: float  # top edge, in points from the page's top
    text: str


def _pdftotext(*args: str) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: `make test` installs Debian's poppler-utils (make pdf-tools)")
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *args], capture_output=True, text=True, check=True,
                          timeout=60).stdout


def text(pdf: Path) -> str:
    """The PDF's text laid out as on the page; pages separated by form feeds."""
    return _pdftotext("-layout", str(pdf), "-")


def lines(pdf: Path) -> list[list[Line]]:
    """Each page's lines, top to bottom."""
    soup = BeautifulSoup(_pdftotext("-bbox-layout", str(pdf), "-"), "html.parser")
    return [[Line(float(line["xmin"]), float(line["ymin"]), " ".join(w.get_text() for w in line.find_all("word")))
             for line in page.find_all("line")] for page in soup.find_all("page")]


def web_only_wording(found: str) -> list[str]:
    """The screen-only wording in a PDF's (or a print edition's) text."""
    flat = " ".join(found.split())
    return ([phrase for phrase in WEB_ONLY if phrase in flat] + WEB_ONLY_WORD.findall(flat)
            + SCREEN_WORDS.findall(flat))


def line_breaks(found: str, url: str) -> list[list[int]]:
    """For each place ``url`` stands in the text, the offsets in it where a line breaks
    ([] for an unbroken occurrence)."""
    pattern = re.compile("(\\s*\n\\s*)?".join(re.escape(char) for char in url))
    return [[index + 1 for index, gap in enumerate(match.groups()) if gap] for match in pattern.finditer(found)]


def bad_breaks(url: str, breaks: list[int]) -> list[str]:
    """The breaks of ``url`` that Chicago does not allow: inside the scheme, or anywhere but after
    the scheme's "//", before / . , - _ ? # % ~ = & (not inside a run of one of them), after = or &."""
    scheme = SCHEME.match(url)
    start = scheme.end() if scheme else 0
    bad = []
    for at in breaks:
        before, after = url[at - 1], url[at]
        allowed = at == start or at > start and (
            (after in "/.,-_?#%~=&" and before != after) or (before in "=&" and after != before))
        if not allowed:
            bad.append(f"{url[:at]} | {url[at:]}")
    return bad


def schemes_broken(found: str) -> list[str]:
    """Every "https://" or "http://" in the text broken across lines ("htt" / "ps://")."""
    broken = []
    for scheme in ("https://", "http://"):
        for cut in range(1, len(scheme)):
            pattern = r"(?<![\w.-])" + re.escape(scheme[:cut]) + r"[ \t]*\n\s*" + re.escape(scheme[cut:])
            broken += [match.group(0) for match in re.finditer(pattern, found)]
    return broken
