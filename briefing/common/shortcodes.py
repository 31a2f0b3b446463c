"""Shortcodes: what an author writes in Markdown for something the generator makes, in one
syntax, found by one compiled regex and expanded by one small dispatcher (as Material's own
docs hooks do). A shortcode is an HTML comment alone on its line holding a name, and for some
an argument after a colon:

    <!-- contents -->            <!-- key-figure: pakistanis-killed -->

A name is lower-case words joined by hyphens. Any other comment is a comment. A comment that
reads as a shortcode whose name no concern knows, or as a known name misspelt (``cite_this``,
``Cite-This``), is an error naming the page and line; so is a shortcode on a page where it
means nothing (the handler says why). Code (fenced or inline) is never searched.

Pure functions: the plugin holds the handlers (``briefing.plugin.SHORTCODES``) and calls
``expand`` from its ``on_page_markdown``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from briefing.citations.library import mask_code

NAME = r"[a-z]+(?:-[a-z]+)*"
# A comment alone on its line that holds one word (letters, digits, _ or -), perhaps ": argument".
SHORTCODE_RE = re.compile(
    r"^[ \t]{0,3}<!--[ \t]*(?P<name>[A-Za-z][\w-]*)[ \t]*(?::[ \t]*(?P<argument>[^\n]*?))?[ \t]*-->[ \t]*$", re.M)
NAME_RE = re.compile(rf"^{NAME}$")


@dataclass(frozen=True)
class Shortcode:
    name: str
    argument: str  # "" when none
    line: int  # 1-based line in the Markdown it was found in
    start: int  # offsets of the whole line in that Markdown
    end: int

    @property
    def text(self) -> str:
        return f"<!-- {self.name}{': ' + self.argument if self.argument else ''} -->"


@dataclass
class Expansion:
    """One page's expansion: handlers may add text elsewhere in the page (``insert``), e.g. an
    attribute list after the paragraph a callout belongs to. Offsets are the Markdown's as given."""

    markdown: str
    inserts: list[tuple[int, str]] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    cache: dict = field(default_factory=dict)  # what handlers work out once per page

    def insert(self, offset: int, text: str) -> None:
        self.inserts.append((offset, text))

    def problem(self, code: Shortcode, message: str) -> None:
        self.problems.append((code.line, message))


# A handler: the shortcode and the page's expansion -> the Markdown that replaces its line.
Handler = Callable[[Shortcode, Expansion], str]


def normalized(name: str) -> str:
    return name.lower().replace("_", "-")


def find(markdown: str) -> list[Shortcode]:
    """Every comment of ``markdown`` that reads as a shortcode (outside code), in order."""
    masked = mask_code(markdown, keep_comments=True)
    return [Shortcode(m.group("name"), (m.group("argument") or "").strip(), masked.count("\n", 0, m.start()) + 1,
                      m.start(), m.end())
            for m in SHORTCODE_RE.finditer(masked)]


def expand(markdown: str, handlers: Mapping[str, Handler]) -> Expansion:
    """``markdown`` with every shortcode replaced by what its handler gives (``.markdown``),
    and the problems found: an unknown or misspelt name (which stays as it is written)."""
    expansion = Expansion(markdown)
    edits: list[tuple[int, int, str]] = []
    known = ", ".join(f"<!-- {name} -->" for name in sorted(handlers))
    for code in find(markdown):
        handler = handlers.get(code.name)
        if handler is None:
            if normalized(code.name) in handlers:
                expansion.problem(code, f"shortcode {code.text!r}: write <!-- {normalized(code.name)} --> "
                                        "(lower-case words joined by hyphens)")
            elif NAME_RE.match(code.name):
                expansion.problem(code, f"unknown shortcode {code.text!r}; the shortcodes are {known}")
            continue
        edits.append((code.start, code.end, handler(code, expansion)))
    edits += [(offset, offset, text) for offset, text in expansion.inserts]
    text = markdown
    for start, end, replacement in sorted(edits, key=lambda edit: (edit[0], edit[1]), reverse=True):
        text = text[:start] + replacement + text[end:]
    expansion.markdown = text
    return expansion
