"""What the generator relies on in MkDocs beyond its documented plugin API, in one place (so an
upgrade of MkDocs is checked here):

- ``warnings_counted`` / ``failed``: the warning counter of strict mode
  (``mkdocs.commands.build.build`` adds a ``CountHandler`` to the ``mkdocs`` logger in strict
  mode and aborts after ``on_post_build`` when it counted anything). A hook about to spend
  seconds on output a failed strict build throws away (the PDF) asks ``failed()`` first.
- ``drop_event``, ``replace_event``: take one plugin's handler of one event out of this build,
  or put another in its place (``config.plugins.events``, which MkDocs fills anew for every
  build).
- ``markdown_title``: the title MkDocs gives a page from its first heading, before the page is
  read (``Page.title`` is None until then).
- ``poll_every``: how often ``mkdocs serve`` looks for edited files. MkDocs' LiveReloadServer
  (``mkdocs.livereload``) watches with watchdog's ``PollingObserver`` (``server.observer``),
  made with ``polling_interval=0.5`` that no option or API changes; each watched path is an
  emitter polling at the timeout the observer had when the path was scheduled (watchdog's
  ``_timeout`` of each).
- ``link_prefix`` / ``url_context``: what the ``url`` template filter's output depends on of the
  page being rendered (``mkdocs.utils.normalize_url``: a relative URL made relative to the
  page's folder by ``get_relative_url``, over ``_norm_parts``; an absolute one printed as it is;
  on a page-less template, 404.html, joined to ``base_url``), so that HTML made of links can be
  drawn once for every page that gets the same strings (``briefing.common.material_internals``:
  the navigation).

- ``rendered`` / ``restore_rendered``: what ``Page.render`` (MkDocs' Markdown conversion of a
  page) leaves on the page: ``content``, ``toc`` (from Python-Markdown's ``toc_tokens``, as
  ``get_toc`` reads them), ``_title_from_render`` (the first heading, the page's title when the
  nav and the front matter give none), ``present_anchor_ids`` and, unless MkDocs logs at
  DEBUG, ``links_to_anchors`` (checked by ``validate_anchor_links`` after every page is
  converted), so that a conversion can be kept as data and put back
  (``briefing.common.markdown_cache``). ``Page.render`` is looked up on the page, so a page's
  own ``render`` attribute (``install_render``) is what ``_populate_page`` calls.

- ``wrap_build_page``: ``mkdocs.commands.build.build`` renders each page by calling the module's
  ``_build_page(page, config, doc_files, nav, env, dirty, excluded=...)``, looked up as a
  module global at each call, after every ``on_env`` and the theme's templates, before
  ``validate_anchor_links`` and ``on_post_build``; wrapping it lets a second process render a
  share of the pages (``briefing.common.page_split``).
- ``mkdocs_handlers`` / ``set_mkdocs_handlers``: the ``mkdocs`` logger's handlers (the console's
  and, in strict mode, the ``CountHandler``); MkDocs' command line stops the logger's records
  there (``propagate`` off), so a process that must hand its records to another swaps them.

Pure functions only: no MkDocs events here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.toc import get_toc
from mkdocs.utils import CountHandler, _get_norm_url, _norm_parts, get_markdown_title
from mkdocs.utils.meta import get_data


def warnings_counted() -> int | None:
    """Warnings (and errors) counted by this build's strict mode so far; None when the build
    is not strict (no counter: nothing will abort it)."""
    for handler in logging.getLogger("mkdocs").handlers:
        if isinstance(handler, CountHandler):
            return sum(count for _level, count in handler.get_counts())
    return None


def mkdocs_handlers() -> list[logging.Handler]:
    return list(logging.getLogger("mkdocs").handlers)


def set_mkdocs_handlers(handlers: list[logging.Handler]) -> None:
    """Make ``handlers`` the ``mkdocs`` logger's, in place of those it has."""
    mkdocs_log = logging.getLogger("mkdocs")
    for handler in list(mkdocs_log.handlers):
        mkdocs_log.removeHandler(handler)
    for handler in handlers:
        mkdocs_log.addHandler(handler)


def wrap_build_page(wrapper) -> Callable[[], None]:
    """Have MkDocs call ``wrapper(original, *args, **kwargs)`` for each page it renders, where
    it called ``original(*args, **kwargs)``; the function that puts the original back."""
    from mkdocs.commands import build as mkdocs_build

    original = mkdocs_build._build_page

    def build_page(*args, **kwargs):
        return wrapper(original, *args, **kwargs)

    mkdocs_build._build_page = build_page

    def restore() -> None:
        if mkdocs_build._build_page is build_page:
            mkdocs_build._build_page = original

    return restore


def failed() -> bool:
    """True when this is a strict build that will abort: it has already counted a warning."""
    return bool(warnings_counted())


def drop_event(config: MkDocsConfig, instance: Any, event: str) -> None:
    """Take ``instance``'s (a plugin's) handler of ``event`` out of this build's events."""
    events = config.plugins.events[event]
    events[:] = [method for method in events if getattr(method, "__self__", None) is not instance]


def replace_event(config: MkDocsConfig, instance: Any, event: str, handler: Callable[..., Any]) -> None:
    """Put ``handler`` in the place of ``instance``'s (a plugin's) handler of ``event`` in this
    build's events (its priority kept)."""
    events = config.plugins.events[event]
    events[:] = [handler if getattr(method, "__self__", None) is instance else method for method in events]


def markdown_title(source: str) -> str | None:
    """The title MkDocs takes from a page's source: its front matter's ``title``, else the text of
    its first level-1 heading (as MkDocs reads it), else None."""
    body, meta = get_data(source)
    if isinstance(meta.get("title"), str):
        return meta["title"]
    return get_markdown_title(body)


def poll_every(server: Any, seconds: float) -> None:
    """Make ``mkdocs serve``'s server (``on_serve``'s) look for edits every ``seconds``: the
    paths watched so far and those watched after (``config.watch``, after ``on_serve``)."""
    observer = server.observer
    observer._timeout = seconds
    for emitter in observer.emitters:
        emitter._timeout = seconds


Prefix = tuple[str, ...]


def link_prefix(urls: Iterable[str]) -> Prefix | None:
    """The leading folders that every relative URL of ``urls`` shares, as ``get_relative_url``
    splits them (``_norm_parts``); None when none of them is relative (the ``url`` filter prints
    an absolute URL, or one starting with ``/`` or ``#``, as it is on every page)."""
    prefix: Prefix | None = None
    for url in urls:
        path, level = _get_norm_url(str(url))
        if level == -1:
            continue
        parts = tuple(_norm_parts(path))  # a copy: MkDocs keeps the list it returns (lru_cache)
        prefix = parts if prefix is None else prefix[:_shared(prefix, parts)]
    return prefix


def _shared(one: list[str] | Prefix, other: list[str] | Prefix) -> int:
    """How many leading parts two split URLs have in common."""
    count = 0
    for a, b in zip(one, other, strict=False):
        if a != b:
            break
        count += 1
    return count


def url_context(prefix: Prefix | None, page_url: str | None, base_url: str) -> tuple | None:
    """What the ``url`` filter's output for any URL under ``prefix`` (``link_prefix`` of them)
    depends on of the page being rendered (``page_url``: the page's URL; None on a template with
    no page, such as 404.html, where relative URLs are joined to ``base_url``): two pages with
    the same value get the same strings. None when the page's folder lies within ``prefix``:
    then each URL's output depends on more of the page's URL than this says.

    Why it holds (``get_relative_url(url, page_url)``): the output is ``..`` once for each of
    the page folder's parts past the parts it shares with the URL, then the URL's own parts past
    those. A URL under ``prefix`` shares with a page's folder exactly the parts the folder shares
    with ``prefix``, as long as the folder leaves ``prefix`` before its end: so the folder's
    length and that count decide every such URL's output."""
    if prefix is None:
        return ("absolute",)
    if page_url is None:
        return ("base", base_url)
    folder, _, name = page_url.rpartition("/")
    parts = _norm_parts(folder if "." in name else page_url)
    shared = _shared(parts, prefix)
    if shared == len(prefix):
        return None
    return ("page", len(parts), shared)


# ----------------------------------------------------------------------------- a page's conversion
_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")


def _tokens(items) -> list[dict]:
    return [{"name": item.title, "id": item.id, "level": item.level, "children": _tokens(item.children)}
            for item in items]


def rendered(page) -> dict[str, Any]:
    """What ``Page.render`` left on ``page``, as JSON data."""
    links = page.links_to_anchors
    return {"content": page.content, "toc": _tokens(page.toc), "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links_to_anchors": None if links is None else {file.src_uri: dict(found) for file, found in links.items()}}


def _valid_tokens(tokens: Any) -> bool:
    return isinstance(tokens, list) and all(
        isinstance(token, dict) and isinstance(token.get("name"), str) and isinstance(token.get("id"), str)
        and isinstance(token.get("level"), int) and _valid_tokens(token.get("children")) for token in tokens)


def restore_rendered(page, state: Any, files) -> bool:
    """Put back on ``page`` what ``rendered`` took of a conversion; False (the page untouched)
    for anything that is not what ``rendered`` writes, or links to files not in ``files``."""
    if not (isinstance(state, dict) and isinstance(state.get("content"), str) and _valid_tokens(state.get("toc"))
            and (state.get("title") is None or isinstance(state.get("title"), str))
            and isinstance(state.get("anchors"), list) and all(isinstance(a, str) for a in state["anchors"])):
        return False
    links, restored = state.get("links_to_anchors"), None
    if links is not None:
        if not isinstance(links, dict):
            return False
        restored = {}
        for src_uri, found in links.items():
            file = files.get_file_from_path(src_uri) if isinstance(src_uri, str) else None
            if file is None or not (isinstance(found, dict)
                                    and all(isinstance(k, str) and isinstance(v, str) for k, v in found.items())):
                return False
            restored[file] = dict(found)
    page.content = state["content"]
    page.toc = get_toc(state["toc"])
    page._title_from_render = state["title"]
    page.present_anchor_ids = set(state["anchors"])
    if _PAGES_LOG.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = restored
    return True


def install_render(page, render) -> None:
    """Make ``render(config, files)`` what MkDocs calls to convert this one page (it removes
    itself: ``uninstall_render``)."""
    page.render = render


def uninstall_render(page) -> None:
    vars(page).pop("render", None)


def convert(page, config, files) -> None:
    """MkDocs' own conversion of the page."""
    type(page).render(page, config, files)
