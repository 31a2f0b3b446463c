"""Pure functions of the citation layer: finding citations, checking the library, running
pandoc's citeproc once for a whole site, and cleaning what it returns.

Nothing here knows MkDocs; ``citations.py`` wires it to the build and the tests call it
directly.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# --------------------------------------------------------------------------- citations

# A citation key as pandoc reads it: starts with a letter, digit or _, may hold
# :.#$%&-+?<>~/ inside, never ends with punctuation.
KEY = r"[A-Za-z0-9_](?:[\w:.#$%&\-+?<>~/]*[\w])?"
KEY_RE = re.compile(r"(?<![\w.@])@(?P<key>" + KEY + r")")
# [ ... @key ... ] not followed by ( [ or : (links, reference links and definitions).
BLOCK_RE = re.compile(r"(?<![\]\\!])\[(?P<body>[^\[\]\n]*@[^\[\]\n]*)\](?![(\[:])")
FENCE_RE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})")
INLINE_CODE_RE = re.compile(r"(`+)(?:.+?)\1")
COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
# A line indented as an indented code block would be (inside block quotes too). Whether it is
# code depends on the blocks around it (a list item's or an admonition's body is indented
# the same way): Markdown itself decides, see spans_in_code.
INDENTED_RE = re.compile(r"^(?:[ ]{0,3}>[ ]?)*(?:[ ]{4}|[ ]{0,3}\t)", re.M)
# A hand-written footnote reference or definition: [^label] / [^label]:
FOOTNOTE_RE = re.compile(r"\[\^(?P<label>[^\]\s]+)\](?P<definition>:)?")


@dataclass(frozen=True)
class CiteItem:
    key: str
    prefix: str = ""
    locator: str = ""


@dataclass(frozen=True)
class Citation:
    """One ``[...]`` citation block in a Markdown source."""

    text: str  # the block as written, brackets included
    items: tuple[CiteItem, ...]
    line: int  # 1-based line in the source
    start: int  # offset of the block in the source
    end: int

    @property
    def keys(self) -> list[str]:
        return [item.key for item in self.items]


def mask_code(markdown: str, keep_comments: bool = False) -> str:
    """The source with code (fenced and inline) and HTML comments blanked out, offsets and lines
    kept: the one masking of the generator (``keep_comments`` for the shortcodes, which are
    comments). Indented code blocks are told from other indented text by ``spans_in_code``."""
    out: list[str] = []
    fence: str | None = None
    for line in markdown.splitlines(keepends=True):
        match = FENCE_RE.match(line)
        if fence is None and match:
            fence = match.group("fence")[0] * len(match.group("fence"))
            out.append(re.sub(r"[^\n]", " ", line))
            continue
        if fence is not None:
            if match and match.group("fence").startswith(fence):
                fence = None
            out.append(re.sub(r"[^\n]", " ", line))
            continue
        out.append(line)
    masked = "".join(out)
    blank = lambda m: re.sub(r"[^\n]", " ", m.group(0))  # noqa: E731
    if not keep_comments:
        masked = COMMENT_RE.sub(blank, masked)
    return INLINE_CODE_RE.sub(blank, masked)


class CitationSyntaxError(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


# Decides which (start, end) spans of a Markdown source Markdown renders as code: the
# indices of those spans. See spans_in_code.
InCode = Callable[[str, list[tuple[int, int]]], set[int]]
_SPAN_OPEN, _SPAN_CLOSE = "\ue005", "\ue006"
_CODE_HTML_RE = re.compile(r"<(pre|code)\b[^>]*>.*?</\1>", re.S)


def spans_in_code(markdown: str, spans: list[tuple[int, int]], convert: Callable[[str], str]) -> set[int]:
    """The indices of `spans` that Markdown renders inside <pre> or <code>: each span is
    swapped for a placeholder, the source converted by `convert` (Markdown to HTML with the
    site's extensions) and the placeholders looked for in the code of the result."""
    if not spans:
        return set()
    marked = markdown
    for index, (start, end) in sorted(enumerate(spans), key=lambda item: -item[1][0]):
        marked = marked[:start] + numbered_token(index, _SPAN_OPEN, _SPAN_CLOSE) + marked[end:]
    found: set[int] = set()
    for region in _CODE_HTML_RE.finditer(convert(marked)):
        replace_numbered_tokens(region.group(0), _SPAN_OPEN, _SPAN_CLOSE, lambda index: found.add(index) or "")
    return found


def _outside_code(markdown: str, masked: str, matches: list[re.Match], in_code: InCode | None) -> list[re.Match]:
    """`matches` (of `masked`) less those in an indented code block: the ones on an indented
    line are checked with `in_code` (without it, they are kept)."""
    indented = [m for m in matches
                if INDENTED_RE.match(masked, masked.rfind("\n", 0, m.start()) + 1)]
    if not indented or in_code is None:
        return matches
    code = {id(indented[i]) for i in in_code(markdown, [(m.start(), m.end()) for m in indented])}
    return [m for m in matches if id(m) not in code]


def find_citations(markdown: str, in_code: InCode | None = None) -> list[Citation]:
    """Every citation block of a page in order, outside code (fenced, inline, and indented
    code blocks, which ``in_code`` tells from other indented text). Raises
    CitationSyntaxError for a block that mixes citations with text pandoc cannot read."""
    masked = mask_code(markdown)
    found: list[Citation] = []
    candidates = [m for m in BLOCK_RE.finditer(masked) if KEY_RE.search(m.group("body"))]  # not [me@example.org]
    for match in _outside_code(markdown, masked, candidates, in_code):
        body = match.group("body")
        line = masked.count("\n", 0, match.start()) + 1
        items = []
        for part in body.split(";"):
            keys = list(KEY_RE.finditer(part))
            if len(keys) != 1:
                raise CitationSyntaxError(
                    f"citation {match.group(0)!r}: each part between ';' needs exactly one "
                    "@key (write [@a; @b], or [see @a, p. 3])",
                    line,
                )
            key = keys[0]
            prefix = part[: key.start()].strip()
            locator = part[key.end():].strip().lstrip(",").strip()
            items.append(CiteItem(key.group("key"), prefix, locator))
        found.append(
            Citation(
                text=markdown[match.start(): match.end()],
                items=tuple(items),
                line=line,
                start=match.start(),
                end=match.end(),
            )
        )
    return found


@dataclass(frozen=True)
class Footnote:
    """A hand-written footnote reference ``[^label]`` or definition ``[^label]:``."""

    label: str
    line: int
    definition: bool


def find_footnotes(markdown: str, in_code: InCode | None = None) -> list[Footnote]:
    """Every hand-written footnote reference and definition outside code, in order."""
    masked = mask_code(markdown)
    matches = _outside_code(markdown, masked, list(FOOTNOTE_RE.finditer(masked)), in_code)
    return [Footnote(m.group("label"), masked.count("\n", 0, m.start()) + 1, bool(m.group("definition")))
            for m in matches]


# --------------------------------------------------------------------------- the library

ENTRY_RE = re.compile(r"^[ \t]*@(?P<type>\w+)[ \t]*[{(][ \t]*(?P<key>[^,\s]+)[ \t]*,", re.M)
ONLINE_TYPES = {"online", "electronic", "www", "webpage"}


@dataclass
class BibProblem:
    path: Path
    line: int
    message: str
    fatal: bool = False

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def entry_lines(text: str) -> dict[str, list[int]]:
    """Line numbers of every entry, by lower-cased key (several for a duplicate key)."""
    lines: dict[str, list[int]] = {}
    lineno, counted = 1, 0
    for match in ENTRY_RE.finditer(text):
        lineno += text.count("\n", counted, match.start())  # count each stretch once
        counted = match.start()
        if match.group("type").lower() in {"comment", "preamble", "string"}:
            continue
        lines.setdefault(match.group("key").lower(), []).append(lineno)
    return lines


_AT_RE = re.compile(r"@[ \t]*(?P<type>\w+)[ \t]*\{[ \t]*(?P<key>[^,\s{}]*)")
_STRAY_FIELD_RE = re.compile(r"^[ \t]*,?[ \t]*(?P<name>[A-Za-z][\w:.-]*)[ \t]*=[ \t]*[{\"0-9]", re.M)


def closed_early(path: Path, text: str) -> list[BibProblem]:
    """An entry a ``}`` too many closes early (``title = {A}},``): BibTeX reads the text between
    entries as a comment, so pybtex keeps the entry and silently drops every field after the
    stray brace. Refused at the stray brace's line, naming the first field lost."""
    problems: list[BibProblem] = []
    position = 0
    while (match := _AT_RE.search(text, position)) is not None:
        depth, index = 0, match.end() - len(match.group("key")) - 1  # the entry's opening brace
        while index < len(text):
            depth += {"{": 1, "}": -1}.get(text[index], 0)
            if depth == 0:
                break
            index += 1
        if index >= len(text):
            return problems  # left open: pybtex's syntax error says where
        following = _AT_RE.search(text, index + 1)
        between = text[index + 1:following.start() if following else len(text)]
        field = next((found for found in _STRAY_FIELD_RE.finditer(between)
                      if not between[:found.start()].rsplit("\n", 1)[-1].lstrip().startswith("%")), None)
        if field is not None and match.group("type").lower() not in {"comment", "preamble", "string"}:
            end_line = text.count("\n", 0, index) + 1
            field_line = text.count("\n", 0, index + 1 + field.start("name")) + 1
            problems.append(BibProblem(
                path, end_line,
                f"entry {match.group('key')!r} ends here, before its field {field.group('name')!r} (line "
                f"{field_line}): a '}}' too many closes the entry early and BibTeX drops every field after it; "
                "delete the extra '}'", fatal=True))
        position = index + 1
    return problems


def duplicate_keys(path: Path, lines: dict[str, list[int]]) -> list[BibProblem]:
    """Problems for each key defined twice; `lines` is what entry_lines gives for the file."""
    return [
        BibProblem(
            path,
            where[1],
            f"duplicate key {key!r} (first defined at line {where[0]}): "
            "rename one of the entries or delete the copy",
            fatal=True,
        )
        for key, where in lines.items()
        if len(where) > 1
    ]


# C0 and C1 control characters (tab, line feed and carriage return aside) and DEL.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Explicit bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder the
# text around them, so what a reader sees is not what the file says ("Trojan Source"). The
# marks U+200E, U+200F and U+061C, which names in right-to-left scripts need, reorder nothing.
BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")


def url_problem(url: str) -> str:
    """What keeps `url` from being a link of the site ('' when it is a valid http(s) URL)."""
    url = url.strip()
    bad = CONTROL_RE.search(url) or BIDI_RE.search(url)
    if bad:
        return f"holds the control character U+{ord(bad.group(0)):04X}: delete it"
    if not re.match(r"https?://", url, re.I):
        return "only http:// and https:// links are allowed"
    if re.search(r"\s", url):
        return "holds white space: encode it (%20) or delete it"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as error:
        return f"is not a valid URL ({error})"
    if not parts.hostname:
        return "has no host name"
    return ""


def is_http_url(url: str) -> bool:
    return url_problem(url) == ""


def character_problems(path: Path, text: str) -> list[BibProblem]:
    """A problem for each control or bidi control character of a .bib file, naming its line
    and the entry it stands in."""
    problems = []
    starts = [(m.start(), m.group("key")) for m in ENTRY_RE.finditer(text)]
    for match in re.finditer(f"{CONTROL_RE.pattern}|{BIDI_RE.pattern}", text):
        line = text.count("\n", 0, match.start()) + 1
        key = open_entry(starts, match.start())
        kind = "bidi control" if BIDI_RE.match(match.group(0)) else "control"
        problems.append(BibProblem(
            path, line, f"{kind} character U+{ord(match.group(0)):04X}"
            + (f" in entry {key!r}" if key else "")
            + ": delete it (it hides or reorders what a reader sees)", fatal=True))
    return problems


def open_entry(starts: list[tuple[int, str]], offset: int) -> str | None:
    """The key of the entry open at `offset` (the last to begin before it); `starts`:
    (offset, key) of each entry in the file, in order."""
    key = None
    for start, name in starts:
        if start >= offset:
            break
        key = name
    return key


def syntax_error_entry(text: str, offset: int) -> tuple[str, int] | None:
    """(key, line) of the entry a syntax error at `offset` is in: the last entry that began
    before the error (an unclosed brace runs on into the next entry or the end of file)."""
    starts = [(m.start(), m.group("key")) for m in ENTRY_RE.finditer(text)]
    key = open_entry(starts, offset)
    if key is None:
        return None
    start = max(start for start, name in starts if name == key and start < offset)
    return key, text.count("\n", 0, start) + 1


def crossref_problems(path: Path, entries, lines: dict[str, int]) -> list[BibProblem]:
    """A problem for each crossref naming no entry of the library. entries: pybtex entries."""
    keys = {key.lower() for key in entries}
    return [
        BibProblem(path, lines.get(key.lower(), 1),
                   f"entry {key!r} has crossref {str(entry.fields['crossref'])!r}, which names no entry "
                   "of the library: add that entry, or fix or delete the crossref")
        for key, entry in entries.items()
        if "crossref" in entry.fields and str(entry.fields["crossref"]).strip().lower() not in keys
    ]


def check_entry(key: str, entry, path: Path, line: int) -> list[BibProblem]:
    """The checks a cited entry must pass: a title; a URL where it is online (whether a URL
    is a valid http(s) one is checked for every entry, cited or not, by the citation hook)."""
    fields = {name.lower(): str(value) for name, value in entry.fields.items()}
    problems = []
    if not fields.get("title", "").strip():
        problems.append(BibProblem(path, line, f"entry {key!r} has no title: add 'title = {{...}}'"))
    url = fields.get("url", "").strip()
    online = entry.type.lower() in ONLINE_TYPES or "urldate" in fields
    if online and not url:
        problems.append(
            BibProblem(path, line, f"entry {key!r} is an online source without a url: add 'url = {{https://...}}'")
        )
    return problems


# --------------------------------------------------------------------------- pandoc


@dataclass
class Rendered:
    notes: list[str]  # cleaned HTML of each note, in the order of the citations given
    bibliography: dict[str, str] = field(default_factory=dict)  # key -> cleaned HTML, in style order


BIBLIOGRAPHIES = ("none", "cited", "all")  # no bibliography; the entries cited; every entry of the library


def pandoc_document(citations: list[Citation], bibliography: str = "none",
                    extras: dict[str, dict[str, str]] | None = None) -> str:
    """One paragraph per citation, and the bibliography (``BIBLIOGRAPHIES``: none, the entries
    the citations cite, or every entry); `extras` (key -> CSL variable -> text) go in the
    metadata for the Lua filter that adds them (``csl_extras.lua``), as JSON (which YAML reads)."""
    if bibliography not in BIBLIOGRAPHIES:
        raise ValueError(f"bibliography must be one of {BIBLIOGRAPHIES}, not {bibliography!r}")
    meta = ["---", "link-citations: false"]
    if bibliography == "all":
        meta.append("nocite: '@*'")
    elif bibliography == "none":
        meta.append("suppress-bibliography: true")
    if extras:
        meta.append("briefing-csl-extras: " + json.dumps(extras, sort_keys=True))
    meta.append("---")
    body = [f"Citation{index}{citation.text}" for index, citation in enumerate(citations)]
    return "\n".join(meta) + "\n\n" + "\n\n".join(body) + "\n"


# A style that counts the distance between notes or prints note numbers renders a citation
# differently depending on where it stands: no two citations are then alike.
ORDER_SENSITIVE = ("near-note", "first-reference-note-number")


def _same(a: Citation | None, b: Citation | None) -> bool:
    return a is not None and b is not None and " ".join(a.text.split()) == " ".join(b.text.split())


def _shares(a: Citation | None, b: Citation) -> bool:
    return a is not None and not set(a.keys).isdisjoint(b.keys)


def distinct_citations(citations: list[Citation], csl_text: str) -> tuple[list[Citation], list[int]]:
    """The citations pandoc must see, and for each given citation the index of the one (among
    them) whose note it shares.

    A note depends on the citation's text; on whether each of its sources is cited for the
    first time; and, in a style with "ibid." (CSL position ibid), on the citation just before
    it when that one cites one of the same sources. Citations alike in all three share a
    note. The first citation of a source is always kept and the kept ones stay in reading
    order, so each keeps its first/subsequent position. For an "ibid." style each kept citation
    also gets the neighbour it had: its own predecessor when they share a source, else one that
    shares none (a repeat of an earlier citation, inserted when needed, whose note is unused)."""
    if any(marker in csl_text for marker in ORDER_SENSITIVE):
        return citations, list(range(len(citations)))
    ibid = "ibid" in csl_text
    seen_keys: set[str] = set()
    kept: list[Citation] = []
    index_of: dict[tuple, int] = {}
    mapping = []
    previous: Citation | None = None
    for citation in citations:
        shares = ibid and _shares(previous, citation)
        signature = (
            " ".join(citation.text.split()),
            tuple(key in seen_keys for key in citation.keys),
            " ".join(previous.text.split()) if shares else None,
        )
        seen_keys.update(citation.keys)
        if signature not in index_of:
            last = kept[-1] if kept else None
            # `previous` was cited before and all its sources too: a repeat of it changes no
            # first/subsequent position, and its own note is never used.
            if shares and not _same(last, previous) or ibid and not shares and _shares(last, citation):
                kept.append(previous)
            index_of[signature] = len(kept)
            kept.append(citation)
        mapping.append(index_of[signature])
        previous = citation
    return kept, mapping


class _PandocOutput(HTMLParser):
    """Collects footnotes (<li id="fnN">) and bibliography entries (<div id="ref-KEY">)."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.notes: dict[int, list[str]] = {}
        self.entries: dict[str, list[str]] = {}
        self._target: list[str] | None = None
        self._depth = 0
        self._tag = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        ident = attributes.get("id") or ""
        if self._target is None:
            if tag == "li" and re.fullmatch(r"fn\d+", ident):
                self._target = self.notes.setdefault(int(ident[2:]), [])
            elif tag == "div" and ident.startswith("ref-"):
                self._target = self.entries.setdefault(ident[4:], [])
            else:
                return
            self._tag, self._depth = tag, 1
            return
        if tag == self._tag:
            self._depth += 1
        self._target.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        if self._target is not None:
            self._target.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if self._target is None:
            return
        if tag == self._tag:
            self._depth -= 1
            if self._depth == 0:
                self._target = None
                return
        self._target.append(f"</{tag}>")

    def handle_data(self, data):
        if self._target is not None:
            self._target.append(data)

    def handle_entityref(self, name):
        if self._target is not None:
            self._target.append(f"&{name};")

    def handle_charref(self, name):
        if self._target is not None:
            self._target.append(f"&#{name};")


def parse_pandoc_html(output: str, count: int) -> Rendered:
    parser = _PandocOutput()
    parser.feed(output)
    parser.close()
    if sorted(parser.notes) != list(range(1, count + 1)):
        raise RuntimeError(
            f"pandoc returned {len(parser.notes)} notes for {count} citations; "
            "a citation's syntax is not one pandoc reads"
        )
    fragments = ["".join(parser.notes[number]) for number in range(1, count + 1)]
    fragments += ["".join(parts) for parts in parser.entries.values()]
    cleaned = clean_many(fragments)
    return Rendered(notes=cleaned[:count], bibliography=dict(zip(parser.entries, cleaned[count:], strict=True)))


# --------------------------------------------------------------------------- cleaning

ALLOWED = {"em", "i", "strong", "b", "sup", "sub", "small"}
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "base", "col", "embed", "param", "track"}
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "template"}


class _Cleaner(HTMLParser):
    """Re-emits HTML keeping only inline formatting and http(s) links; all text escaped.

    pandoc's own footnote back-links, paragraph wrappers and the protective <span>s it
    puts around braced words are dropped (their text is kept).
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[str | None] = []
        self.skip = False

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attributes = dict(attrs)
        if self.skip:
            self.stack.append("nested")
        elif tag in DROP_WITH_CONTENT or (tag == "a" and "footnote-back" in (attributes.get("class") or "")):
            self.skip = True
            self.stack.append("skip")
        elif tag == "a" and is_http_url(attributes.get("href") or ""):
            self.out.append(f'<a href="{html.escape(attributes["href"], quote=True)}">')
            self.stack.append("a")
        elif tag in ALLOWED:
            self.out.append(f"<{tag}>")
            self.stack.append(tag)
        else:
            self.stack.append("")

    def handle_endtag(self, tag):
        if tag in VOID or not self.stack:
            return
        opened = self.stack.pop()
        if opened == "skip":
            self.skip = False
        elif opened and opened != "nested":
            self.out.append(f"</{opened}>")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(html.escape(data, quote=False))


def clean_html(fragment: str) -> str:
    return clean_many([fragment])[0]


# What _Cleaner writes, token by token: escaped text (single spaces, no other white space, no
# separator), an allowed tag, a closing tag, a link with its escaped address.
_CLEAN_TOKEN = re.compile(
    r"(?:[^<>&\s\x00]|&(?:amp|lt|gt);| (?=[^ ]))+"
    r"|<(?P<open>" + "|".join(sorted(ALLOWED)) + r")>"
    r"|</(?P<close>" + "|".join(sorted(ALLOWED | {"a"})) + r")>"
    r'|<a href="(?P<href>[^"<>]*)">'
)


def looks_clean(fragment: str) -> bool:
    """Whether `fragment` is, token by token, what ``clean_html`` writes (so ``clean_html`` would
    give it back unchanged), told without an HTML parser: escaped text, the allowed tags properly
    nested, http(s) links with their addresses escaped as the cleaner escapes them. False says
    only "not sure": ``read_cache`` then asks ``clean_html`` itself. A result read from the cache
    is checked this way, a parser's work for each of a note's 350 fragments saved."""
    if fragment[:1] == " " or fragment[-1:] == " ":
        return False
    stack: list[str] = []
    position = 0
    while position < len(fragment):
        token = _CLEAN_TOKEN.match(fragment, position)
        if token is None:
            return False
        position = token.end()
        if token["open"]:
            stack.append(token["open"])
        elif token["close"]:
            if not stack or stack.pop() != token["close"]:
                return False
        elif token["href"] is not None:
            address = html.unescape(token["href"])
            if not is_http_url(address) or html.escape(address, quote=True) != token["href"]:
                return False
            stack.append("a")
    return not stack


_SEPARATOR = "\x00"


def clean_many(fragments: list[str]) -> list[str]:
    """clean_html for many fragments in one parser pass (each fragment is balanced HTML)."""
    cleaner = _Cleaner()
    cleaner.feed(_SEPARATOR.join(fragment.replace(_SEPARATOR, "") for fragment in fragments))
    cleaner.close()
    cleaner.out.extend(f"</{tag}>" for tag in reversed(cleaner.stack) if tag and tag not in ("nested", "skip"))
    return [re.sub(r"\s+", " ", part).strip() for part in "".join(cleaner.out).split(_SEPARATOR)]


def cache_key(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def strip_tags(fragment: str) -> str:
    """The text of an HTML fragment (entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def body_line_offset(source: str, body: str) -> int:
    """Lines before `body` in `source` (the front matter MkDocs strips), so that a line of the
    body can be reported as a line of the file."""
    return source[: len(source) - len(body)].count("\n") if source.endswith(body) else 0


def read_cache(path: Path) -> Rendered | None:
    """A cached result, or None when it is missing, malformed or not what ``write_cache`` wrote.

    Whatever comes from disk is cleaned again, each fragment on its own (as pandoc's output
    is); a file whose text cleaning would change (edited by hand, or by anything else that can
    write ``.cache/``: a ``<script>``, an unclosed tag, a ``javascript:`` link) is not used at
    all, so pandoc renders again and the entry is rewritten."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        notes, entries = data["notes"], data["bibliography"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not (isinstance(notes, list) and isinstance(entries, list)):
        return None
    if not all(isinstance(note, str) for note in notes) or not all(
        isinstance(entry, list) and len(entry) == 2 and all(isinstance(part, str) for part in entry)
        for entry in entries
    ):
        return None
    fragments = notes + [text for _key, text in entries]
    if any(not looks_clean(fragment) and clean_html(fragment) != fragment for fragment in fragments):
        return None
    return Rendered(notes=notes, bibliography=dict((key, text) for key, text in entries))


def write_cache(folder: Path, name: str, rendered: Rendered) -> None:
    """Write one result (``prune_cache`` removes the results a build no longer uses)."""
    write_json(folder, name, {"notes": rendered.notes, "bibliography": list(rendered.bibliography.items())})


def write_json(folder: Path, name: str, document: Any) -> None:
    """Write a cache file atomically (a temporary file of its own, renamed into place): a build
    reading the folder meanwhile finds a whole file or none."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(document, out)
            os.replace(temporary, folder / name)
        finally:
            Path(temporary).unlink(missing_ok=True)
    except OSError:
        pass  # a read-only checkout still builds; it just works it out again next time


def prune_cache(folder: Path, keep: set[str]) -> None:
    """Remove every result in ``folder`` but those named in ``keep`` (one per note of the last build)."""
    try:
        for old in folder.glob("*.json"):
            if old.name not in keep:
                old.unlink(missing_ok=True)
    except OSError:
        pass


# --------------------------------------------------------------------------- placeholders
# Private-use characters: Markdown leaves them alone and heading slugs drop them.
_OPEN, _CLOSE, _DIGIT0 = "\ue000", "\ue001", 0xE010
BIBLIOGRAPHY_TOKEN = "\ue002"


def numbered_token(number: int, open_: str, close: str) -> str:
    """A placeholder: `number` in private-use digits between two private-use delimiters."""
    return open_ + "".join(chr(_DIGIT0 + int(digit)) for digit in str(number)) + close


def replace_numbered_tokens(text: str, open_: str, close: str, render) -> str:
    """Each placeholder made by numbered_token(n, open_, close) replaced by render(n)."""
    if open_ not in text:
        return text
    pattern = re.escape(open_) + "([\ue010-\ue019]+)" + re.escape(close)
    return re.sub(pattern, lambda m: render(int("".join(str(ord(c) - _DIGIT0) for c in m.group(1)))), text)


def note_token(number: int) -> str:
    return numbered_token(number, _OPEN, _CLOSE)


def replace_note_tokens(html_text: str, render) -> str:
    """Replace each note placeholder by render(number)."""
    return replace_numbered_tokens(html_text, _OPEN, _CLOSE, render)


def replace_bibliography_token(html_text: str, bibliography: str) -> str:
    html_text = html_text.replace(f"<p>{BIBLIOGRAPHY_TOKEN}</p>", bibliography)
    return html_text.replace(BIBLIOGRAPHY_TOKEN, bibliography)
