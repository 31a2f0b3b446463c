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

A build summarises each page's scan where it is made
(``scan.ScanSummary``: its ids, its distinct targets, whether it holds a problem of its own)
and only the summary comes back: the check reads a page again, whole, only when it has
something to report on it.

A summary is a pure function of the page's HTML, its address, the site's base and whether the
policy line is added, so it is kept between builds (``briefing.common.kept``, under
``.cache/plugin/links/scans/``: ``pages/``, ``editions/`` and ``files/``) under the digest of all of them and
of the code (the generator's ``CODE_DIGEST``, lxml's and libxml2's versions): a page written
byte for byte as before is not parsed again (at 600 pages, 4.7 s of the worker's 9 s). What is
read back is checked for shape; anything else is scanned again. The check itself, each
distinct target looked up in the site as built, runs in every build.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.citations import library as lib
from briefing.common import kept
from briefing.common.worker import Job, Worker
from briefing.links.scan import (
    Base,
    HtmlScan,
    ScanSummary,
    Target,
    html_files,
    locate_links,
    scan_html,
    shared,
    summarize,
)
from briefing.site_policy import csp

VERSION = "scan-summaries-1"  # bump when what is kept of a scan changes

# Where a build keeps its summaries and the digest every one of the build shares: (folder, shared).
KeptScans = tuple[str, str]


def cache_dir(config_dir: Path, what: str = "pages") -> Path:
    """Where the summaries of ``what`` are kept: "pages" (the pages MkDocs writes), "editions"
    (the print editions, ``add_edition``) or "files" (the other files written after the pages,
    ``add_files``). A folder each, so that no group of kept summaries is written by two
    processes (a note's pages and edition by a second renderer, ``briefing.common.page_split``;
    a moved address in the note's folder by the worker)."""
    return config_dir / ".cache" / "plugin" / "links" / "scans" / what


def shared_key(code_digest: str) -> str:
    """What every kept summary depends on besides its page: the code that scans."""
    from lxml import etree

    return lib.cache_key(VERSION, code_digest, f"lxml {etree.LXML_VERSION} libxml2 {etree.LIBXML_VERSION}")


def scan_written(html: str, with_policy: bool, page: str, base: Base) -> HtmlScan:
    """The scan of ``page`` as the build leaves it in ``site_dir`` (``with_policy``: the policy
    pass will add its line), each of its links located."""
    scan = scan_html(csp.as_written(html) if with_policy else html)
    scan.located = locate_links(scan, page, base)
    return scan


def summary_written(html: str, with_policy: bool, page: str, base: Base, keep: KeptScans | None = None
                    ) -> ScanSummary:
    """The summary of ``scan_written``; with ``keep``, the one an earlier build made of the same
    bytes, or a new one kept for the next."""
    if keep is None:
        return summarize(scan_written(html, with_policy, page, base), page, base)
    store = kept.opened(keep[0], VERSION)
    group, key = kept.group_of(page), lib.cache_key(keep[1], page, str(with_policy), repr(base), html)
    data = store.get(group, key)
    summary = summary_from_data(data) if data is not None else None
    if summary is None:
        summary = summarize(scan_written(html, with_policy, page, base), page, base)
        data = summary_data(summary)
    store.use(group, key, data)
    return summary


def summary_of_file(path: str, with_policy: bool, page: str, base: Base, keep: KeptScans | None = None
                    ) -> ScanSummary:
    """``summary_written`` of the file at ``path`` (read where the summary is made)."""
    html = Path(path).read_text(encoding="utf-8", errors="replace")
    return summary_written(html, with_policy, page, base, keep)


def summary_data(summary: ScanSummary) -> dict[str, Any]:
    """A summary as JSON data (``summary_from_data`` reads it back)."""
    return {"ids": sorted(summary.ids), "targets": [[t.path, t.is_dir, t.fragment] for t in summary.targets],
            "flagged": summary.flagged, "links": summary.links}


def summary_from_data(data: Any) -> ScanSummary | None:
    """The summary ``summary_data`` wrote; None for anything else."""
    if not isinstance(data, dict):
        return None
    ids, targets, flagged, links = data.get("ids"), data.get("targets"), data.get("flagged"), data.get("links")
    if not (isinstance(ids, list) and all(type(ident) is str for ident in ids)
            and isinstance(targets, list) and all(
                type(t) is list and len(t) == 3 and type(t[0]) is str and type(t[1]) is bool and type(t[2]) is str
                for t in targets)
            and type(flagged) is bool and type(links) is int and links >= len(targets)):
        return None
    intern = sys.intern
    return ScanSummary(frozenset(intern(ident) for ident in ids),
                       tuple(shared(Target(intern(path), is_dir, intern(fragment)))
                             for path, is_dir, fragment in targets),
                       flagged, links)


@dataclass
class WrittenScans:
    """The summaries of the pages this build wrote (site path -> summary, or its worker's
    future)."""

    with_policy: bool  # the build adds the Content-Security-Policy (not under `mkdocs serve`)
    base: Base  # where the site is served from (its links to itself located)
    worker: Worker  # the build's: summarise there when it runs in the background
    keep: KeptScans | None = None  # where the pages' summaries are kept between builds (None: nowhere)
    keep_files: KeptScans | None = None  # where those of the files add_files scans are kept
    keep_editions: KeptScans | None = None  # where those of the print editions are kept
    done: dict[str, ScanSummary] = field(default_factory=dict)
    pending: dict[str, Job] = field(default_factory=dict)
    editions: list[Job] = field(default_factory=list)  # the worker's reads of the print editions

    def add(self, page: str, html: str) -> None:
        if self.worker.background:
            self.pending[page] = self.worker.submit(summary_written, html, self.with_policy, page, self.base,
                                                    self.keep)
        else:  # a small site, or a second renderer's page (common.page_split)
            self.done[page] = summary_written(html, self.with_policy, page, self.base, self.keep)

    def add_edition(self, page: str, path: Path) -> None:
        """A print edition, as it is written (while the other pages render), summarised where
        the pages are (read there: the build's process never holds it again)."""
        if self.worker.background:
            self.pending[page] = self.worker.submit(summary_of_file, str(path), self.with_policy, page, self.base,
                                                    self.keep_editions)
            self.editions.append(self.pending[page])
        else:
            self.done[page] = summary_of_file(str(path), self.with_policy, page, self.base, self.keep_editions)

    def add_files(self, site_dir: Path) -> None:
        """In the worker, the HTML files of ``site_dir`` no page scan covers (the moved
        addresses, the 404 page, pages an earlier build wrote), each summarised as the policy
        pass will write it, while that pass runs here. Each is read here, before the pass: read
        in the worker, a file could be caught half rewritten by it; and the worker has read every
        print edition (``add_edition``) before this returns, for the same reason."""
        if not self.worker.background:
            return
        for job in self.editions:
            job.result()
        self.editions.clear()
        for page in html_files(site_dir):
            if page not in self.done and page not in self.pending:
                html = (site_dir / page).read_text(encoding="utf-8", errors="replace")
                self.pending[page] = self.worker.submit(summary_written, html, self.with_policy, page, self.base,
                                                        self.keep_files)
        self.worker.flush()

    def collect(self, site_dir: Path) -> dict[str, ScanSummary]:
        """A summary of every HTML file of ``site_dir`` (sorted by site path): this build's pages
        from their summaries, any other file read from the folder."""
        pages = html_files(site_dir)
        try:  # the other files first, here, while the worker finishes the last pages
            others = {page: summary_of_file(str(site_dir / page), False, page, self.base, self.keep_files)
                      for page in pages if page not in self.done and page not in self.pending}
            for page, future in self.pending.items():
                self.done[page] = future.result()
        finally:
            self.pending.clear()
        return {page: self.done.get(page) or others[page] for page in pages}
