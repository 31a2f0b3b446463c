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
- ``WorkerSearchIndex``, ``index_in_worker``, ``index_page``: Material's search plugin indexes
  each page in its ``on_page_context`` (``SearchIndex.add_entry_from_context``: html.parser over
  the page's content) and writes the index in its ``on_post_build`` (``generate_search_index``).
  At series size the indexing runs in the build's worker process (``briefing.common.worker``):
  the plugin's ``search_index`` swapped for a subclass that sends what Material reads of the
  page (``PageSnapshot``) there and keeps the answer's future; the futures are resolved, in
  page order, when the plugin writes the index. The entries are Material's own, made by its
  code in the worker: same entries, same order, same fields.

Pure functions only: no MkDocs events here.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from material.plugins.search.plugin import SearchIndex, SearchPlugin

from briefing.citations.library import cache_key as lib_cache_key
from briefing.common import kept
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


# --------------------------------------------------------------------------- search indexing

# What Material's indexing reads of a page's meta (SearchIndex.add_entry_from_context and
# create_entry_for_section, Material 9.8): its title, its tags, its search options (boost).
INDEXED_META = ("title", "tags", "search")


@dataclass(frozen=True)
class TocItem:
    """A table-of-contents entry as Material's ``_find_toc_by_id`` reads it."""

    id: str
    url: str
    children: tuple = ()


@dataclass(frozen=True)
class PageSnapshot:
    """What Material's indexing reads of a page, picklable (a Page is not: it holds the nav)."""

    content: str
    toc: tuple[TocItem, ...]  # every entry, in the order _find_toc_by_id visits them (depth first)
    url: str
    title: str | None
    meta: dict[str, Any]

    @classmethod
    def of(cls, page) -> PageSnapshot:
        return cls(page.content, tuple(_toc_items(page.toc)), page.url, page.title,
                   {key: page.meta[key] for key in INDEXED_META if key in page.meta})


def _toc_items(toc) -> list[TocItem]:
    items = []
    for item in toc:
        items.append(TocItem(item.id, item.url))
        items.extend(_toc_items(item.children))
    return items


# A page's entries are a pure function of what Material reads of it (the snapshot) and of
# Material's code: they are kept between builds (briefing.common.kept) under the digest of both,
# so a page whose content is what it was is not parsed again (at 600 pages, about 4 s of the
# worker's 9 s). What is read back must be a list of entries (mappings with a location).
SEARCH_VERSION = "search-entries-1"  # bump when what is kept changes

# Where a build keeps the entries and the digest every page's entries share: (folder, shared).
KeptEntries = tuple[str, str]


def search_cache_dir(config_dir: Path) -> Path:
    return config_dir / ".cache" / "plugin" / "search" / "entries"


def search_shared_key(code_digest: str) -> str:
    """What every page's kept entries depend on besides the page: Material's code (and whether
    it segments Chinese with jieba) and the generator's."""
    from importlib import metadata

    from material.plugins.search import plugin as search_plugin

    return lib_cache_key(SEARCH_VERSION, code_digest, f"mkdocs-material {metadata.version('mkdocs-material')}",
                         f"jieba {getattr(search_plugin, 'jieba', None) is not None}")


def index_page(snapshot: PageSnapshot, keep: KeptEntries | None = None) -> list[dict]:
    """A page's entries, as Material's ``SearchIndex`` makes them (in the worker process); with
    ``keep``, those made of the same snapshot by an earlier build, or new ones kept for the next."""
    if keep is None:
        return _index(snapshot)
    try:
        described = json.dumps([snapshot.content, [[item.id, item.url] for item in snapshot.toc], snapshot.url,
                                snapshot.title, snapshot.meta], sort_keys=True)
    except (TypeError, ValueError):  # meta that is not plain data: not kept
        return _index(snapshot)
    store = kept.opened(keep[0], SEARCH_VERSION)
    group, key = kept.group_of(snapshot.url), lib_cache_key(keep[1], described)
    entries = store.get(group, key)
    if not (isinstance(entries, list)
            and all(isinstance(entry, dict) and isinstance(entry.get("location"), str) for entry in entries)):
        entries = _index(snapshot)
    store.use(group, key, entries)
    return entries


def _index(snapshot: PageSnapshot) -> list[dict]:
    index = SearchIndex()
    SearchIndex.add_entry_from_context(index, snapshot)  # it reads content, toc, url, title, meta
    return index.entries


class WorkerSearchIndex(SearchIndex):
    """Material's search index, each page indexed in the worker (``submit``)."""

    def __init__(self, submit: Callable[..., Any], keep: KeptEntries | None = None, let_go: bool = False, **config):
        super().__init__(**config)
        self.submit = submit
        self.keep = keep
        self.let_go = let_go  # drop the entries once the index is written (not under serve: a dirty rebuild reads them)
        self.pending: list[Any] = []  # one job a page (its result(): the entries), in page order

    def add_entry_from_context(self, page) -> None:
        if (page.meta.get("search") or {}).get("exclude"):
            return  # as Material: an excluded page sends nothing
        self.pending.append(self.submit(index_page, PageSnapshot.of(page), self.keep))

    def add_entries_made_elsewhere(self, page, job) -> None:
        """The page's place in the index, its entries made by another process (the second
        renderer of ``briefing.common.page_split``): ``job.result()`` gives them."""
        if not (page.meta.get("search") or {}).get("exclude"):
            self.pending.append(job)

    def resolve(self) -> None:
        """Every page's entries in ``entries``, in page order."""
        for future in self.pending:
            self.entries.extend(future.result())
        self.pending.clear()

    def generate_search_index(self, prev) -> str:
        self.resolve()
        index = super().generate_search_index(prev)
        if self.let_go:  # they are in the index now: 13 MB of a 600-page build's peak, held to its end
            self.entries = []
        return index


class EntriesHere(SearchIndex):
    """Material's search index in a process that indexes its pages itself, each page's entries
    kept between builds with ``keep`` (``index_page``) and by page (``by_page``), for a second
    renderer to send back (``briefing.common.page_split``)."""

    def __init__(self, keep: KeptEntries | None = None, **config):
        super().__init__(**config)
        self.keep = keep
        self.by_page: dict[str, list[dict]] = {}

    def add_entry_from_context(self, page) -> None:
        if (page.meta.get("search") or {}).get("exclude"):
            return
        self.by_page[page.file.src_uri] = index_page(PageSnapshot.of(page), self.keep)


def search_indexes(plugins) -> list[SearchPlugin]:
    """The site's enabled Material search plugins (one, or none)."""
    return [plugin for plugin in plugins.values() if isinstance(plugin, SearchPlugin) and plugin.config.enabled]


def index_in_worker(plugins, submit: Callable[..., Any], keep: KeptEntries | None = None,
                    let_go: bool = False) -> bool:
    """Swap Material's search index (made by its ``on_config``) for a ``WorkerSearchIndex``
    (its entries kept between builds with ``keep``, let go once written with ``let_go``); False
    when the site has no Material search (or it is disabled)."""
    swapped = False
    for plugin in plugins.values():
        index = getattr(plugin, "search_index", None)
        if isinstance(plugin, SearchPlugin) and plugin.config.enabled and type(index) is SearchIndex:
            plugin.search_index = WorkerSearchIndex(submit, keep, let_go, **index.config)
            swapped = True
    return swapped
