"""What the generator relies on in Material for MkDocs 9.8 beyond its documented options, in one
place (so an upgrade of Material is checked here):

- ``PRINTED_CONFIG``: the mkdocs.yml settings Material's templates print without escaping
  (``briefing.site_policy.escaping`` makes them text);
- ``valid_toggles``: Material's two toggle checkboxes carry ``autocomplete``, which HTML allows
  on text inputs only (the Nu HTML Checker's one complaint about Material's pages);
- ``NavItems``: Material's navigation (``partials/nav.html``, ``partials/nav-item.html``) drawn
  into every page; each top-level item a page does not stand in is drawn once for all the pages
  that would get the same HTML (``briefing/theme/partials/nav.html``, Material 9.8.1's own but
  for the one line that calls it); at 50 notes it was most of a page's rendering (issue 14);
- ``SEARCH_INDEX``, ``name_notes``: Material's search index (``search/search_index.json``,
  written by its search plugin in ``on_post_build``), whose ``docs`` each have a ``location``
  and a ``title`` the results show as HTML (a page's own entry, the one without ``#``, as the
  result's heading). A series names each hit's note there: the note's short title before the
  page's, "Note › Page". (Material 9.8 shows no path or breadcrumb in a result; its tags
  would show as chips, but each in a ``<nav>`` of its own, landmarks no reader can tell
  apart: axe's landmark-unique.)

Pure functions only: no MkDocs events here.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from briefing.common.mkdocs_internals import Prefix, link_prefix, url_context

# mkdocs.yml settings Material prints (copyright is HTML by design: Material's docs say so).
PRINTED_CONFIG = ("site_name", "site_description", "site_author", "repo_name")
_TOGGLE = re.compile(r'(<input class="md-toggle"[^>]*?) autocomplete="off"')
SEARCH_INDEX = Path("search") / "search_index.json"
NOTE_SEPARATOR = " › "


def valid_toggles(output: str) -> str:
    return _TOGGLE.sub(r"\1", output)



class NavItems:
    """Material's ``render`` macro of ``partials/nav-item.html`` for a top-level item of the
    navigation, its HTML kept and printed again on every page that would get the same.

    What the macro's HTML for an item depends on (Material 9.8.1): the item and what is under it
    (titles, meta, children: final once every page is read, before any renders), ``path`` and
    ``level`` (the item's place), ``features`` and ``config`` (the build's), and the page: which
    item is it (MkDocs marks the page and its sections ``active`` while it renders), its table
    of contents (only under the item it is) and every link, made relative to it by the ``url``
    filter. So an item that is not active is drawn alike for two pages whose URLs give its links
    the same strings (``url_context``); an active one, or one whose links a page's URL decides
    otherwise, is drawn anew. One per build (``briefing.common.theme``: the pages' environment)."""

    def __init__(self) -> None:
        self._prefixes: dict[int, tuple[Prefix | None] | None] = {}  # None: never kept
        self._html: dict[tuple, str] = {}
        self.drawn = 0  # items drawn by Material's macro
        self.reused = 0  # items printed again as drawn for an earlier page

    def draw(self, render, item, path: str, level: int, page, base_url: str) -> str:
        """The item's HTML as ``render`` (the macro, imported with the page's context) draws it
        for ``page`` (None on 404.html), drawn once for every page that gets the same."""
        key = None if getattr(item, "active", False) else self._key(item, path, level, page, base_url)
        if key is None:
            self.drawn += 1
            return render(item, path, level)
        html = self._html.get(key)
        if html is None:
            html = self._html[key] = render(item, path, level)
            self.drawn += 1
        else:
            self.reused += 1
        return html

    def _key(self, item, path: str, level: int, page, base_url: str) -> tuple | None:
        if id(item) not in self._prefixes:
            self._prefixes[id(item)] = (link_prefix(nav_urls(item)),) if _plain(item) else None
        prefix = self._prefixes[id(item)]
        context = None if prefix is None else url_context(prefix[0], None if page is None else page.url, base_url)
        return None if context is None else (id(item), path, level, context)


def _plain(item) -> bool:
    """An item the macro draws from MkDocs' nav alone: no part of it has ``pages`` (Material's
    blog views, which the macro compares with the page)."""
    children = getattr(item, "children", None) or ()
    return getattr(item, "pages", None) is None and all(_plain(child) for child in children)


def nav_urls(item) -> list[str]:
    """The URLs of an item of the nav and of every item under it (pages and links)."""
    urls = [item.url] if getattr(item, "url", None) is not None else []
    for child in getattr(item, "children", None) or ():
        urls.extend(nav_urls(child))
    return urls


def name_notes(site_dir: Path, notes: dict[str, str]) -> bool:
    """Each page's own entry in the search index titled "Note › Page" (``notes``: a note's
    folder, the first part of its pages' addresses, -> its short title, as text); False when the
    site has no index."""
    path = site_dir / SEARCH_INDEX
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    for doc in index.get("docs", []):
        location = doc.get("location", "")
        note = notes.get(location.split("/", 1)[0]) if "/" in location else None
        if note is not None and "#" not in location and isinstance(doc.get("title"), str):
            doc["title"] = html.escape(note) + NOTE_SEPARATOR + doc["title"]
    path.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")
    return True
