"""Each page's links scanned from the HTML the build writes (``on_post_page``), not read and
parsed again from ``site_dir`` after the build (issue 14). At series size (hundreds of pages,
52 MB of HTML) the scan runs in one worker process, on the core the build leaves idle while
it renders the other pages; a small site is scanned in the build's own process.

What a page's scan holds is what the finished file holds: the Content-Security-Policy
(``briefing.site_policy.csp``, after the pages are written) adds one line to every page, so a
page is scanned as the policy pass will write it (``csp.as_written``), the lines of its links
those of the file. Files the build writes after its pages (the print editions, moved
addresses, the 404 page...) and pages not written by this build (``--dirty``) are read from
``site_dir`` by ``collect``.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from briefing.links.scan import HtmlScan, html_files, scan_html
from briefing.site_policy import csp

# From this many pages a site's pages are scanned in a worker process (starting one costs about
# 0.3 s of the other core: more than a small site's whole scan).
BACKGROUND_PAGES = 60


def scan_written(html: str, with_policy: bool) -> HtmlScan:
    """The scan of a page as the build leaves it in ``site_dir`` (``with_policy``: the policy
    pass will add its line)."""
    return scan_html(csp.as_written(html) if with_policy else html)


@dataclass
class WrittenScans:
    """The scans of the pages this build wrote (site path -> scan, or its worker's future)."""

    with_policy: bool  # the build adds the Content-Security-Policy (not under `mkdocs serve`)
    background: bool  # scan in a worker process
    done: dict[str, HtmlScan] = field(default_factory=dict)
    pending: dict[str, Future] = field(default_factory=dict)
    _pool: ProcessPoolExecutor | None = None

    def add(self, page: str, html: str) -> None:
        if not self.background:
            self.done[page] = scan_written(html, self.with_policy)
            return
        if self._pool is None:  # spawned, not forked: the build runs threads (pandoc's readers)
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        self.pending[page] = self._pool.submit(scan_written, html, self.with_policy)

    def collect(self, site_dir: Path) -> dict[str, HtmlScan]:
        """A scan of every HTML file of ``site_dir`` (sorted by site path): this build's pages
        from their scans, any other file read from the folder."""
        pages = html_files(site_dir)
        try:  # the other files first, here, while the worker finishes the last pages
            others = {page: scan_html((site_dir / page).read_text(encoding="utf-8", errors="replace"))
                      for page in pages if page not in self.done and page not in self.pending}
            for page, future in self.pending.items():
                self.done[page] = future.result()
        finally:
            self.stop()
        return {page: self.done.get(page) or others[page] for page in pages}

    def stop(self) -> str | None:
        """End the worker (a ``Build`` child: stopped when the build ends or fails)."""
        self.pending.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        return None
