"""Links of a built site: reading every ``href``/``src`` and ``id`` of its HTML files, and
resolving a link to a file of the site (and its fragment to an element of that file).

Pure functions over a folder of HTML: ``check_links.py`` runs them on ``site_dir`` after a
build, ``_linkcheck.py`` reuses the scanner to collect the external links, and the tests
call them directly.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

# Attributes that hold a URL (``srcset`` holds several).
URL_ATTRS = {"href", "src", "srcset", "poster"}
# Schemes a link of the site may use without being checked here.
ACCEPTED_SCHEMES = {"mailto", "tel"}
EXTERNAL_SCHEMES = {"http", "https"}
# Schemes that run code or inline content: never allowed in a link of the site.
FORBIDDEN_SCHEMES = {"javascript", "data", "vbscript"}
SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# What a browser ignores in a URL before it reads its scheme.
_IGNORED = re.compile(r"[\t\n\r]")


@dataclass(frozen=True)
class Link:
    url: str  # the attribute value, entities decoded
    tag: str
    attr: str
    line: int  # 1-based line in the HTML file
    rel: str = ""  # the rel attribute of <a>/<link>, lower-cased


@dataclass
class HtmlScan:
    links: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    duplicate_ids: dict[str, list[int]] = field(default_factory=dict)  # id -> lines of each element


_URLS = etree.XPath(" | ".join(f"//@{name}" for name in sorted(URL_ATTRS)))  # in document order
_IDS = etree.XPath("//@id | //a/@name")
_ID_ATTRS = etree.XPath("//@id")


def scan_html(text: str) -> HtmlScan:
    """Every URL-bearing attribute (with its line) and every id of an HTML document.

    libxml2 (lxml) parses; XPath picks the attributes: about 20 times the speed of
    html.parser, which matters at hundreds of pages with the whole navigation in each."""
    scan = HtmlScan()
    if not text.strip():
        return scan
    try:
        root = lxml.html.document_fromstring(text)
    except ValueError:  # a str with an XML encoding declaration: let lxml decode the bytes
        root = lxml.html.document_fromstring(text.encode("utf-8"))
    scan.ids.update(str(value) for value in _IDS(root))
    lines: dict[str, list[int]] = {}
    for value in _ID_ATTRS(root):
        lines.setdefault(str(value), []).append(value.getparent().sourceline or 0)
    scan.duplicate_ids = {ident: where for ident, where in lines.items() if len(where) > 1}
    for value in _URLS(root):
        element = value.getparent()
        urls = srcset_urls(str(value)) if value.attrname == "srcset" else [str(value)]
        rel = (element.get("rel") or "").lower()
        scan.links.extend(Link(url, element.tag, value.attrname, element.sourceline or 0, rel) for url in urls)
    return scan


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

    def __init__(self, site_dir: Path):
        self.files: set[str] = set()
        self.dirs: set[str] = {""}
        for path in site_dir.rglob("*"):
            (self.files if path.is_file() else self.dirs).add(path.relative_to(site_dir).as_posix())

    def is_file(self, target: str) -> bool:
        return target in self.files

    def is_dir(self, target: str) -> bool:
        return target in self.dirs


def resolve(link: str, page: str, base: Base, site: Path | SiteTree) -> tuple[str | None, str, str]:
    """Where an internal link of ``page`` leads: (site path of the target file or None,
    fragment, reason when it leads nowhere). ``site``: the site folder, or its SiteTree."""
    tree = site if isinstance(site, SiteTree) else SiteTree(site)
    parts = urlsplit(link.strip())
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
        return page, fragment, ""  # "#id", "?query" or "": the page itself
    else:
        path, relative_to = parts.path, posixpath.dirname(page)
    path = unquote(path)
    is_dir = path == "" or path.endswith("/") or posixpath.basename(path) in (".", "..")
    target = posixpath.normpath(posixpath.join(relative_to, path)) if path else (relative_to or ".")
    if target == ".." or target.startswith("../") or posixpath.isabs(target):
        return None, fragment, "leads outside the site"
    target = "" if target == "." else target
    if not is_dir and tree.is_file(target):
        return target, fragment, ""
    index = posixpath.join(target, "index.html") if target else "index.html"
    if tree.is_dir(target) and tree.is_file(index):
        return index, fragment, ""
    expected = index if is_dir or tree.is_dir(target) else target
    return None, fragment, f"no file {expected!r} in the site"


def check_link(link: Link, page: str, base: Base, site: Path | SiteTree, scans: dict[str, HtmlScan]) -> str:
    """Why an href/src of ``page`` is broken, or '' when it is fine or not checked here."""
    url = link.url
    scheme = scheme_of(url)
    if scheme in FORBIDDEN_SCHEMES:
        return f"{scheme}: links are not allowed (put the content in the site, not in the link)"
    if scheme in ACCEPTED_SCHEMES:
        return ""
    if scheme and scheme not in EXTERNAL_SCHEMES:
        return f"unsupported scheme {scheme}: (use a link of the site, http(s) or mailto:)"
    if scheme in EXTERNAL_SCHEMES and base.own(url) is None:
        return ""  # external: checked on demand by _linkcheck
    if not scheme and url.strip().startswith("//"):
        return ""  # protocol-relative: external
    target, fragment, reason = resolve(url, page, base, site)
    if target is None:
        return f"broken link: {reason}"
    if not fragment or fragment.lower() == "top" or not target.endswith(".html"):
        return ""
    scan = scans.get(target)
    if scan is None or fragment not in scan.ids:
        return f"broken anchor: no element with id {fragment!r} in {target!r}"
    return ""


def check_site(site_dir: Path, site_url: str | None = None,
               scans: dict[str, HtmlScan] | None = None) -> list[Problem]:
    """Every broken internal link or anchor, every forbidden link and every duplicate id of
    the built site."""
    base = Base.from_site_url(site_url)
    scans = scan_site(site_dir) if scans is None else scans
    tree = SiteTree(site_dir)
    problems = []
    for page, scan in scans.items():
        for ident, lines in scan.duplicate_ids.items():
            problems.extend(Problem(page, ident, line, f"duplicate id (lines {', '.join(map(str, lines))}): "
                                    "each id must be unique in its page")
                            for line in lines[1:])
        for link in scan.links:
            reason = check_link(link, page, base, tree, scans)
            if reason:
                problems.append(Problem(page, link.url, link.line, reason))
    return problems
