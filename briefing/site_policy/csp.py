"""A Content-Security-Policy on every HTML page of the site, so that the browser enforces what
the build checks (``check_links.py``): nothing loads from another site, no inline code runs
but the theme's own.

The policy is a ``<meta http-equiv="Content-Security-Policy">`` (GitHub Pages sets no
headers), right after ``<meta charset>``, before anything it governs:
``default-src 'self'``, scripts and style elements allowed by the SHA-256 of each inline one
the built site holds (Material's few scripts, the print edition's styles; the build refuses
any other inline script), no plugins, no ``<base>`` or form target elsewhere. Every page
gets the hashes of the whole site: Material's instant navigation runs the next page's
scripts under the first page's policy.

Under ``mkdocs serve`` the pages get no policy: MkDocs injects its live-reload script, a
new inline one on every request, into each page it serves (the strict build still refuses
what the policy would block).

Events:
- ``on_post_build`` at priority -90: after every concern that writes HTML (the print editions
  at 0, the series' redirect pages at -80), before the link check (-100) reads the site
  (``apply``). A page kept from an earlier build (``--dirty``) gets its policy anew.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority

from briefing.build import of as build_of
from briefing.common import heap
from briefing.common.log import logger

log = logger("site_policy")

# An inline script that runs (not a data block such as Material's JSON configuration).
_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script\s*>", re.S | re.I)
_STYLE = re.compile(r"<style(?:\s[^>]*)?>(?P<body>.*?)</style\s*>", re.S | re.I)
_SRC = re.compile(r"\ssrc\s*=", re.I)
_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]*)""", re.I)
_RUNNING_TYPES = {"", "text/javascript", "application/javascript", "module"}
_CHARSET = re.compile(r"<meta\s+charset\s*=\s*[\"']?[\w-]+[\"']?\s*/?>", re.I)
_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.I)
_EXISTING = re.compile(r"<meta\s+http-equiv\s*=\s*[\"']?content-security-policy", re.I)
# This hook's own tag, from an earlier build of a page that was not written again
# (`mkdocs build --dirty`, `mkdocs serve --dirty`): replaced, not refused.
_OURS = re.compile(r'\n  <meta http-equiv="Content-Security-Policy" content="[^"]*" data-site-policy>')


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def inline_scripts(html: str) -> list[str]:
    """The body of every inline script of a page that the browser runs."""
    found = []
    for match in _SCRIPT.finditer(html):
        attrs = match.group("attrs") or ""
        kind = _TYPE.search(attrs)
        if not _SRC.search(attrs) and (kind.group(1).lower() if kind else "") in _RUNNING_TYPES:
            found.append(match.group("body"))
    return found


def inline_styles(html: str) -> list[str]:
    return [match.group("body") for match in _STYLE.finditer(html)]


def policy(script_hashes: list[str], style_hashes: list[str]) -> str:
    """The policy. Material draws its icons with data: SVG images from its style sheet, so
    images may be data: URLs (the build refuses a data: URL in a page). A style attribute
    may hold declarations (its url()s are checked by the build like any other request)."""
    scripts = " ".join(["'self'", *script_hashes])
    styles = " ".join(["'self'", *style_hashes])
    return (f"default-src 'self'; script-src {scripts}; style-src {styles}; style-src-elem {styles}; "
            "style-src-attr 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
            "form-action 'self'")


def with_policy(html: str, content: str) -> str | None:
    """The page with the policy as early in its <head> as allowed (after <meta charset>, which
    must come first); None for a page with no <head> to put it in."""
    tag = f'<meta http-equiv="Content-Security-Policy" content="{content}" data-site-policy>'
    at = _CHARSET.search(html) or _HEAD.search(html)
    if at is None:
        return None
    return html[: at.end()] + "\n  " + tag + html[at.end():]


def as_written(html: str, content: str = "") -> str:
    """A page as ``apply`` writes it, with ``content`` for its policy: what the link check
    scans while the build writes the pages (``briefing.links.written``), so that the lines of
    its links are the file's."""
    html = _OURS.sub("", html)
    if _EXISTING.search(html):
        return html
    return with_policy(html, content) or html


def inline_hashes(html: str) -> tuple[set[str], set[str]]:
    """The hashes of a page's inline scripts that run and of its style elements."""
    return {sha256(body) for body in inline_scripts(html)}, {sha256(body) for body in inline_styles(html)}


def site_policy(pages: Iterable[str]) -> str:
    """The policy for a site whose pages' HTML is given (read one at a time when ``pages`` is
    a generator)."""
    scripts: set[str] = set()
    styles: set[str] = set()
    for html in pages:
        page_scripts, page_styles = inline_hashes(html)
        scripts |= page_scripts
        styles |= page_styles
    return policy(sorted(scripts), sorted(styles))


def _page(path: Path) -> str:
    """A page of the site as this pass reads it: without the policy an earlier build put in."""
    return _OURS.sub("", path.read_text(encoding="utf-8"))


def apply(site_dir: Path) -> list[str]:
    """Put the site's policy in every HTML page of ``site_dir``; the problems (a page with a
    policy of its own, a page without a head), each naming the page.

    Two passes over the files, one page in memory at a time: the hashes of every page's inline
    code, then each page written with the policy. Holding the whole site's HTML at once (and a
    copy of it without the old policy) was the peak of a series build: 80 MB above the rest at
    600 pages (issue 14); the second read comes from the page cache."""
    paths = {path.relative_to(site_dir).as_posix(): path for path in sorted(site_dir.rglob("*.html")) if path.is_file()}
    content = site_policy(_page(path) for path in paths.values())
    problems = []
    for name, path in paths.items():
        html = _page(path)
        if _EXISTING.search(html):
            problems.append(f"{name}: has a Content-Security-Policy of its own: delete it (the build adds the site's)")
            continue
        updated = with_policy(html, content)
        if updated is None:
            problems.append(f"{name}: no <head> to put the Content-Security-Policy in: make it a whole HTML page")
            continue
        path.write_text(updated, encoding="utf-8")
    return problems


@event_priority(-90)
def on_post_build(config: MkDocsConfig) -> None:
    if build_of(config).serving:
        log.info("no Content-Security-Policy under `mkdocs serve` (its live-reload script is inline).")
        return
    for problem in apply(Path(config.site_dir)):
        log.warning(problem)
    heap.give_back()  # every page read and written again: the C heap's holes back to the system
