"""The pages rendered by two processes at series size (issue 14): MkDocs renders one page after
another (its template, our ``on_page_context`` and ``on_post_page``, the file written), which was
most of a 600-page build, on one core of the two the series is built on.

At the first page MkDocs renders, the build forks a second renderer, which renders the pages of
the last notes (about ``SHARE`` of the pages, whole notes, so that it writes those notes' print
editions too) while the build renders the others; the build skips the second renderer's pages.
Each note is rendered whole by one process: its print edition is made of its pages as they
finish rendering. The pages of no note (the series' home, its authors) stay with the build.

Where the second renderer's work reaches the rest of the build, it is sent back, when the build
has rendered its own pages (``on_post_build`` at the highest priority, before anything reads it):
- what it logged, logged again here in order (a strict build counts its warnings; each names
  its file and line as it would have);
- its pages' search entries (``material_internals.EntriesHere``), in a file of their own that the
  worker reads as it writes the index, each in its place (page order, as Material's own);
- its pages' scans for the link check (``links.written``), its notes' print editions;
- its error, if a page failed: the build fails with it, as a ``PluginError`` naming the page.
It scans and indexes its pages itself (the worker process is the build's), each answer kept
between builds as the worker keeps its own (``briefing.common.kept``), and writes what it kept.

The site is the one the build writes alone, byte for byte (tests/generator/test_page_split.py).
Only under ``mkdocs build`` (``mkdocs serve`` runs threads of its own), from ``SPLIT_PAGES``
pages, with the worker process (``briefing.common.worker``: its search index takes the entries
in page order), on a system with ``fork``, and with two notes or more. Before it forks, the
build waits for every note's citations (pandoc's threads are not in the child). MkDocs' page
step is wrapped in ``common.mkdocs_internals`` (``wrap_build_page``), the one place that knows it.

Events:
- ``on_env`` (priority -10000, after every other ``on_env``: the environment the pages get):
  decide; the first page's rendering forks.
- ``on_post_build`` (priority 10000, before every other ``on_post_build``): wait for the second
  renderer and take in what it sends.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from briefing.build import SITE, Build
from briefing.build import of as build_of
from briefing.common import heap, kept, material_internals, mkdocs_internals, page_memory
from briefing.common.log import logger

log = logger("pages")

SPLIT_PAGES = 60  # from this many documentation pages (with the worker: worker.BACKGROUND_PAGES)
SHARE = 0.5  # of the notes' pages, for the second renderer
WAIT_LIMIT = 1800.0  # seconds the build waits for the second renderer after its own pages


def second_share(doc_files, build: Build, share: float = SHARE) -> frozenset[str]:
    """The pages (src_uri) of the last notes in page order, whole notes, about ``share`` of the
    notes' pages; none when fewer than two notes would be rendered (nothing to share)."""
    notes: dict[str, list[str]] = {}
    for file in doc_files:
        scope = build.scope_of(file.src_uri)
        if scope != SITE:
            notes.setdefault(scope, []).append(file.src_uri)
    total, taken, chosen = sum(len(pages) for pages in notes.values()), 0, []
    for pages in reversed(list(notes.values())):
        if taken >= total * share or len(chosen) == len(notes) - 1:
            break
        chosen.append(pages)
        taken += len(pages)
    return frozenset(src for pages in chosen for src in pages)


@dataclass
class Sent:
    """What the second renderer sends back (pickled, through a file of its own)."""

    records: list[tuple[str, int, str]] = field(default_factory=list)  # (logger, level, message), in order
    entries: str | None = None  # the file of its pages' search entries (material_internals.write_elsewhere)
    scans: dict[str, Any] = field(default_factory=dict)  # site path -> HtmlScan
    editions: dict[str, Path | None] = field(default_factory=dict)  # note -> its print edition
    rendered: int = 0  # pages
    error: tuple[str, str] | None = None  # (src_uri, what failed)
    seconds: float = 0.0


class _Records(logging.Handler):
    """In the second renderer: every record of the ``mkdocs`` logger, for the build to log."""

    def __init__(self, sent: Sent):
        super().__init__(logging.DEBUG)
        self.sent = sent

    def emit(self, record: logging.LogRecord) -> None:
        self.sent.records.append((record.name, record.levelno, record.getMessage()))


class Split:
    """One build's second renderer: forked at the first page, joined before ``on_post_build``."""

    def __init__(self, build: Build, pages: frozenset[str]):
        self.build, self.pages = build, pages
        self.pid: int | None = None
        self.path: str | None = None
        self.sent: Sent | None = None
        self.restore = mkdocs_internals.wrap_build_page(self.build_page)

    # ------------------------------------------------------------------ the build's process
    def build_page(self, original, page, config, doc_files, nav, env, dirty=False, excluded=False):
        if self.pid is None and self.sent is None:
            self.fork(original, config, doc_files, nav, env, dirty)
        if self.pid is None or page.file.src_uri not in self.pages:
            return original(page, config, doc_files, nav, env, dirty, excluded=excluded)
        for plugin in material_internals.search_indexes(config.plugins):
            index = plugin.search_index
            if isinstance(index, material_internals.WorkerSearchIndex):
                index.add_entries_made_elsewhere(page)
        page_memory.let_go(page)  # the second renderer writes it
        return None

    def fork(self, original, config, doc_files, nav, env, dirty) -> None:
        handle, self.path = tempfile.mkstemp(prefix="briefing-pages-", suffix=".pickle")
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        gc.freeze()  # what both processes hold stays out of the child's collections (fewer copied pages)
        pid = os.fork()
        if pid == 0:  # the second renderer: never returns
            code = 1
            try:
                try:
                    sent = self.render_share(original, config, doc_files, nav, env, dirty)
                except BaseException as error:  # noqa: BLE001 - sent to the build, which fails with it
                    sent = Sent(error=("", f"{type(error).__name__}: {error}"))
                with os.fdopen(handle, "wb") as out:
                    pickle.dump(sent, out, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        gc.unfreeze()
        os.close(handle)
        self.pid = pid

    def join(self) -> Sent:
        """What the second renderer sent (waiting for it to end); its records logged here, once."""
        if self.sent is not None:
            return self.sent
        self.restore()
        pid, self.pid = self.pid, None
        status = _wait(pid, WAIT_LIMIT) if pid is not None else None
        sent = None
        try:
            if status == 0 and self.path:
                with open(self.path, "rb") as handle:
                    sent = pickle.load(handle)  # written by our own child, in a file only it and we know
        finally:
            if self.path:
                Path(self.path).unlink(missing_ok=True)
        self.sent = sent if isinstance(sent, Sent) else Sent()
        for name, level, message in self.sent.records:
            logging.getLogger(name).handle(logging.makeLogRecord(
                {"name": name, "levelno": level, "levelname": logging.getLevelName(level), "msg": message}))
        if pid is not None and not isinstance(sent, Sent):
            how = "did not end in time" if status is None else f"ended with status {status}"
            raise PluginError(f"briefing: the second renderer of the pages {how}, without its pages' results; "
                              "build again (a system out of memory stops it).")
        return self.sent

    def stop(self) -> str | None:
        """The build ends or failed: end the second renderer if it runs; MkDocs' page step back."""
        self.restore()
        if self.pid is not None:
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.pid = None
        if self.path:
            Path(self.path).unlink(missing_ok=True)
            Path(self.path + ".entries").unlink(missing_ok=True)
        return None

    # ------------------------------------------------------------------ the second renderer
    def render_share(self, original, config, doc_files, nav, env, dirty) -> Sent:
        started = time.perf_counter()
        sent = Sent()
        mkdocs_internals.set_mkdocs_handlers([_Records(sent)])
        build = self.build
        build.worker.background = False  # the worker is the build's: scan here
        indexes = []
        for plugin in material_internals.search_indexes(config.plugins):
            index = plugin.search_index
            plugin.search_index = material_internals.EntriesHere(getattr(index, "keep", None),
                                                                 getattr(index, "notes", None), **index.config)
            indexes.append(plugin.search_index)
        for file in doc_files:
            if file.src_uri not in self.pages:
                page_memory.let_go(file.page)  # the build writes it
                continue
            try:
                original(file.page, config, doc_files, nav, env, dirty, excluded=file.inclusion.is_excluded())
            except Exception as error:  # noqa: BLE001 - the build fails with it (join)
                sent.error = (file.src_uri, f"{type(error).__name__}: {error}")
                break
            sent.rendered += 1
        if indexes:  # the build's worker reads them, as it writes the index: the build holds none
            sent.entries = self.path + ".entries"
            material_internals.write_elsewhere(sent.entries, {src: entries for index in indexes
                                                              for src, entries in index.by_page.items()})
        written = build.links.written
        if written is not None:
            sent.scans = dict(written.done)
        sent.editions = {key: note.edition for key, note in build.notes.items()
                         if key != SITE and note.pages and note.pages[0] in self.pages}
        kept.save_opened()
        sent.seconds = time.perf_counter() - started
        return sent


def _wait(pid: int, limit: float) -> int | None:
    """The child's exit status (its code, or minus the signal that ended it); None (it is
    killed) when it has not ended within ``limit`` seconds."""
    deadline = time.monotonic() + limit
    delay = 0.005
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            return None
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


@event_priority(-10000)  # after every other on_env: the environment the pages are rendered with
def on_env(env, config: MkDocsConfig, files: Files):
    build = build_of(config)
    build.split = None
    doc_files = [file for file in files.documentation_pages()]
    if (build.serving or not hasattr(os, "fork") or build.worker is None or not build.worker.background
            or len(doc_files) < SPLIT_PAGES):
        return env
    pages = second_share(doc_files, build)
    if not pages:
        return env
    try:
        for note in build.notes.values():
            note.citations.wait()  # pandoc's threads are this process's: the notes in before the fork
    except Exception:  # noqa: BLE001 - the page that needs them fails in the build's own loop, as ever
        return env
    build.split = build.own(Split(build, pages))
    return env


@event_priority(10000)  # before every other on_post_build: they read what the second renderer made
def on_post_build(config: MkDocsConfig) -> None:
    build = build_of(config)
    split = build.split
    if split is None:
        return
    sent = split.join()
    heap.give_back()  # the build's own pages rendered, what the second renderer sent read
    if sent.error is not None:
        src, what = sent.error
        raise PluginError(f"briefing: rendering {src or 'the pages'} failed: {what}")
    for plugin in material_internals.search_indexes(config.plugins):
        if isinstance(plugin.search_index, material_internals.WorkerSearchIndex):
            plugin.search_index.elsewhere = sent.entries
    written = build.links.written
    if written is not None:
        written.done.update(sent.scans)
    for key, edition in sent.editions.items():
        note = build.notes[key]
        note.edition = edition
        note.sections.clear()
    log.debug(f"second renderer: {sent.rendered} pages in {sent.seconds:.2f} s")
