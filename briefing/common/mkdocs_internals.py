"""What the generator relies on in MkDocs beyond its documented plugin API, in one place (so an
upgrade of MkDocs is checked here):

- ``warnings_counted`` / ``failed``: the warning counter of strict mode
  (``mkdocs.commands.build.build`` adds a ``CountHandler`` to the ``mkdocs`` logger in strict
  mode and aborts after ``on_post_build`` when it counted anything). A hook about to spend
  seconds on output a failed strict build throws away (the PDF) asks ``failed()`` first.
- ``drop_event``: take one plugin's handler of one event out of this build
  (``config.plugins.events``, which MkDocs fills anew for every build).
- ``markdown_title``: the title MkDocs gives a page from its first heading, before the page is
  read (``Page.title`` is None until then).
- ``poll_every``: how often ``mkdocs serve`` looks for edited files. MkDocs' LiveReloadServer
  (``mkdocs.livereload``) watches with watchdog's ``PollingObserver`` (``server.observer``),
  made with ``polling_interval=0.5`` that no option or API changes; each watched path is an
  emitter polling at the timeout the observer had when the path was scheduled (watchdog's
  ``_timeout`` of each).

Pure functions only: no MkDocs events here.
"""

from __future__ import annotations

import logging
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils import CountHandler, get_markdown_title
from mkdocs.utils.meta import get_data


def warnings_counted() -> int | None:
    """Warnings (and errors) counted by this build's strict mode so far; None when the build
    is not strict (no counter: nothing will abort it)."""
    for handler in logging.getLogger("mkdocs").handlers:
        if isinstance(handler, CountHandler):
            return sum(count for _level, count in handler.get_counts())
    return None


def failed() -> bool:
    """True when this is a strict build that will abort: it has already counted a warning."""
    return bool(warnings_counted())


def drop_event(config: MkDocsConfig, instance: Any, event: str) -> None:
    """Take ``instance``'s (a plugin's) handler of ``event`` out of this build's events."""
    events = config.plugins.events[event]
    events[:] = [method for method in events if getattr(method, "__self__", None) is not instance]


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
