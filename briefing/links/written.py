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

A scan is a pure function of the page's HTML, its address, the site's base and whether the
policy line is added, so it is kept between builds (``briefing.common.kept``, under
``.cache/plugin/links/scans/``: ``pages/`` and ``files/``) under the digest of all of them and of the code (the
generator's ``CODE_DIGEST``, lxml's and libxml2's versions): a page written byte for byte as
before is not parsed again (at 600 pages, 4.7 s of the worker's 9 s). What is read back is
checked for shape; anything else is scanned again. The check itself, each distinct target
looked up in the site as built, runs in every build.
"""

from __future__ import annotations

import sys
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.citations import library as lib
from briefing.common import kept
from briefing.common.worker import Job, Worker
from briefing.links.scan import Base, HtmlScan, Inline, Link, Located, Target, html_files, locate_links, scan_html
from briefing.site_policy import csp

VERSION = "scans-1"  # bump when what is kept of a scan changes

# Where a build keeps its scans and the digest every scan of the build shares: (folder, shared).
KeptScans = tuple[str, str]


def cache_dir(config_dir: Path, what: str = "pages") -> Path:
    """Where the scans of ``what`` are kept: "pages" (the pages MkDocs writes) or "files" (the
    files written after them, scanned by ``add_files``). Two folders, so that no group of kept
    scans is written by two processes (a note's pages rendered by a second renderer,
    ``briefing.common.page_split``; its print edition scanned in the worker)."""
    return config_dir / ".cache" / "plugin" / "links" / "scans" / what


def shared_key(code_digest: str) -> str:
    """What every kept scan depends on besides its page: the code that scans."""
    from lxml import etree

    return lib.cache_key(VERSION, code_digest, f"lxml {etree.LXML_VERSION} libxml2 {etree.LIBXML_VERSION}")


def scan_written(html: str, with_policy: bool, page: str, base: Base, keep: KeptScans | None = None) -> HtmlScan:
    """The scan of ``page`` as the build leaves it in ``site_dir`` (``with_policy``: the policy
    pass will add its line), each of its links located; with ``keep``, the scan an earlier
    build made of the same bytes, or a new one kept for the next."""
    if keep is None:
        return _scan(html, with_policy, page, base)
    store = kept.opened(keep[0], VERSION)
    group, key = kept.group_of(page), lib.cache_key(keep[1], page, str(with_policy), repr(base), html)
    data = store.get(group, key)
    scan = scan_from_data(data, page, base) if data is not None else None
    if scan is None:
        scan = _scan(html, with_policy, page, base)
        data = scan_data(scan)
    store.use(group, key, data)
    return scan


def _scan(html: str, with_policy: bool, page: str, base: Base) -> HtmlScan:
    scan = scan_html(csp.as_written(html) if with_policy else html)
    scan.located = locate_links(scan, page, base)
    return scan


def scan_data(scan: HtmlScan) -> dict[str, Any]:
    """A located scan as JSON data (``scan_from_data`` reads it back)."""
    located = scan.located
    assert located is not None  # _scan locates every scan it makes
    return {
        "links": [[link.url, link.tag, link.attr, link.line, link.rel, link.fetch] for link in scan.links],
        "ids": sorted(scan.ids),
        "duplicate_ids": scan.duplicate_ids,
        "inline": [[item.tag, item.attr, item.line, item.text] for item in scan.inline],
        "scripts": [[item.tag, item.attr, item.line, item.text] for item in scan.scripts],
        "targets": [[target.path, target.is_dir, target.fragment] for target in located.targets],
        "which": located.which.tolist(),
        "refused": [[number, reason] for number, reason in located.refused.items()],
    }


def _strings(items: Any, width: int, ints: tuple[int, ...] = (), bools: tuple[int, ...] = ()) -> bool:
    """Every item a list of ``width`` values: ints at ``ints``, bools at ``bools``, else strings."""
    return isinstance(items, list) and all(
        type(item) is list and len(item) == width
        and all(type(value) is (int if at in ints else bool if at in bools else str) for at, value in enumerate(item))
        for item in items)


def scan_from_data(data: Any, page: str, base: Base) -> HtmlScan | None:
    """The scan ``scan_data`` wrote, located for ``page`` and ``base``; None for anything else."""
    if not isinstance(data, dict):
        return None
    links, ids, duplicates = data.get("links"), data.get("ids"), data.get("duplicate_ids")
    targets, which, refused = data.get("targets"), data.get("which"), data.get("refused")
    if not (_strings(links, 6, ints=(3,), bools=(5,)) and _strings(data.get("inline"), 4, ints=(2,))
            and _strings(data.get("scripts"), 4, ints=(2,)) and _strings(targets, 3, bools=(1,))
            and _strings(refused, 2, ints=(0,)) and isinstance(ids, list) and all(type(i) is str for i in ids)
            and isinstance(duplicates, dict) and all(isinstance(lines, list) and all(type(n) is int for n in lines)
                                                     for lines in duplicates.values())
            and isinstance(which, list) and len(which) == len(links)
            and all(type(to) is int and -2 <= to < len(targets) for to in which)):
        return None
    intern = sys.intern  # as scan_tree: a page repeats its URLs, tags and attribute names
    scan = HtmlScan(
        links=[Link(intern(url), intern(tag), intern(attr), line, intern(rel), fetch)
               for url, tag, attr, line, rel, fetch in links],
        ids=set(ids), duplicate_ids={ident: list(lines) for ident, lines in duplicates.items()},
        inline=[Inline(*item) for item in data["inline"]], scripts=[Inline(*item) for item in data["scripts"]])
    scan.located = Located(page, base, tuple(Target(*target) for target in targets), array("i", which),
                           {number: reason for number, reason in refused})
    return scan


@dataclass
class WrittenScans:
    """The scans of the pages this build wrote (site path -> scan, or its worker's future)."""

    with_policy: bool  # the build adds the Content-Security-Policy (not under `mkdocs serve`)
    base: Base  # where the site is served from (its links to itself located)
    worker: Worker  # the build's: scan there when it runs in the background
    keep: KeptScans | None = None  # where the pages' scans are kept between builds (None: nowhere)
    keep_files: KeptScans | None = None  # where those of the files add_files scans are kept
    done: dict[str, HtmlScan] = field(default_factory=dict)
    pending: dict[str, Job] = field(default_factory=dict)

    def add(self, page: str, html: str) -> None:
        if not self.worker.background:
            self.done[page] = scan_written(html, self.with_policy, page, self.base, self.keep)
            return
        self.pending[page] = self.worker.submit(scan_written, html, self.with_policy, page, self.base, self.keep)

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
                self.pending[page] = self.worker.submit(scan_written, html, self.with_policy, page, self.base,
                                                        self.keep_files)
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
