"""The build's one background process (issue 14): at series size (from ``BACKGROUND_PAGES``
pages) the work a page leaves that nothing else of the build waits for runs in one spawned
worker process, on the core the build leaves idle while it renders the other pages:

- the page's scan for the link check (``briefing.links.written``), each link located there too;
- Material's search indexing of the page (``material_internals.WorkerSearchIndex``: the
  html.parser pass over the page's content, a tenth of a 600-page build).

One process for both, not one each: the machine the series is built on has two cores, and
the build's own process keeps one. A small site does both in the build's process (starting
the worker costs about 0.3 s of the other core: more than a small site's whole scan).

What the worker works out is kept between builds where it is a pure function of its inputs
(``briefing.common.kept``: the link scans, the search entries), in the process that works it
out; each process writes what it kept at the end of the build.

Events:
- ``on_files`` (priority -100, after every concern that adds pages): the build's ``Worker``
  (a child of the build: stopped when it ends or fails), background from ``BACKGROUND_PAGES``
  documentation pages; Material's search index made one that indexes in it, its entries kept
  between builds.
- ``on_post_build`` (priority -105, after the link check has every scan, before the PDFs): the
  worker's and this process's kept answers written for the next build.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

import briefing
from briefing.build import of as build_of
from briefing.common import kept, material_internals
from briefing.common.log import logger

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

log = logger("worker")

# From this many documentation pages the build's background work runs in the worker process.
BACKGROUND_PAGES = 60


# Jobs sent to the process together: each send wakes the pool's threads, and every wake-up
# costs the build's process the GIL for up to a switch interval (1,402 sends of one job took
# 5 s of a 600-page build under cProfile; batches of 16: 88 sends).
BATCH = 16


def run_batch(jobs: list[tuple[Callable[..., Any], tuple]]) -> tuple[list[tuple[bool, Any]], float]:
    """In the worker: each job's (True, result), or (False, its exception); the seconds it took."""
    started = time.perf_counter()
    answers: list[tuple[bool, Any]] = []
    for function, args in jobs:
        try:
            answers.append((True, function(*args)))
        except Exception as error:  # noqa: BLE001 - raised again by the job's result(), in the build
            answers.append((False, error))
    return answers, time.perf_counter() - started


class _Batch:
    def __init__(self):
        self.jobs: list[tuple[Callable[..., Any], tuple]] = []
        self.future: Future | None = None  # once sent
        self.answers: list[tuple[bool, Any]] | None = None  # once back


class Job:
    """One job's answer: ``result()`` waits for it (sending its batch first if it waits still)."""

    __slots__ = ("_batch", "_index", "_worker")

    def __init__(self, worker: Worker, batch: _Batch, index: int):
        self._worker, self._batch, self._index = worker, batch, index

    def result(self) -> Any:
        batch = self._batch
        if batch.answers is None:
            if batch.future is None:
                self._worker.flush()
            started = time.perf_counter()
            batch.answers, busy = batch.future.result()
            self._worker.waited += time.perf_counter() - started
            self._worker.busy += busy
        done, answer = batch.answers[self._index]
        if not done:
            raise answer
        return answer


class Worker:
    """One worker process, spawned on first use (not forked: the build runs threads, pandoc's
    readers), or none (``background`` False: the caller does the work itself). Its jobs run
    in the order they were submitted, sent ``BATCH`` at a time."""

    def __init__(self, background: bool):
        self.background = background
        self._pool: ProcessPoolExecutor | None = None
        self._batch = _Batch()
        self.submitted = 0  # jobs submitted (tests count them)
        self.sent = 0  # batches sent to the process
        self.busy = 0.0  # seconds the process spent on the batches whose answers came back
        self.waited = 0.0  # seconds the build's process waited for answers

    @property
    def started(self) -> bool:
        return self._pool is not None

    def submit(self, function: Callable[..., Any], *args: Any) -> Job:
        """``function(*args)`` in the worker process (``function`` and ``args`` picklable)."""
        if not self.background:
            raise RuntimeError("briefing: this build has no worker process (a small site does its work in-process)")
        batch = self._batch
        batch.jobs.append((function, args))
        self.submitted += 1
        job = Job(self, batch, len(batch.jobs) - 1)
        if len(batch.jobs) >= BATCH:
            self.flush()
        return job

    def flush(self) -> None:
        """Send the jobs not sent yet."""
        batch, self._batch = self._batch, _Batch()
        if not batch.jobs:
            return
        if self._pool is None:  # loaded here: a small site never starts the process (5 ms of its imports)
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        batch.future = self._pool.submit(run_batch, batch.jobs)
        batch.jobs = []  # the process has them (the build's process keeps no copy of the pages)
        self.sent += 1

    def stop(self) -> str | None:
        """End the process, dropping what has not run (the build has ended or failed); say what
        it did (bench/bench_series.py reads the line: is the worker the bottleneck?)."""
        self._batch = _Batch()
        if self._pool is not None:
            log.info(f"worker: {self.submitted} jobs in {self.sent} batches, busy {self.busy:.2f} s; "
                     f"the build waited {self.waited:.2f} s for it")
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        return None


@event_priority(-100)  # after every concern that adds documentation pages (the series' own)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    build = build_of(config)
    kept.forget()  # an earlier build in this process (mkdocs serve, tests) may have failed before writing
    pages = sum(1 for file in files if file.is_documentation_page())
    build.worker = build.own(Worker(background=pages >= BACKGROUND_PAGES))
    if build.worker.background:
        folder = material_internals.search_cache_dir(Path(config.config_file_path).resolve().parent)
        material_internals.index_in_worker(config, build.worker.submit,
                                           (str(folder), material_internals.search_shared_key(briefing.CODE_DIGEST)),
                                           hold=not build.serving)
    return files


@event_priority(-105)  # after the link check (-100), which waits for every scan; before the PDFs (-110)
def on_post_build(config: MkDocsConfig) -> None:
    build = build_of(config)
    if build.worker is not None and build.worker.started:
        build.worker.submit(kept.save_opened).result()  # the last job: every page's work is done
    kept.save_opened()
