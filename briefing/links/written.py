"""Each page's links scanned from the HTML the build writes (``on_post_page``), not read and
parsed again from ``site_dir`` after the build (issue 14). At series size (hundreds of pages,
52 MB of HTML) the scan runs in the build's worker process (``briefing.common.worker``), on the
core the build leaves idle while it renders the other pages; a small site is scanned in the
build's own process. Where each link of the page leads is worked out with the scan
(``scan.locate_links``), so the check itself only looks up each distinct target once.

What a page's scan holds is what the finished file holds: the Content-Security-Policy
(``briefing.site_policy.csp``, after the pages are written) adds one line to every page, so a
page is scanned as the policy pass will write it (``csp.as_written``), the lines of its links
those of the file. Files the build writes after its pages (the print editions, moved
addresses, the 404 page...) and pages not written by this build (``--dirty``) are read from
``site_dir`` by ``collect``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from briefing.common.worker import Job, Worker
from briefing.links.scan import Base, HtmlScan, html_files, locate_links, scan_html
from briefing.site_policy import csp


def scan_written(html: str, with_policy: bool, page: str, base: Base) -> HtmlScan:
    """The scan of ``page`` as the build leaves it in ``site_dir`` (``with_policy``: the policy
    pass will add its line), each of its links located."""
    scan = scan_html(csp.as_written(html) if with_policy else html)
    scan.located = locate_links(scan, page, base)
    return scan


@dataclass
class WrittenScans:
    """The scans of the pages this build wrote (site path -> scan, or its worker's future)."""

    with_policy: bool  # the build adds the Content-Security-Policy (not under `mkdocs serve`)
    base: Base  # where the site is served from (its links to itself located)
    worker: Worker  # the build's: scan there when it runs in the background
    done: dict[str, HtmlScan] = field(default_factory=dict)
    pending: dict[str, Job] = field(default_factory=dict)

    def add(self, page: str, html: str) -> None:
        if not self.worker.background:
            self.done[page] = scan_written(html, self.with_policy, page, self.base)
            return
        self.pending[page] = self.worker.submit(scan_written, html, self.with_policy, page, self.base)

    def add_files(self, site_dir: Path) -> None:
        """In the worker, the HTML files of ``site_dir`` no page scan covers (the print editions,
        the moved addresses, the 404 page, pages an earlier build wrote), each scanned as the
        policy pass will write it, while that pass runs here. Each is read here, before the pass:
        read in the worker, a file could be caught half rewritten by it."""
        if not self.worker.background:
            return
        for page in html_files(site_dir):
            if page not in self.done and page not in self.pending:
                html = (site_dir / page).read_text(encoding="utf-8", errors="replace")
                self.pending[page] = self.worker.submit(scan_written, html, self.with_policy, page, self.base)
        self.worker.flush()

    def collect(self, site_dir: Path) -> dict[str, HtmlScan]:
        """A scan of every HTML file of ``site_dir`` (sorted by site path): this build's pages
        from their scans, any other file read from the folder."""
        pages = html_files(site_dir)
        try:  # the other files first, here, while the worker finishes the last pages
            others = {page: scan_written((site_dir / page).read_text(encoding="utf-8", errors="replace"), False,
                                         page, self.base)
                      for page in pages if page not in self.done and page not in self.pending}
            for page, future in self.pending.items():
                self.done[page] = future.result()
        finally:
            self.pending.clear()
        return {page: self.done.get(page) or others[page] for page in pages}
