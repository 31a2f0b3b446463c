"""Links of a built site: reading every URL-bearing attribute and ``id`` of its HTML files,
resolving a link to a file of the site (and its fragment to an element of that file), and
the rules every URL obeys:

- what the browser fetches by itself as a page loads (``src``, ``srcset``, ``poster``,
  ``<object data>``, ``<link href>`` but for plain links such as ``rel=canonical``,
  ``<base href>``, a meta refresh, ``url()`` and ``@import`` in a ``style`` attribute or a
  ``<style>`` element, SVG ``href``/``xlink:href``, ``ping``, form ``action`` and
  ``formaction``...) points into the site: no third-party request;
- every link a reader follows (``<a href>``, ``cite``...) is a link of the site, http(s) or
  ``mailto:``;
- no URL runs code or holds a page (``javascript:``, ``data:``), holds a control character
  or fails to parse; no inline event handler (``onclick``...) or ``srcdoc``.

Pure functions over HTML: ``check_links.py`` runs them on each page's content (where a
problem can be named by its Markdown line) and on ``site_dir`` after a build;
``_linkcheck.py`` reuses the scanner to collect the external links; the tests call them
directly.
"""

from __future__ import annotations

import functools
import html
import os
import posixpath
import re
import sys
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

import lxml.html
import tinycss2
from lxml import etree

# Attributes whose URL the browser fetches by itself (``href`` and ``xlink:href`` depend on
# the element: see is_fetched).
FETCH_ATTRS = {"src", "srcset", "imagesrcset", "poster", "data", "action", "formaction", "ping", "background",
               "manifest", "codebase", "archive", "lowsrc", "dynsrc"}
# Attributes holding a link a reader may follow.
LINK_ATTRS = {"href", "xlink:href", "cite", "longdesc"}
URL_ATTRS = FETCH_ATTRS | LINK_ATTRS
# Attributes holding several URLs: a srcset's candidates, or space-separated lists.
LIST_ATTRS = {"ping", "archive"}
SRCSET_ATTRS = {"srcset", "imagesrcset"}
_ONE_URL = URL_ATTRS - LIST_ATTRS - SRCSET_ATTRS  # attributes holding one URL
# <link rel> values that name a page rather than make the browser fetch something.
PLAIN_RELS = {"alternate", "author", "bookmark", "canonical", "external", "help", "license", "me", "next",
              "nofollow", "noopener", "noreferrer", "prev", "privacy-policy", "search", "tag",
              "terms-of-service"}
# Schemes a link of the site may use without being checked here.
ACCEPTED_SCHEMES = {"mailto"}
EXTERNAL_SCHEMES = {"http", "https"}
# Schemes that run code or inline content: never allowed in a link of the site.
FORBIDDEN_SCHEMES = {"javascript", "data", "vbscript"}
SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# What a browser ignores in a URL before it reads its scheme.
_IGNORED = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_REFRESH_URL = re.compile(r"^\s*\d*(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?(?P<q>['\"]?)(?P<url>.*?)(?P=q)\s*$",
                          re.I | re.S)
# CSS functions whose string arguments are URLs (url("...") is a function, url(...) a token).
_CSS_URL_FUNCTIONS = {"url", "src", "image", "image-set", "-webkit-image-set"}


@dataclass(frozen=True, slots=True)  # slots: a 600-page site's scans hold 133,000 of them (issue 14)
class Link:
    url: str  # the attribute value (one URL of it), entities decoded
    tag: str
    attr: str  # "style" for a url() in a style attribute or a <style> element
    line: int  # 1-based line in the HTML
    rel: str = ""  # the rel attribute of <a>/<link>, lower-cased
    fetch: bool = False  # the browser fetches it by itself, as the page loads


@dataclass(frozen=True, slots=True)
class Inline:
    """Code or a page written into the HTML instead of a file of the site: an event handler
    attribute, an iframe's srcdoc, an inline script."""

    tag: str
    attr: str  # "onclick", "srcdoc", or "" for an inline <script>
    line: int
    text: str


@dataclass
class HtmlScan:
    links: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    duplicate_ids: dict[str, list[int]] = field(default_factory=dict)  # id -> lines of each element
    inline: list[Inline] = field(default_factory=list)  # handlers and srcdoc
    scripts: list[Inline] = field(default_factory=list)  # inline <script>s (data blocks, JSON, aside)
    # where each link leads, worked out with the scan (locate_links; None: not yet): not part of
    # what the page holds, so two scans of one file are equal with it or without
    located: Located | None = field(default=None, compare=False)


# Every attribute scan_tree reads, in one pass over the document, in document order (a union
# of one //@name per attribute would walk it once for each: twice the time).
_NAMES = " " + " ".join(sorted(URL_ATTRS | {"style", "srcdoc"})) + " "
_ATTRS = etree.XPath(f"//@*[contains('{_NAMES}', concat(' ', name(), ' ')) or starts-with(name(), 'on')]"
                     " | //meta[@http-equiv]/@content")
_STYLES = etree.XPath("//style")
_SCRIPTS = etree.XPath("//script[not(@src)]")
_IDS = etree.XPath("//@id | //a/@name")
_ID_ATTRS = etree.XPath("//@id")
_DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "importmap", "text/template"}


def is_fetched(tag: str, attr: str, rel: str) -> bool:
    """Whether the browser fetches this attribute's URL by itself, as the page loads."""
    if attr in FETCH_ATTRS:
        return True
    if attr in ("href", "xlink:href"):
        if tag in ("a", "area"):
            return False
        if tag == "link":
            return not set(rel.split()) <= PLAIN_RELS
        return True  # <base>, and SVG's <image>, <use>, <feImage>, <script>...
    return False


def parse_html(text: str, fragment: bool = False):
    """An lxml tree of a document (or, with `fragment`, of a piece of one inside a <div>)."""
    if fragment:
        return lxml.html.fragment_fromstring(text, create_parent="div")
    try:
        return lxml.html.document_fromstring(text)
    except ValueError:  # a str with an XML encoding declaration: let lxml decode the bytes
        return lxml.html.document_fromstring(text.encode("utf-8"))


def scan_html(text: str, fragment: bool = False) -> HtmlScan:
    """Every URL-bearing attribute (with its line), every id, every inline handler and
    script of an HTML document (or, with `fragment`, of a page's content).

    libxml2 (lxml) parses; XPath picks the attributes: about 20 times the speed of
    html.parser, which matters at hundreds of pages with the whole navigation in each."""
    scan = HtmlScan()
    if not text.strip():
        return scan
    return scan_tree(parse_html(text, fragment), scan)


def scan_tree(root, scan: HtmlScan | None = None) -> HtmlScan:
    """scan_html for a parsed tree."""
    scan = HtmlScan() if scan is None else scan
    scan.ids.update(str(value) for value in _IDS(root))
    lines: dict[str, list[int]] = {}
    for value in _ID_ATTRS(root):
        lines.setdefault(str(value), []).append(value.getparent().sourceline or 0)
    scan.duplicate_ids = {ident: where for ident, where in lines.items() if len(where) > 1}
    links = scan.links
    intern = sys.intern  # a page repeats its URLs, tags and attribute names (the navigation): one string each
    for value in _ATTRS(root):
        element, name = value.getparent(), value.attrname
        if name in _ONE_URL:  # most of them: inlined, as a page with the navigation has thousands
            tag, name = intern(element.tag), intern(name)
            rel = intern((element.get("rel") or "").lower())
            links.append(Link(intern(str(value)), tag, name, element.sourceline or 0, rel, is_fetched(tag, name, rel)))
        elif name.startswith("on") or name == "srcdoc":
            scan.inline.append(Inline(element.tag, name, element.sourceline or 0, str(value)[:80]))
        else:
            links.extend(attribute_links(element, name, str(value)))
    for style in _STYLES(root):
        scan.links.extend(style_links(style))
    for script in _SCRIPTS(root):
        if (script.text or "").strip() and (script.get("type") or "").strip().lower() not in _DATA_SCRIPT_TYPES:
            scan.scripts.append(Inline("script", "", script.sourceline or 0, (script.text or "").strip()[:80]))
    return scan


def attribute_links(element, name: str, value: str) -> list[Link]:
    """The URLs one attribute of `element` holds, as Links (none for most attributes)."""
    line = element.sourceline or 0
    rel = (element.get("rel") or "").lower()
    if name == "style":
        return [Link(url, element.tag, "style", line + offset, rel, True)
                for url, offset in css_urls(value, declarations=True)]
    if name == "content":
        url = refresh_url(element) if element.tag == "meta" else None
        return [] if url is None else [Link(url, "meta", "http-equiv=refresh", line, "", True)]
    if name not in URL_ATTRS:
        return []
    if name in SRCSET_ATTRS:
        urls = srcset_urls(value)
    elif name in LIST_ATTRS:
        urls = value.split()
    else:
        urls = [value]
    fetch = is_fetched(element.tag, name, rel)
    return [Link(url, element.tag, name, line, rel, fetch) for url in urls]


def style_links(style) -> list[Link]:
    """The URLs of a <style> element's url()s and @imports."""
    return [Link(url, "style", "style", (style.sourceline or 1) + offset, "", True)
            for url, offset in css_urls(style.text or "")]


def refresh_url(meta) -> str | None:
    """The URL a ``<meta http-equiv="refresh" content="5; url=...">`` sends the browser to."""
    if (meta.get("http-equiv") or "").strip().lower() != "refresh":
        return None
    match = _REFRESH_URL.match(meta.get("content") or "")
    return match.group("url").strip() if match and match.group("url").strip() else None


def css_urls(css: str, declarations: bool = False) -> list[tuple[str, int]]:
    """(URL, lines after the first) of every url(), image-set() string and @import of a
    style sheet (or, with `declarations`, of a style attribute). tinycss2 tokenizes, so
    escapes (``u\\72l(``) and comments hide nothing."""
    found: list[tuple[str, int]] = []

    def walk(tokens) -> None:
        for token in tokens or []:
            kind = token.type
            if kind == "url":
                found.append((token.value, token.source_line - 1))
            elif kind == "function":
                if token.lower_name in _CSS_URL_FUNCTIONS:
                    found.extend((arg.value, arg.source_line - 1) for arg in token.arguments if arg.type == "string")
                walk(token.arguments)
            elif kind == "at-rule":
                if token.lower_at_keyword == "import":
                    found.extend((arg.value, arg.source_line - 1) for arg in token.prelude if arg.type == "string")
                walk(token.prelude)
                walk(token.content)
            elif kind == "qualified-rule":
                walk(token.prelude)
                walk(token.content)
            elif kind in ("() block", "[] block", "{} block"):
                walk(token.content)

    if declarations:
        walk(tinycss2.parse_component_value_list(css, skip_comments=True))
    else:
        walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return found


def srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset`` (``url [descriptor], ...``); a data: URL is kept whole."""
    if scheme_of(value) == "data":
        return [value.strip()]
    urls = []
    for candidate in value.split(","):
        parts = candidate.split()
        if parts:
            urls.append(parts[0])
    return urls


def scheme_of(url: str) -> str:
    """The lower-cased scheme of a URL as a browser reads it ('' for a relative URL)."""
    cleaned = _IGNORED.sub("", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10"
                                           "\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    match = SCHEME_RE.match(cleaned)
    return match.group(1).lower() if match else ""


# --------------------------------------------------------------------------- the site


@dataclass(frozen=True)
class Base:
    """Where the site is served from: ``site_url``'s host and path (``/`` without one)."""

    scheme_host: str = ""  # "https://example.github.io", or "" without site_url
    path: str = "/"  # always ends with "/"

    @classmethod
    def from_site_url(cls, site_url: str | None) -> Base:
        if not site_url:
            return cls()
        parts = urlsplit(site_url)
        path = parts.path or "/"
        if not path.endswith("/"):
            path += "/"
        return cls(f"{parts.scheme.lower()}://{parts.netloc.lower()}", path)

    def own(self, url: str) -> str | None:
        """For an absolute http(s) URL of this site, its path below the site's root; else None."""
        if not self.scheme_host:
            return None
        parts = urlsplit(url.strip())
        host = self.scheme_host.split("://", 1)[1]
        if parts.scheme.lower() not in EXTERNAL_SCHEMES or parts.netloc.lower() != host:
            return None
        path = parts.path or "/"
        if not (path + "/").startswith(self.path):
            return None
        return path[len(self.path):]


@dataclass(frozen=True, slots=True)
class ScanSummary:
    """What the whole-site check needs of a page whose scan shows nothing wrong of its own: its
    ids (links to them), its distinct targets (each looked up once) and its number of links.
    ``flagged``: the page has a problem of its own (a refused link, an inline handler, a
    duplicate id), so the check reads it again, whole, for the lines. At series size the pages'
    scans are summarised where they are made (the worker process), and a page is read again
    from ``site_dir`` only when one of its links is broken or it is flagged: the build holds a
    few MB of summaries instead of every link of every page (about 35 MB at 600 pages)."""

    ids: frozenset[str]
    targets: tuple[Target, ...]
    flagged: bool
    links: int


def summarize(scan: HtmlScan, page: str, base: Base) -> ScanSummary:
    where = _located(scan, page, base)
    intern = sys.intern
    return ScanSummary(frozenset(intern(ident) for ident in scan.ids), tuple(map(shared, where.targets)),
                       bool(scan.duplicate_ids or scan.inline or where.refused), len(scan.links))


# This process's Targets, one object for each (the theme's links are the same targets on every
# page): summaries that share them pickle each once a batch (pickle's memo), and a 600-page
# build's summaries hold 90,000 links to a few thousand Targets, not 90,000 tuples.
_SHARED: dict[Target, Target] = {}
SHARED_MAX = 200_000  # forgotten beyond this (a long `mkdocs serve`): sharing saves memory, it is not needed


def shared(target: Target) -> Target:
    """The one object of this process equal to ``target``."""
    if len(_SHARED) >= SHARED_MAX:
        _SHARED.clear()
    return _SHARED.setdefault(target, target)


def whole_scans(site_dir: Path, scans: dict[str, HtmlScan | ScanSummary]) -> dict[str, HtmlScan]:
    """Every page's whole scan: a summarised page read again from ``site_dir``."""
    return {page: scan if isinstance(scan, HtmlScan)
            else scan_html((site_dir / page).read_text(encoding="utf-8", errors="replace"))
            for page, scan in scans.items()}


@dataclass(frozen=True)
class Problem:
    page: str  # site path of the HTML file holding the link, e.g. "conclusion/index.html"
    link: str
    line: int
    reason: str


def html_files(site_dir: Path) -> list[str]:
    """Site paths (posix, relative to site_dir) of every HTML file of the site, sorted."""
    return sorted(path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*.html") if path.is_file())


def scan_site(site_dir: Path) -> dict[str, HtmlScan]:
    return {page: scan_html((site_dir / page).read_text(encoding="utf-8", errors="replace"))
            for page in html_files(site_dir)}


class SiteTree:
    """The files and folders of a built site, listed once: a link check asks about each of
    thousands of links, and a set look-up is far cheaper than a stat."""

    def __init__(self, site_dir: Path, expected: frozenset[str] | set[str] = frozenset()):
        self.files: set[str] = set(expected)  # files the build writes after the check (the PDF)
        self.dirs: set[str] = {""}
        for path in site_dir.rglob("*"):
            (self.files if path.is_file() else self.dirs).add(path.relative_to(site_dir).as_posix())

    def is_file(self, target: str) -> bool:
        return target in self.files

    def is_dir(self, target: str) -> bool:
        return target in self.dirs


class Target(NamedTuple):
    """Where a link leads, worked out from the link and its page alone (the site not yet
    consulted): the site path it names, whether it names a folder, its fragment. Links that
    name one place from different pages (``../x/`` on one page, ``x/`` on another, the theme's
    links on every page) have one Target, so the site is asked about it once. (A tuple: a
    600-page site's check hashes about 90,000 of them, in C.)"""

    path: str  # site path as the link names it: "x/index.html", "x" (a file or a folder), "" (the root)
    is_dir: bool  # the link names a folder ("x/", "."), so only its index.html can answer
    fragment: str  # unquoted, "" for none


# A relative link with no scheme, query or character urlsplit would drop (most links of a page:
# its navigation, its notes): locate reads its path and fragment without urlsplit.
_PLAIN_RELATIVE = re.compile(r"[^:/?\\\t\r\n][^:?\\\t\r\n]*")


def locate(link: str, page: str, base: Base) -> Target | tuple[None, str, str]:
    """The ``Target`` of an internal link of ``page``, or (None, fragment, reason) for a link
    that leads nowhere in the site (outside it, or to another site). String work only."""
    text = link.strip()
    before, _, after = text.partition("#")
    if "\t" not in after and "\r" not in after and "\n" not in after:
        if not before:
            return Target(page, False, unquote(after))  # "#id" or "": the page itself
        if _PLAIN_RELATIVE.fullmatch(before):
            return _relative(unquote(before), posixpath.dirname(page), unquote(after))
    parts = urlsplit(text)
    fragment = unquote(parts.fragment)
    own = base.own(link)
    if own is not None:
        path, relative_to = own, ""
    elif parts.scheme or parts.netloc:
        return None, fragment, "not a link of this site"
    elif parts.path.startswith("/"):
        if not (parts.path + "/").startswith(base.path):
            return None, fragment, f"absolute path outside the site's base path {base.path!r}"
        path, relative_to = parts.path[len(base.path):], ""
    elif not parts.path:
        return Target(page, False, fragment)  # "#id", "?query" or "": the page itself
    else:
        path, relative_to = parts.path, posixpath.dirname(page)
    return _relative(unquote(path), relative_to, fragment)


def _relative(path: str, relative_to: str, fragment: str) -> Target | tuple[None, str, str]:
    """The Target of ``path`` (unquoted) from the folder ``relative_to`` ("" for the root)."""
    is_dir = path == "" or path.endswith("/") or posixpath.basename(path) in (".", "..")
    target = posixpath.normpath(posixpath.join(relative_to, path)) if path else (relative_to or ".")
    if target == ".." or target.startswith("../") or posixpath.isabs(target):
        return None, fragment, "leads outside the site"
    return Target("" if target == "." else target, is_dir, fragment)


NOT_CHECKED = -1  # Located.which: a link checked elsewhere (mailto:, external) or not at all
REFUSED = -2  # Located.which: a link refused whatever the site holds (Located.refused says why)


@dataclass(frozen=True)
class Located:
    """Where each link of a page leads (``locate_links``), worked out where the page is scanned
    (at series size in the build's worker process), so the site's check only looks up each
    distinct target once, and the page's links only for a target that turned out broken."""

    page: str  # the page's site path, and the site's base, it was worked out for
    base: Base
    targets: tuple[Target, ...]  # the page's distinct targets, in the order its links first name them
    which: array  # for each link of the scan: its target's index in targets, NOT_CHECKED or REFUSED
    refused: dict[int, str]  # link index -> why (a rule it breaks, a link that leads out of the site)


def locate_links(scan: HtmlScan, page: str, base: Base) -> Located:
    """Each link of ``page``'s scan located (string work only: the site is not consulted)."""
    index: dict[Target, int] = {}
    which = array("i")
    refused: dict[int, str] = {}
    for number, link in enumerate(scan.links):
        placed = place(link, page, base)
        if placed is None:
            which.append(NOT_CHECKED)
        elif isinstance(placed, str):
            refused[number] = placed
            which.append(REFUSED)
        else:
            which.append(index.setdefault(placed, len(index)))
    return Located(page, base, tuple(index), which, refused)


def place(link: Link, page: str, base: Base) -> Target | str | None:
    """Where a link of ``page`` leads, from the link and its page alone: its Target; why it is
    refused whatever the site holds (a rule it breaks, a path that leaves the site); or None, a
    link checked elsewhere (mailto:, external: on demand, by the external check)."""
    problem, elsewhere = _rules(link.url, link.fetch, link.tag, link.attr, base)
    if problem:
        return problem
    if elsewhere:
        return None
    located = locate(link.url, page, base)
    return located if isinstance(located, Target) else f"broken link: {located[2]}"


def find(target: Target, tree: SiteTree) -> tuple[str | None, str]:
    """The file of the site a Target leads to (its index.html for a folder), or None and why."""
    path = target.path
    if not target.is_dir and tree.is_file(path):
        return path, ""
    index = posixpath.join(path, "index.html") if path else "index.html"
    if tree.is_dir(path) and tree.is_file(index):
        return index, ""
    expected = index if target.is_dir or tree.is_dir(path) else path
    return None, f"no file {expected!r} in the site"


def resolve(link: str, page: str, base: Base, site: Path | SiteTree) -> tuple[str | None, str, str]:
    """Where an internal link of ``page`` leads: (site path of the target file or None,
    fragment, reason when it leads nowhere). ``site``: the site folder, or its SiteTree."""
    tree = site if isinstance(site, SiteTree) else SiteTree(site)
    located = locate(link, page, base)
    if not isinstance(located, Target):
        return located
    found, reason = find(located, tree)
    return found, located.fragment, reason


def is_external(url: str, base: Base) -> bool:
    """An absolute (or protocol-relative) URL of another site than this one."""
    scheme = scheme_of(url)
    if scheme in EXTERNAL_SCHEMES:
        return base.own(url) is None
    return not scheme and url.strip().startswith("//")


def policy_problem(link: Link, base: Base) -> str:
    """Which rule a URL breaks, whatever the site holds ('' for none): the scheme, a
    third-party request, a URL that holds a control character or does not parse."""
    return _rules(link.url, link.fetch, link.tag, link.attr, base)[0]


@functools.lru_cache(maxsize=65536)  # a site repeats its links (the navigation is on every page)
def _rules(url: str, fetch: bool, tag: str, attr: str, base: Base) -> tuple[str, bool]:
    """(policy_problem, whether the URL leads out of the site: mailto: or external)."""
    problem = _policy_problem(url, fetch, tag, attr, base)
    return problem, not problem and (scheme_of(url) in ACCEPTED_SCHEMES or is_external(url, base))


def _policy_problem(url: str, fetch: bool, tag: str, attr: str, base: Base) -> str:
    link = Link(url, tag, attr, 0, "", fetch)
    scheme = scheme_of(url)
    if scheme in FORBIDDEN_SCHEMES:
        return f"{scheme}: links are not allowed (put the content in the site, not in the link)"
    bad = _CONTROL.search(url)
    if bad:
        return f"the URL holds the control character U+{ord(bad.group(0)):04X}: delete it"
    try:
        urlsplit(url.strip())
    except ValueError as error:
        return f"not a valid URL ({error}): fix it"
    if link.fetch:
        where = "<style>" if link.tag == "style" else f"<{link.tag} {link.attr}>"
        if scheme and scheme not in EXTERNAL_SCHEMES:
            return f"{scheme}: is not an address {where} can load: use a file of the site"
        if is_external(url, base) and link.attr in ("action", "formaction", "ping"):
            return (f"third-party request ({where}): the browser would send the reader's request to another "
                    "site; point it at a page of the site")
        if is_external(url, base):
            return (f"third-party request ({where}): the browser would fetch it from another site as the page "
                    "loads; put the file in docs/ and point to it with a relative path")
        return ""
    if scheme and scheme not in EXTERNAL_SCHEMES | ACCEPTED_SCHEMES:
        return f"unsupported scheme {scheme}: (use a link of the site, http(s) or mailto:)"
    return ""


def inline_problem(inline: Inline) -> str:
    """Why an inline handler, srcdoc or script is refused."""
    if inline.attr == "srcdoc":
        return "an iframe's srcdoc is a page outside the site: make it a page of the site"
    if inline.attr:
        return (f"inline event handler {inline.attr}=: the Content-Security-Policy blocks it; put the "
                "behaviour in a script under docs/assets/javascripts (extra_javascript in mkdocs.yml)")
    return ("inline <script>: the Content-Security-Policy runs the theme's scripts only; put it in a file under "
            "docs/assets/javascripts and list it in extra_javascript in mkdocs.yml")


def check_link(link: Link, page: str, base: Base, site: Path | SiteTree, scans: dict[str, HtmlScan],
               checked: TargetChecks | None = None) -> str:
    """Why a URL of ``page`` is refused or broken, or '' when it is fine or not checked here.
    ``checked``: the answers for the targets already checked (a whole site's check shares one)."""
    placed = place(link, page, base)
    if not isinstance(placed, Target):
        return placed or ""
    if checked is None:
        checked = TargetChecks(site if isinstance(site, SiteTree) else SiteTree(site), scans)
    return checked.reason(placed)


class TargetChecks:
    """Each distinct Target of a site checked once (its file, and its fragment among that
    file's ids): the answer is kept for every other link to it. ``resolutions`` counts the
    checks made, one a distinct target, however many links name it."""

    def __init__(self, tree: SiteTree, scans: dict[str, HtmlScan | ScanSummary]):
        self.tree, self.scans = tree, scans
        self.answers: dict[Target, str] = {}
        self.resolutions = 0

    def reason(self, target: Target) -> str:
        answer = self.answers.get(target)
        if answer is None:
            answer = self.answers[target] = self._check(target)
        return answer

    def _check(self, target: Target) -> str:
        self.resolutions += 1
        found, reason = find(target, self.tree)
        if found is None:
            return f"broken link: {reason}"
        fragment = target.fragment
        if not fragment or fragment.lower() == "top" or not found.endswith(".html"):
            return ""
        scan = self.scans.get(found)
        if scan is None or fragment not in scan.ids:
            return f"broken anchor: no element with id {fragment!r} in {found!r}"
        return ""


@dataclass(frozen=True)
class Refused:
    """Something police_content took out of a page's content."""

    line: int  # in the content's HTML
    what: str  # the URL, or the start of the handler or script
    reason: str


def police_content(text: str, base: Base) -> tuple[str, list[Refused]]:
    """A page's content less every URL attribute that breaks a rule (policy_problem), every
    inline handler, srcdoc and inline script, and a list of what was taken out. Content
    with nothing to take out comes back unchanged (not re-serialized)."""
    if not text.strip():
        return text, []
    root = parse_html(text, fragment=True)
    scan = scan_tree(root)
    bad_links = {link: reason for link in scan.links if (reason := policy_problem(link, base))}
    bad_inline = scan.inline + scan.scripts
    if not bad_links and not bad_inline:
        return text, []
    inline = {(item.line, item.tag, item.attr) for item in bad_inline}
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element is root:
            continue
        line = element.sourceline or 0
        if (line, element.tag, "") in inline or element.tag == "style" and set(style_links(element)) & set(bad_links) \
                or element.tag == "script" and set(attribute_links(element, "src", element.get("src") or "")) \
                & set(bad_links):
            element.drop_tree()  # (a script without its src would become an inline one)
            continue
        for name, value in list(element.attrib.items()):
            if (line, element.tag, name) in inline or set(attribute_links(element, name, value)) & set(bad_links):
                del element.attrib[name]
    refused = [Refused(link.line, link.url, reason) for link, reason in bad_links.items()]
    refused += [Refused(item.line, item.text, inline_problem(item)) for item in bad_inline]
    cleaned = lxml.html.tostring(root, encoding="unicode")
    return cleaned[len("<div>"): -len("</div>")], sorted(refused, key=lambda item: item.line)


def source_line(source: str, needle: str) -> int | None:
    """The first line (1-based) of `source` that holds `needle`, as written or with its
    character references decoded (``&#1;javascript:`` holds ``\x01javascript:``)."""
    if not needle.strip():
        return None
    visible = _CONTROL.sub("", needle)  # html.unescape drops a reference to a control character
    lines = source.splitlines()
    whole = re.compile(r"(?:^|(?<=[\s\"'(=,>;]))" + re.escape(needle) + r"(?=$|[\s\"'()<>,;])")
    whole_visible = re.compile(r"(?:^|(?<=[\s\"'(=,>;]))" + re.escape(visible) + r"(?=$|[\s\"'()<>,;])")
    for test in (lambda line: whole.search(line) or "&" in line and whole_visible.search(html.unescape(line)),
                 lambda line: needle in line or "&" in line and visible in html.unescape(line)):
        for number, line in enumerate(lines, start=1):  # the URL whole (not a longer one it starts), else a part
            if test(line):
                return number
    return None


@dataclass
class SiteCheck:
    """What a check of the whole site found, and what it cost."""

    problems: list[Problem]
    links: int  # every link of every page
    targets: int  # distinct targets among them, each resolved once (TargetChecks.resolutions)


def check_site(site_dir: Path, site_url: str | None = None,
               scans: dict[str, HtmlScan] | None = None, expected: frozenset[str] | set[str] = frozenset(),
               ) -> list[Problem]:
    """Every broken internal link or anchor, every refused URL, inline handler or srcdoc, and
    every duplicate id of the built site (inline scripts are the theme's by then: page
    content is checked with police_content). ``expected``: site paths of files the build
    writes after the check (the PDF), which links may lead to."""
    return check_whole_site(site_dir, site_url, scans, expected).problems


def check_whole_site(site_dir: Path, site_url: str | None = None,
                     scans: dict[str, HtmlScan | ScanSummary] | None = None,
                     expected: frozenset[str] | set[str] = frozenset()) -> SiteCheck:
    """``check_site``, with the counts: the work grows with the distinct targets, not with
    pages x links. Each page's links come located (``HtmlScan.located``, made where the page
    was scanned; located here for a scan without) or summarised (``ScanSummary``); each
    distinct target of the site, such as a navigation link every page repeats, is looked up
    once; a page's links are gone through only when one of them breaks a rule or leads to a
    target found broken (a summarised page is then read again from ``site_dir``, whole)."""
    base = Base.from_site_url(site_url)
    scans = scan_site(site_dir) if scans is None else scans
    checked = TargetChecks(SiteTree(site_dir, expected), scans)
    located = {page: _located(scan, page, base) for page, scan in scans.items() if isinstance(scan, HtmlScan)}
    distinct: set[Target] = set()
    for page, scan in scans.items():
        distinct.update(scan.targets if isinstance(scan, ScanSummary) else located[page].targets)
    broken = {target: reason for target in distinct if (reason := checked.reason(target))}
    problems = []
    for page, scan in scans.items():
        if isinstance(scan, ScanSummary):
            if not scan.flagged and (not broken or broken.keys().isdisjoint(scan.targets)):
                continue
            scan = scan_html((site_dir / page).read_text(encoding="utf-8", errors="replace"))
            located[page] = locate_links(scan, page, base)
        for ident, lines in scan.duplicate_ids.items():
            problems.extend(Problem(page, ident, line, f"duplicate id (lines {', '.join(map(str, lines))}): "
                                    "each id must be unique in its page")
                            for line in lines[1:])
        problems.extend(Problem(page, inline.text, inline.line, inline_problem(inline)) for inline in scan.inline)
        where = located[page]
        if where.refused or broken and not broken.keys().isdisjoint(where.targets):
            reasons = [broken.get(target, "") for target in where.targets]
            for number, (link, to) in enumerate(zip(scan.links, where.which, strict=True)):
                reason = reasons[to] if to >= 0 else where.refused.get(number, "")
                if reason:
                    problems.append(Problem(page, link.url, link.line, reason))
    return SiteCheck(problems, sum(scan.links if isinstance(scan, ScanSummary) else len(scan.links)
                                   for scan in scans.values()), checked.resolutions)


def _located(scan: HtmlScan, page: str, base: Base) -> Located:
    """The scan's located links, when worked out for this page and base; else worked out now."""
    where = scan.located
    if where is not None and where.page == page and where.base == base and len(where.which) == len(scan.links):
        return where
    return locate_links(scan, page, base)


def page_names(files, config) -> dict[str, str]:
    """Site path of each built page -> its Markdown source, as shown in messages."""
    docs = os.path.relpath(config.docs_dir, Path(config.config_file_path).parent)
    return {
        file.dest_uri: f"{docs}/{file.src_uri}" for file in files if file.is_documentation_page()
    }
