"""Addresses that moved keep working (``briefing: series: moved:``, old site path: new site path).

A page's old address gets a small page of its own (``partials/series/redirect.html``): a
small script of ours (``assets/javascripts/moved.js``) that goes on to the new address keeping
the old one's ``#fragment`` and ``?query``, and without JavaScript a same-site meta refresh (in
``<noscript>``) and a visible link; ``rel=canonical`` names the new address. Both the link
policy and the Content-Security-Policy allow it, and it is in no nav or sitemap (MkDocs never
sees it). A file's old address gets a copy of the file (GitHub Pages
cannot redirect a file). ``problems`` refuses an old address the site still uses and a new
one it does not have.

Pure functions only: no MkDocs events here.
"""

from __future__ import annotations

import posixpath


def is_page(path: str) -> bool:
    return path.endswith("/") or path.endswith(".html")


def html_file(path: str) -> str:
    """The file a page's address is served from: ``x/`` -> ``x/index.html``."""
    return path + "index.html" if path.endswith("/") else path


def problems(moved: dict[str, str], outputs: set[str], where: str) -> list[str]:
    """What is wrong with ``moved`` given the site's ``outputs`` (every page's address and every
    file's path, from the site's root)."""
    found = []
    for old, new in moved.items():
        if old in outputs or html_file(old) in outputs:
            found.append(f"{where}: briefing.series.moved: {old!r} is still an address of the site: remove it "
                         "from moved (an old address is one the site no longer has)")
        if new not in outputs and html_file(new) not in outputs:
            found.append(f"{where}: briefing.series.moved: {old!r} moves to {new!r}, which the site does not have: "
                         "give the new address of the page (note/chapter/) or file")
    return found


def relative(new: str, old: str) -> str:
    """The link from the page at ``old`` to ``new`` (both site paths)."""
    base = old if old.endswith("/") else posixpath.dirname(old) + "/"
    target = posixpath.relpath("/" + new, "/" + base.rstrip("/") if base.strip("/") else "/")
    if new.endswith("/") and not target.endswith("/"):
        target += "/"
    return "./" if target == "./" or target == "." else target
