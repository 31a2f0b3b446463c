"""Every link of the built site leads somewhere, and none breaks the site's promises: no
third-party request, links that are http(s), ``mailto:`` or of the site (the rules are in
``briefing.links.scan``). Each URL of every HTML file in ``site_dir`` resolves to a file of the
site and, with a fragment, to an element with that id. This sees what MkDocs' own
validation does not: raw HTML in Markdown, notes, callouts, bibliography anchors, the
theme's links. External http(s) links are left to the external check.

On demand (``briefing: links: external: cached|full``; default ``off``, so the build never
goes online) it also checks every external URL of the pages and of the .bib library online
(``briefing.links.external``) and writes the report. What a build knows is ``build.links``.

Events:
- ``on_config``: check ``briefing: links:`` (its ``report``); add a
  Markdown step that takes out a link MkDocs cannot parse (``[x](http://[::1)`` would end
  MkDocs' own link rewriting in a traceback).
- ``on_files`` (priority -100, after the files other concerns add): keep the pages' sources,
  to name them in messages.
- ``on_page_markdown`` (priority 100): forget what the last conversion took out.
- ``on_page_content`` (priority -100, after other hooks): take out of the page's HTML every
  URL that breaks a rule, every inline handler, srcdoc and inline script, each a warning
  naming the Markdown file and line (later hooks never see them).
- ``on_post_page`` (priority -100, after every other concern changed the page): scan the page
  as it is written, its links located (``briefing.links.written``; at series size in the
  build's worker process, ``briefing.common.worker``).
- ``scan_files`` (an ``on_post_build`` at priority -85, after the moved addresses are
  written, before the policy pass): at series size, the files no page scan covers scanned
  in the worker while the policy pass runs.
- ``on_post_build`` (priority -100, after every other concern has written its files, before
  the PDFs): the files the pages' scans do not cover scanned from the site; check every link;
  each broken link is a warning naming the page and the link, so ``--strict`` fails.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

import briefing
from briefing.build import LinksState
from briefing.build import of as build_of
from briefing.citations import bibtex_adapter as _bibtex_adapter
from briefing.common.log import logger
from briefing.common.order import source_label
from briefing.links import scan as _sitelinks
from briefing.links import written as _written
from briefing.links.config import LinksConfig
from briefing.publication import print_edition

log = logger("links")


class _UnparsableLinks(Treeprocessor):
    """Before MkDocs rewrites the links of a converted page (its treeprocessor "relpath", at
    priority 0), turn each <a href>/<img src> that urlsplit cannot parse into a <span> of its
    text (or alt text), and note it (in the build's ``LinksState``, which the extension is
    given anew in every build)."""

    def __init__(self, md, state: LinksState):
        super().__init__(md)
        self.state = state

    def run(self, root):
        for element in root.iter():
            attr = {"a": "href", "img": "src"}.get(element.tag)
            url = element.get(attr) if attr else None
            if url is None:
                continue
            try:
                urlsplit(url)
            except ValueError as error:
                self.state.unparsable.append((element.tag, url, str(error)))
                # MkDocs expects every <a> and <img> to hold its URL: keep the text, not the element.
                text = element.text if element.tag == "a" else element.get("alt")
                element.attrib.clear()
                element.tag, element.text = "span", text
        return root


class UnparsableLinks(Extension):
    def __init__(self, state: LinksState):
        super().__init__()
        self.state = state

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(_UnparsableLinks(md, self.state), "briefing_unparsable_links", 1)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    state = build_of(config).links
    config.markdown_extensions[:] = [ext for ext in config.markdown_extensions if not isinstance(ext, UnparsableLinks)]
    config.markdown_extensions.append(UnparsableLinks(state))
    state.options = build_of(config).options.links
    try:
        if state.options.external != "off":
            _external().report_path(state.options.report, _config_dir(config), Path(config.site_dir))
    except ValueError as error:
        raise ConfigurationError(f"{config.config_file_path}: {error}") from error
    return config


@event_priority(-100)  # after every concern that adds files (the series' pages, downloads)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    build = build_of(config)
    build.links.names = _sitelinks.page_names(files, config)
    shared, root = _written.shared_key(briefing.CODE_DIGEST), _config_dir(config)
    build.links.written = _written.WrittenScans(with_policy=not build.serving,
                                                base=_sitelinks.Base.from_site_url(config.site_url),
                                                worker=build.worker,
                                                keep=(str(_written.cache_dir(root)), shared),
                                                keep_files=(str(_written.cache_dir(root, "files")), shared),
                                                keep_editions=(str(_written.cache_dir(root, "editions")), shared))
    return files


@event_priority(100)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    build_of(config).links.unparsable.clear()  # what the next conversion takes out is this page's
    return markdown


@event_priority(-100)
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Take refused URLs, handlers and inline scripts out of the page, naming each."""
    state = build_of(config).links
    source = page.file.content_string
    where = source_label(config, page.file.src_uri)
    for _tag, url, error in state.unparsable:
        line = _sitelinks.source_line(source, url)
        log.warning(f"{where}:{line or '?'}: not a valid URL ({error}): fix the link: {url!r}")
    state.unparsable.clear()
    cleaned, refused = _sitelinks.police_content(html, _sitelinks.Base.from_site_url(config.site_url))
    for item in refused:
        line = _sitelinks.source_line(source, item.what)
        at = f"{where}:{line}" if line else f"{where} (line {item.line} of its HTML)"
        log.warning(f"{at}: {item.reason}: {item.what!r}")
    return cleaned


@event_priority(-100)  # after every concern that changes the page's HTML (site_policy.escaping at 0)
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    written = build_of(config).links.written
    if written is not None and output.strip():  # MkDocs writes no file for an empty page
        written.add(page.file.dest_uri, output)
    return output


def _links_to(path: str, scan: _sitelinks.HtmlScan | _sitelinks.ScanSummary) -> bool:
    if isinstance(scan, _sitelinks.ScanSummary):
        return any(target.path == path for target in scan.targets)
    return any(link.url.split("#", 1)[0].split("?", 1)[0].endswith(path) for link in scan.links)


def describe(problems: list[_sitelinks.Problem], names: dict[str, str]) -> list[str]:
    """One message per broken link of a page (all its lines), naming page and link."""
    grouped: dict[tuple[str, str, str], list[int]] = {}
    for problem in problems:
        grouped.setdefault((problem.page, problem.link, problem.reason), []).append(problem.line)
    messages = []
    for (page, link, reason), lines in grouped.items():
        numbers = sorted(set(lines))
        at = f"line{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))}"
        where = f"{names[page]} ({page}, {at})" if page in names else f"{page} ({at})"
        messages.append(f"{where}: {reason}: {link!r}")
    return messages


@event_priority(-85)  # after every file but the PDFs is written (moved addresses: -80), before the policy pass (-90)
def scan_files(config: MkDocsConfig) -> None:
    """At series size, the files no page scan covers scanned in the worker while the policy
    pass runs in the build's process (50 print editions: a second of the check, before)."""
    written = build_of(config).links.written
    if written is not None:
        written.add_files(Path(config.site_dir))


@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    """Check every link of the built site, before the PDF is rendered (so a broken link stops
    it); links to the PDF lead to the file the PDF step writes next, or, when it will not
    render it (a strict build that has already failed), are not checked, said once."""
    started = time.perf_counter()
    state = build_of(config).links
    site_dir = Path(config.site_dir)
    scans = state.written.collect(site_dir) if state.written is not None else _sitelinks.scan_site(site_dir)
    pdfs, rendered = print_edition.planned_pdfs(config)
    check = _sitelinks.check_whole_site(site_dir, config.site_url, scans, pdfs)
    for message in describe(check.problems, state.names):
        log.warning(message)
    # bench/bench_series.py reads this line (the check's share of a build)
    log.info(f"internal links: {len(scans)} pages, {check.links} links to {check.targets} distinct targets, "
             f"checked in {time.perf_counter() - started:.2f} s")
    for pdf in sorted(pdfs):
        if not rendered and any(_links_to(pdf, scan) for scan in scans.values()):
            log.info(f"links to {pdf} not checked: the PDF edition is not rendered in this build (this strict build "
                     "has already failed; see the warnings above).")
    if state.options is not None and state.options.external != "off":
        check_external(config, _sitelinks.whole_scans(site_dir, scans), state.options)


def check_external(config: MkDocsConfig, scans: dict[str, _sitelinks.HtmlScan],
                   options: LinksConfig) -> None:
    base = _config_dir(config)
    bib_files = _bibtex_adapter.bib_files(config) if _bibtex_adapter.PLUGIN_NAME in config.plugins else []
    _linkcheck = _external()
    sources = _linkcheck.merge(
        _linkcheck.collect_bib_urls(bib_files, base),
        _linkcheck.collect_page_urls(scans, config.site_url, build_of(config).links.names),
    )
    try:
        import httpx  # noqa: F401 - fail early with the fix
    except ImportError as error:
        raise PluginError(
            f"{config.config_file_path}: briefing.links.external: {options.external} needs httpx "
            "(pip install -r requirements.txt)"
        ) from error
    cache = _linkcheck.Cache(_linkcheck.cache_path(base), options.cache_days)
    run = _linkcheck.check_external(sources, _linkcheck.Options.from_config(options), cache, options.external)
    lines = _linkcheck.report_lines(run.results, sources)
    report = _linkcheck.report_path(options.report, base, Path(config.site_dir))
    _linkcheck.write_report(report, run, lines)
    for line in lines:  # each column already printable (control characters escaped)
        where, url, what, *archived = line.split("\t")
        message = f"external link {url} ({where}): {what}" + (f"; {archived[0]}" if archived else "")
        failing = what.split(":", 1)[0] in _linkcheck.FAILING
        (log.warning if failing else log.info)(message)
    for notice in run.notices():  # no network, the run's deadline: said once, and the check did not happen
        log.warning(f"external links: {notice}")
    log.info(
        f"{len(run.results)} external URLs ({run.online} checked online, {run.cached} from the cache) "
        f"in {run.seconds:.1f} s: {len(lines)} problem(s); report: {report}"
    )


def _config_dir(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def _external():
    """The external link check (``briefing.links.external``: asyncio, sockets, the report),
    imported only by a build that checks external links (``external: cached|full``)."""
    from briefing.links import external

    return external
