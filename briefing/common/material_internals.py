"""What the generator relies on in Material for MkDocs 9.8 beyond its documented options, in one
place (so an upgrade of Material is checked here):

- ``PRINTED_CONFIG``: the mkdocs.yml settings Material's templates print without escaping
  (``briefing.site_policy.escaping`` makes them text); ``ICONS``, ``LANGUAGES``: the folders
  of the files Material's templates include for an icon and a language setting
  (``briefing.site_policy.settings``, which also lists the keys of ``extra`` Material reads);
- ``PALETTE_CSS``, ``palette_css``: Material's ``palette.css`` (linked by ``base.html`` when
  ``theme.palette`` is set) stops every transition under ``body[data-md-color-switching]``, an
  attribute its palette component sets and removes as every page loads: each time a whole
  restyle (the longest task after a first paint but one). The rule is left out of the site's
  copy; ``briefing.css`` keys it on an attribute ``material-load.js`` sets only for a switch;
- ``valid_toggles``: Material's two toggle checkboxes carry ``autocomplete``, which HTML allows
  on text inputs only (the Nu HTML Checker's one complaint about Material's pages);
- ``NavItems``: Material's navigation (``partials/nav.html``, ``partials/nav-item.html``) drawn
  into every page; each top-level item a page does not stand in is drawn once for all the pages
  that would get the same HTML (``briefing/theme/partials/nav.html``, Material 9.8.1's own but
  for the one line that calls it); at 50 notes it was most of a page's rendering (issue 14);
- ``SEARCH_INDEX``, ``named``, ``NamedSearchIndex``: Material's search index
  (``search/search_index.json``, written by its search plugin in ``on_post_build``), whose
  ``docs`` each have a ``location`` and a ``title`` the results show as HTML (a page's own
  entry, the one without ``#``, as the result's heading). A series names each hit's note there
  as each page is indexed: the note's short title before the page's, "Note › Page". (Material
  9.8 shows no path or breadcrumb in a result; its tags would show as chips, but each in a
  ``<nav>`` of its own, landmarks no reader can tell apart: axe's landmark-unique.)
- ``WorkerSearchIndex``, ``index_in_worker``, ``index_page``, ``hold_page``, ``write_held``:
  Material's search plugin indexes each page in its ``on_page_context``
  (``SearchIndex.add_entry_from_context``: html.parser over the page's content) and writes the
  index in its ``on_post_build`` (``generate_search_index``, then ``mkdocs.utils.write_file``;
  under a dirty ``mkdocs serve`` it keeps the index for the next build: nothing else). At series
  size the indexing runs in the build's worker process (``briefing.common.worker``): the
  plugin's ``search_index`` swapped for a subclass that sends what Material reads of the page
  (``PageSnapshot``) there. Under ``mkdocs build`` the entries stay there and the worker writes
  the index, by Material's code, in place of the plugin's ``on_post_build``; under serve they
  come back, in page order, when the plugin writes the index. The entries are Material's own,
  made by its code in the worker: same entries, same order, same fields.

Pure functions only: no MkDocs events here.
"""

from __future__ import annotations

import html
import json
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from material.plugins.search.plugin import SearchIndex, SearchPlugin

from briefing.citations.library import cache_key as lib_cache_key
from briefing.common import kept
from briefing.common.mkdocs_internals import Prefix, link_prefix, replace_event, url_context

# mkdocs.yml settings Material prints (copyright is HTML by design: Material's docs say so).
PRINTED_CONFIG = ("site_name", "site_description", "site_author", "repo_name")
ICONS = ".icons"  # in a theme folder: <icon>.svg, included for each icon setting
LANGUAGES = "partials/languages"  # in a theme folder: <language>.html, imported for theme.language
_TOGGLE = re.compile(r'(<input class="md-toggle"[^>]*?) autocomplete="off"')
SEARCH_INDEX = Path("search") / "search_index.json"
PALETTE_CSS = re.compile(r"assets/stylesheets/palette\.[0-9a-f]+\.min\.css")
_SWITCHING = ("[data-md-color-switching] *,[data-md-color-switching] :after,"
              "[data-md-color-switching] :before{transition-duration:0s!important}")
NOTE_SEPARATOR = " › "


def valid_toggles(output: str) -> str:
    return _TOGGLE.sub(r"\1", output)


def palette_css(css: str) -> str | None:
    """Material's palette.css without its rule on ``data-md-color-switching``; None when the
    rule is not there as Material 9.8 writes it (the copy is then left as it is)."""
    if css.count(_SWITCHING) != 1:
        return None
    return css.replace(_SWITCHING, "")


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


def named(entries: list[dict], notes: dict[str, str]) -> list[dict]:
    """A page's entries, its own (the one without ``#``) titled "Note › Page" when the page is in
    a note (``notes``: a note's folder, the first part of its pages' addresses, -> its short
    title, as text); the others as they are. New dicts where a title changes: the entries given
    may be kept for the next build as they are."""
    if not notes:
        return entries
    out = []
    for entry in entries:
        location = entry.get("location", "")
        note = notes.get(kept.group_of(location)) if isinstance(location, str) and "#" not in location else None
        if note is not None and isinstance(entry.get("title"), str):
            entry = {**entry, "title": html.escape(note) + NOTE_SEPARATOR + entry["title"]}
        out.append(entry)
    return out


def name_notes_in_index(plugins, notes: dict[str, str]) -> bool:
    """Each search hit of a series named by its note (``named``), as each page is indexed:
    Material's own index swapped for a ``NamedSearchIndex``, ours told the names; False when the
    site has no Material search."""
    indexes = search_indexes(plugins)
    for plugin in indexes:
        if type(plugin.search_index) is SearchIndex:
            plugin.search_index = NamedSearchIndex(**plugin.search_index.config)
        plugin.search_index.notes = dict(notes)
    return bool(indexes)


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


def index_page(snapshot: PageSnapshot, keep: KeptEntries | None = None,
               notes: dict[str, str] | None = None) -> list[dict]:
    """A page's entries, as Material's ``SearchIndex`` makes them (in the worker process), named by
    their note (``named``); with ``keep``, those made of the same snapshot by an earlier build, or
    new ones kept for the next (kept unnamed)."""
    return named(_kept_or_made(snapshot, keep), notes or {})


def _kept_or_made(snapshot: PageSnapshot, keep: KeptEntries | None) -> list[dict]:
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


# In the worker process, under ``mkdocs build``: each page's entries, held there (by the page's
# place in the index) until the index is written there (``write_held``).
_HELD: dict[int, list[dict]] = {}


def hold_page(place: int, snapshot: PageSnapshot, keep: KeptEntries | None, notes: dict[str, str]) -> None:
    """In the worker: the page's entries (``index_page``) held for the index."""
    _HELD[place] = index_page(snapshot, keep, notes)


def write_held(path: str, config: dict[str, Any], order: list[int | str], elsewhere: str | None) -> int:
    """In the worker: the search index written to ``path`` as Material writes it (its
    ``generate_search_index``, its ``write_file``), of the entries held here and of those another
    process wrote to the file ``elsewhere`` (``write_elsewhere``), in ``order`` (a place held
    here, or a page's src_uri there); how many entries."""
    from mkdocs import utils

    there = read_elsewhere(elsewhere)
    index = SearchIndex(**config)
    for item in order:
        index.entries.extend(_HELD.pop(item) if isinstance(item, int) else there.pop(item, []))
    _HELD.clear()
    utils.write_file(index.generate_search_index(None).encode("utf-8"), path)
    return len(index.entries)


def write_elsewhere(path: str, by_page: dict[str, list[dict]]) -> None:
    """The entries a second renderer made (src_uri -> entries), for ``write_held`` to read."""
    with open(path, "wb") as out:
        pickle.dump(by_page, out, protocol=pickle.HIGHEST_PROTOCOL)


def read_elsewhere(path: str | None) -> dict[str, list[dict]]:
    if path is None:
        return {}
    with open(path, "rb") as handle:
        by_page = pickle.load(handle)  # written by the build's own child, in a file only the build knows
    return by_page if isinstance(by_page, dict) else {}


class NamedSearchIndex(SearchIndex):
    """Material's search index, each page's entries named by their note as it is indexed."""

    def __init__(self, **config):
        super().__init__(**config)
        self.notes: dict[str, str] = {}

    def add_entry_from_context(self, page) -> None:
        start = len(self.entries)
        super().add_entry_from_context(page)
        self.entries[start:] = named(self.entries[start:], self.notes)


class WorkerSearchIndex(SearchIndex):
    """Material's search index, each page indexed in the worker (``submit``).

    Under ``mkdocs build`` (``hold``) the entries stay in the worker, which writes the index
    (``write``, in place of Material's ``on_post_build``): the build's process holds none of
    them (13 MB of a 600-page build's peak). Under ``mkdocs serve`` they come back, for Material
    to keep for a dirty rebuild."""

    def __init__(self, submit: Callable[..., Any], keep: KeptEntries | None = None, hold: bool = False, **config):
        super().__init__(**config)
        self.submit = submit
        self.keep = keep
        self.hold = hold
        self.notes: dict[str, str] = {}
        # in page order: one job a page (its result(): the entries, or, held, None once they are
        # held there); a page indexed elsewhere (``add_entries_made_elsewhere``): its src_uri
        self.pending: list[Any] = []
        self.elsewhere: str | None = None  # the file of the entries made elsewhere, once written

    def add_entry_from_context(self, page) -> None:
        if (page.meta.get("search") or {}).get("exclude"):
            return  # as Material: an excluded page sends nothing
        snapshot = PageSnapshot.of(page)
        if self.hold:
            self.pending.append(self.submit(hold_page, len(self.pending), snapshot, self.keep, self.notes))
        else:
            self.pending.append(self.submit(index_page, snapshot, self.keep, self.notes))

    def add_entries_made_elsewhere(self, page) -> None:
        """The page's place in the index, its entries made by another process (the second
        renderer of ``briefing.common.page_split``, under ``mkdocs build`` only), which writes
        them to ``elsewhere``; the worker reads them there."""
        if not self.hold:
            raise RuntimeError("briefing: entries made elsewhere go to a held index (mkdocs build) only")
        if not (page.meta.get("search") or {}).get("exclude"):
            self.pending.append(page.file.src_uri)

    def resolve(self) -> None:
        """Every page's entries in ``entries``, in page order (not held)."""
        for job in self.pending:
            self.entries.extend(job.result())
        self.pending.clear()

    def generate_search_index(self, prev) -> str:
        if self.hold:
            raise RuntimeError("briefing: a held search index is written by the worker (write)")
        self.resolve()
        return super().generate_search_index(prev)

    def write(self, path: str) -> int:
        """Held: the index written to ``path`` by the worker; how many entries."""
        pending, self.pending = self.pending, []
        order = [item if isinstance(item, str) else place for place, item in enumerate(pending)]
        written = self.submit(write_held, path, self.config, order, self.elsewhere)  # sent with the last pages
        for item in pending:
            if not isinstance(item, str):
                item.result()  # a page the worker could not index fails the build, as when not held
        return written.result()


class EntriesHere(SearchIndex):
    """Material's search index in a process that indexes its pages itself, each page's entries
    kept between builds with ``keep`` (``index_page``) and by page (``by_page``), for a second
    renderer to send back (``briefing.common.page_split``)."""

    def __init__(self, keep: KeptEntries | None = None, notes: dict[str, str] | None = None, **config):
        super().__init__(**config)
        self.keep = keep
        self.notes = dict(notes or {})
        self.by_page: dict[str, list[dict]] = {}

    def add_entry_from_context(self, page) -> None:
        if (page.meta.get("search") or {}).get("exclude"):
            return
        self.by_page[page.file.src_uri] = index_page(PageSnapshot.of(page), self.keep, self.notes)


def search_indexes(plugins) -> list[SearchPlugin]:
    """The site's enabled Material search plugins (one, or none)."""
    return [plugin for plugin in plugins.values() if isinstance(plugin, SearchPlugin) and plugin.config.enabled]


def index_in_worker(config, submit: Callable[..., Any], keep: KeptEntries | None = None, hold: bool = False) -> bool:
    """Swap Material's search index (made by its ``on_config``) for a ``WorkerSearchIndex`` (its
    entries kept between builds with ``keep``); with ``hold`` (``mkdocs build``), the index
    written by the worker in place of the search plugin's ``on_post_build`` (Material's writes
    the index and keeps it for a dirty rebuild under serve: nothing else). False when the site
    has no Material search (or it is disabled)."""
    swapped = False
    for plugin in search_indexes(config.plugins):
        index = plugin.search_index
        if type(index) is SearchIndex:
            plugin.search_index = WorkerSearchIndex(submit, keep, hold, **index.config)
            if hold:
                replace_event(config, plugin, "post_build", _WriteHeld(plugin))
            swapped = True
    return swapped


class _WriteHeld:
    """The search plugin's ``on_post_build`` under ``mkdocs build`` with a held index."""

    def __init__(self, plugin: SearchPlugin):
        self.plugin = plugin

    def __call__(self, *, config) -> None:
        self.plugin.search_index.write(str(Path(config.site_dir) / SEARCH_INDEX))
