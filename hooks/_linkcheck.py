"""External links, checked on demand: collect every http(s) URL of the built pages and of
the .bib library, check them online concurrently, cache the results, write a report.

Separate pieces, as in linkchecker: ``collect_*`` (offline), ``check_urls`` (the only code
that goes online: httpx, a global bound and a per-host limit, timeouts, retries with backoff
on 429/5xx honouring Retry-After, HEAD with a GET fallback, redirects followed by hand to a
limit, TLS verified, bodies streamed and closed, never read whole), ``Cache`` (a JSON file
under ``.cache/`` with an expiry) and ``report_lines`` (one line per problem, with the
Wayback Machine address of a dead source formed offline from its access date).

Used by the ``check_links.py`` hook (``extra: linkcheck: external: cached|full``) and as a
command line (``make linkcheck``)::

    python hooks/_linkcheck.py [-f mkdocs.yml] [--no-build] [--cached]
"""

from __future__ import annotations

import argparse
import asyncio
import email.utils
import json
import os
import random
import re
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import _citelib
import _sitelinks
from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

USER_AGENT = "briefing-linkcheck/1.0 (checks the sources of a research note; +httpx)"
REDIRECTS = {301, 302, 303, 307, 308}
PERMANENT = {301, 308}
RETRY = {429, 500, 502, 503, 504}
DEAD = {404, 410}
BLOCKED = {401, 403, 451, 999}
# Kinds of result: ok, moved (a permanent redirect), dead (404/410), blocked (403, a bot
# wall), ratelimited (429 to the end), error (timeouts, 5xx, loops, TLS, connection).
FAILING = {"dead", "error"}  # what fails a strict build and `make linkcheck`
ARCHIVED = {"dead", "error"}  # what the report gives an archived-copy address for
TRANSIENT = {"error", "ratelimited"}  # cached for a day at most
BODY_PEEK = 16 * 1024  # bytes read of a refusal, to tell a bot wall; the rest is never read
WALL_MARKERS = (
    "captcha", "cf-chl", "just a moment", "attention required", "checking your browser",
    "are you a robot", "are you human", "datadome", "perimeterx", "px-captcha", "incapsula",
    "ddos-guard", "bot detection", "unusual traffic",
)
WALL_HEADERS = ("cf-mitigated", "x-datadome", "x-amzn-waf-action", "x-iinfo")


# --------------------------------------------------------------------------- options


class _Mode(c.Choice):
    """off | cached | full; YAML reads a bare ``off`` as false, which means off too."""

    def run_validation(self, value):
        return super().run_validation("off" if value is False else value)


class _Positive(c.Type):
    def run_validation(self, value):
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ValidationError(f"Expected a number above 0 but received: {value!r}")
        return value


class LinkcheckConfig(Config):
    """``extra: linkcheck:`` in mkdocs.yml."""

    # off: the build never goes online; cached: check what the cache lacks or has let
    # expire; full: check every external URL again.
    external = _Mode(("off", "cached", "full"), default="off")
    # Days a result stays in .cache/linkcheck/ (failures that may pass later: one day at most).
    cache_days = _Positive((int, float), default=7)
    # The report, relative to mkdocs.yml; never inside site_dir.
    report = c.Type(str, default="linkcheck-report.txt")
    # Requests in flight at once, over all hosts.
    concurrency = _Positive(int, default=32)
    # Requests in flight at once to one host.
    per_host = _Positive(int, default=10)
    # Seconds one request (connect, headers) may take.
    timeout = _Positive((int, float), default=10)
    # Further tries after a 429 or 5xx.
    retries = c.Type(int, default=2)


@dataclass
class Options:
    concurrency: int = 32
    per_host: int = 10
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry without Retry-After; doubles
    max_wait: float = 30.0  # longest wait a Retry-After may ask for
    max_redirects: int = 10
    user_agent: str = USER_AGENT

    @classmethod
    def from_config(cls, config: LinkcheckConfig) -> Options:
        return cls(
            concurrency=config.concurrency,
            per_host=config.per_host,
            timeout=float(config.timeout),
            retries=max(0, config.retries),
        )


def load_config(raw: object, config_file: str) -> tuple[LinkcheckConfig, list[str]]:
    """Validate ``extra: linkcheck``. Returns the options and the warnings (unknown keys);
    raises ValueError naming the file for an invalid value."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ValueError(f"{config_file}: 'extra: linkcheck' must be a mapping, not {raw!r}")
    config = LinkcheckConfig(config_file_path=config_file)
    config.load_dict(raw)
    errors, warnings = config.validate()
    if errors:
        raise ValueError(
            f"{config_file}: extra: linkcheck: "
            + "; ".join(f"{key}: {error}" for key, error in errors)
        )
    return config, [f"{config_file}: extra: linkcheck: {key}: {warning}" for key, warning in warnings]


# --------------------------------------------------------------------------- collecting


@dataclass(frozen=True)
class Source:
    """Where an external URL appears: a page, or an entry of the .bib library."""

    where: str  # "docs/conclusion.md" or "bib/references.bib:29 (dawn2020doha)"
    urldate: str = ""  # the entry's access date, when it has one


def without_fragment(url: str) -> str:
    return url.strip().split("#", 1)[0]


def collect_page_urls(
    scans: dict[str, _sitelinks.HtmlScan], site_url: str | None, names: dict[str, str] | None = None
) -> dict[str, list[Source]]:
    """External http(s) URLs of the built pages (not the site's own, not preconnect hints),
    each with the pages holding it, named by ``names`` (site path -> source) when known."""
    base = _sitelinks.Base.from_site_url(site_url)
    names = names or {}
    found: dict[str, list[Source]] = {}
    for page, scan in scans.items():
        for link in scan.links:
            url = link.url.strip()
            if url.startswith("//"):
                url = "https:" + url
            if _sitelinks.scheme_of(url) not in _sitelinks.EXTERNAL_SCHEMES or base.own(url) is not None:
                continue
            if link.tag == "link" and set(link.rel.split()) & {"preconnect", "dns-prefetch"}:
                continue
            source = Source(names.get(page, page))
            sources = found.setdefault(without_fragment(url), [])
            if source not in sources:
                sources.append(source)
    return {url: sorted(sources, key=lambda source: source.where) for url, sources in found.items()}


def collect_bib_urls(paths: Iterable[Path], base: Path) -> dict[str, list[Source]]:
    """The ``url`` (and ``doi``) of every entry of the .bib files, with file, line, key and
    access date (``urldate``)."""
    from pybtex.database import parse_string

    found: dict[str, list[Source]] = {}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        lines = _citelib.entry_lines(text)
        shown = os.path.relpath(path, base) if path.is_absolute() else str(path)
        for key, entry in parse_string(text, "bibtex").entries.items():
            fields = {name.lower(): str(value).strip() for name, value in entry.fields.items()}
            line = lines.get(key.lower(), [0])[0]
            urls = [fields["url"]] if fields.get("url") else []
            if fields.get("doi"):
                urls.append("https://doi.org/" + re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", fields["doi"]))
            for url in urls:
                if _citelib.is_http_url(url):
                    found.setdefault(without_fragment(url), []).append(
                        Source(f"{shown}:{line} ({key})", fields.get("urldate", ""))
                    )
    return found


def merge(*maps: dict[str, list[Source]]) -> dict[str, list[Source]]:
    """One map of URL -> sources, .bib entries first (the order the maps are given in)."""
    merged: dict[str, list[Source]] = {}
    for found in maps:
        for url, sources in found.items():
            merged.setdefault(url, []).extend(s for s in sources if s not in merged[url])
    return merged


def archive_url(url: str, urldate: str = "") -> str:
    """The Wayback Machine address of ``url`` as it was on its access date (YYYY-MM-DD, or
    a part of it); without a date, the list of its captures. Formed offline."""
    digits = re.sub(r"\D", "", urldate.split("/")[0])[:8]
    stamp = digits if len(digits) in (4, 6, 8) else "*"
    return f"https://web.archive.org/web/{stamp}/{url}"


# --------------------------------------------------------------------------- checking


@dataclass
class Result:
    url: str
    kind: str  # ok | moved | dead | blocked | ratelimited | error
    detail: str  # what happened, for people
    status: int | None = None  # the last HTTP status
    target: str = ""  # where a redirect led
    requests: int = 0  # requests sent for this URL
    checked_at: float = field(default_factory=time.time)

    @property
    def failing(self) -> bool:
        return self.kind in FAILING


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks to wait (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def is_bot_wall(status: int, headers: dict[str, str], body_start: bytes) -> bool:
    if status not in BLOCKED | {429, 503}:
        return False
    lowered = {name.lower(): value.lower() for name, value in headers.items()}
    if any(name in lowered for name in WALL_HEADERS):
        return True
    if lowered.get("server", "").startswith("cloudflare") and status in (403, 503):
        return True
    text = body_start.decode("utf-8", "replace").lower()
    return any(marker in text for marker in WALL_MARKERS)


@dataclass
class _Outcome:
    status: int = 0
    final: str = ""
    permanent: int = 0  # the first permanent redirect's status, if any
    headers: dict[str, str] = field(default_factory=dict)
    body_start: bytes = b""
    error: str = ""


class _Checker:
    def __init__(self, options: Options, client):
        self.options = options
        self.client = client
        self.total = asyncio.Semaphore(options.concurrency)
        self.hosts: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(options.per_host))
        self.requests: dict[str, int] = defaultdict(int)

    async def _hop(self, method: str, url: str, counted: str) -> _Outcome:
        """One request: status and headers; of a GET refusal, its first bytes only."""
        import httpx

        host = (urlsplit(url).hostname or "").lower()
        async with self.hosts[host], self.total:
            self.requests[counted] += 1
            request = self.client.build_request(method, url)
            response = await asyncio.wait_for(self.client.send(request, stream=True), self.options.timeout)
            try:
                body = b""
                if method == "GET" and response.status_code in BLOCKED | {429, 503}:
                    body = await asyncio.wait_for(_peek(response, BODY_PEEK), self.options.timeout)
                location = response.headers.get("location", "")
                outcome = _Outcome(response.status_code, "", headers=dict(response.headers), body_start=body)
                if location and response.status_code in REDIRECTS:
                    outcome.final = str(httpx.URL(url).join(location))
                return outcome
            finally:
                await response.aclose()  # an unread body is dropped with its connection

    async def _follow(self, method: str, url: str) -> _Outcome:
        seen = [url]
        current = url
        permanent = 0
        for _ in range(self.options.max_redirects + 1):
            try:
                hop = await self._hop(method, current, url)
            except Exception as error:  # noqa: BLE001 - every failure becomes a result
                return _Outcome(final=current, error=describe_error(error, self.options.timeout))
            if hop.status not in REDIRECTS or not hop.final:  # an answer (or a redirect to nowhere)
                hop.final, hop.permanent = current, permanent
                return hop
            if hop.status in PERMANENT and not permanent:
                permanent = hop.status
            if hop.final in seen:
                loop = " -> ".join(seen[seen.index(hop.final):] + [hop.final])
                return _Outcome(final=current, error=f"redirect loop: {loop}")
            if _sitelinks.scheme_of(hop.final) not in _sitelinks.EXTERNAL_SCHEMES:
                return _Outcome(final=current, error=f"redirect to a non-http(s) address {hop.final}")
            seen.append(hop.final)
            current = hop.final
        return _Outcome(final=current, error=f"more than {self.options.max_redirects} redirects")

    async def check(self, url: str) -> Result:
        options = self.options
        method = "HEAD"
        tries = 0
        while True:
            tries += 1
            outcome = await self._follow(method, url)
            if not outcome.error and method == "HEAD" and outcome.status >= 400 and outcome.status != 429:
                method = "GET"  # many servers refuse or mishandle HEAD
                outcome = await self._follow(method, url)
            if outcome.error or outcome.status not in RETRY or tries > options.retries:
                break
            wait = retry_after(outcome.headers.get("retry-after"))
            if wait is None:
                wait = options.backoff * 2 ** (tries - 1) * (1 + random.random() / 10)
            if wait > options.max_wait:
                note = f", and asks to wait {wait:.0f} s (over {options.max_wait:.0f} s)"
                return self._result(url, outcome, tries, note)
            await asyncio.sleep(wait)
        return self._result(url, outcome, tries)

    def _result(self, url: str, outcome: _Outcome, tries: int, note: str = "") -> Result:
        requests = self.requests[url]
        if outcome.error:
            return Result(url, "error", outcome.error, None, outcome.final, requests)
        import httpx

        status = outcome.status
        reason = f"{status} {httpx.codes.get_reason_phrase(status)}".strip()
        after = f" (after a redirect to {outcome.final})" if outcome.final != url else ""
        tried = f" after {tries} tries" if tries > 1 else ""
        if 200 <= status < 300:
            if outcome.permanent:
                detail = f"moved permanently ({outcome.permanent}) to {outcome.final}: update the link"
                return Result(url, "moved", detail, status, outcome.final, requests)
            return Result(url, "ok", reason + after, status, outcome.final, requests)
        if is_bot_wall(status, outcome.headers, outcome.body_start):
            detail = f"bot wall ({reason}): the server refuses automated checks; check it in a browser"
            return Result(url, "blocked", detail + after, status, outcome.final, requests)
        if status in BLOCKED:
            detail = f"{reason}: the server refuses automated checks (not necessarily dead); check it in a browser"
            return Result(url, "blocked", detail + after, status, outcome.final, requests)
        if status in DEAD:
            return Result(url, "dead", reason + after, status, outcome.final, requests)
        if status == 429:
            return Result(url, "ratelimited", f"rate limited ({reason}){tried}{note}", status, outcome.final, requests)
        return Result(url, "error", f"{reason}{after}{tried}{note}", status, outcome.final, requests)


async def _peek(response, limit: int) -> bytes:
    data = b""
    async for chunk in response.aiter_raw():
        data += chunk
        if len(data) >= limit:
            break
    return data[:limit]


def describe_error(error: BaseException, timeout: float) -> str:
    import httpx

    if isinstance(error, asyncio.TimeoutError | httpx.TimeoutException):
        return f"timed out after {timeout:g} s"
    text = str(error) or type(error).__name__
    if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text or "TLS" in text:
        return f"TLS failure (certificate not verified?): {text}"
    if isinstance(error, httpx.ConnectError):
        return f"cannot connect: {text}"
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return f"invalid URL: {text}"
    return f"{type(error).__name__}: {text}"


async def _check_all(urls: list[str], options: Options) -> list[Result]:
    import httpx

    async with httpx.AsyncClient(
        timeout=httpx.Timeout(options.timeout),
        follow_redirects=False,
        verify=True,
        limits=httpx.Limits(max_connections=options.concurrency, max_keepalive_connections=options.concurrency),
        headers={"User-Agent": options.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    ) as client:
        checker = _Checker(options, client)
        return list(await asyncio.gather(*(checker.check(url) for url in urls)))


def check_urls(urls: Iterable[str], options: Options | None = None) -> dict[str, Result]:
    """Check each URL online (the only function that does). Never raises for a URL."""
    unique = list(dict.fromkeys(urls))
    if not unique:
        return {}
    # In a thread of its own: the caller's thread may already run an event loop (mkdocs
    # serve does not, but Playwright's sync API in the same test session does).
    with ThreadPoolExecutor(1, thread_name_prefix="linkcheck") as pool:
        results = pool.submit(lambda: asyncio.run(_check_all(unique, options or Options()))).result()
    return {result.url: result for result in results}


# --------------------------------------------------------------------------- the cache


class Cache:
    """Results by URL in one JSON file; a result older than ``days`` (a day for the
    failures that may pass later) is checked again."""

    VERSION = 1

    def __init__(self, path: Path, days: float = 7):
        self.path = path
        self.days = days
        self.results: dict[str, Result] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == self.VERSION:
                self.results = {url: Result(**item) for url, item in data.get("results", {}).items()}
        except (OSError, ValueError, TypeError):
            self.results = {}  # missing or unreadable: start empty

    def fresh(self, url: str, now: float | None = None) -> Result | None:
        result = self.results.get(url)
        if result is None:
            return None
        lifetime = self.days * 86400
        if result.kind in TRANSIENT:
            lifetime = min(lifetime, 86400)
        return result if (time.time() if now is None else now) - result.checked_at < lifetime else None

    def update(self, results: Iterable[Result]) -> None:
        for result in results:
            self.results[result.url] = result

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        payload = {"version": self.VERSION, "results": {url: asdict(r) for url, r in sorted(self.results.items())}}
        temporary.write_text(json.dumps(payload, indent=1), encoding="utf-8")
        os.replace(temporary, self.path)


@dataclass
class Run:
    results: dict[str, Result]
    online: int  # URLs checked online in this run
    cached: int  # URLs answered from the cache
    seconds: float


def check_external(
    urls: Iterable[str], options: Options, cache: Cache | None, mode: str = "cached", now: float | None = None
) -> Run:
    """``cached``: answer from the cache where it is fresh and check the rest; ``full``:
    check every URL. Either way the cache is updated and saved."""
    started = time.perf_counter()
    urls = list(dict.fromkeys(urls))
    results: dict[str, Result] = {}
    if cache is not None and mode == "cached":
        for url in urls:
            hit = cache.fresh(url, now)
            if hit is not None:
                results[url] = hit
    missing = [url for url in urls if url not in results]
    checked = check_urls(missing, options)
    results.update(checked)
    if cache is not None and checked:
        cache.update(checked.values())
        cache.save()
    return Run({url: results[url] for url in urls}, len(missing), len(urls) - len(missing),
               time.perf_counter() - started)


# --------------------------------------------------------------------------- the report


def report_lines(results: dict[str, Result], sources: dict[str, list[Source]]) -> list[str]:
    """One tab-separated line per problem: where (pages, .bib entries), URL, what happened,
    and for a dead or unreachable source the archived copy at its access date."""
    lines = []
    order = {"dead": 0, "error": 1, "moved": 2, "blocked": 3, "ratelimited": 4}
    problems = sorted((r for r in results.values() if r.kind != "ok"), key=lambda r: (order.get(r.kind, 9), r.url))
    for result in problems:
        found = sources.get(result.url, [])
        where = ", ".join(source.where for source in found) or "-"
        columns = [where, result.url, f"{result.kind}: {result.detail}"]
        if result.kind in ARCHIVED:
            urldate = next((source.urldate for source in found if source.urldate), "")
            columns.append(f"archived: {archive_url(result.url, urldate)}")
        lines.append("\t".join(columns))
    return lines


def write_report(path: Path, run: Run, lines: list[str]) -> None:
    problems = len(lines)
    header = [
        f"# External links checked {time.strftime('%Y-%m-%d %H:%M:%S %Z')}: {len(run.results)} URLs "
        f"({run.online} online, {run.cached} from the cache), {problems} problem(s).",
        "# where<TAB>url<TAB>kind: what happened<TAB>archived copy (dead or unreachable sources)",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(header + lines) + "\n", encoding="utf-8")


def report_path(option: str, config_dir: Path, site_dir: Path) -> Path:
    """The report's path from mkdocs.yml's folder; ValueError when it lies inside site_dir."""
    path = (config_dir / option).resolve()
    site = site_dir.resolve()
    if path == site or site in path.parents:
        raise ValueError(f"extra: linkcheck: report {option!r} lies inside site_dir ({site}): put it outside")
    return path


def cache_path(config_dir: Path) -> Path:
    return config_dir / ".cache" / "linkcheck" / "results.json"


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    """Build the site strictly (or read site/ as it is), then check every external URL of
    its pages and of the .bib library online; write the report; exit 1 on a dead or
    unreachable source."""
    parser = argparse.ArgumentParser(prog="linkcheck", description=main.__doc__)
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="mkdocs.yml (default: %(default)s)")
    parser.add_argument("--no-build", action="store_true", help="check the site already in site_dir")
    parser.add_argument("--cached", action="store_true", help="answer from the cache where it is fresh")
    parser.add_argument("--report", help="the report file (default: extra.linkcheck.report)")
    args = parser.parse_args(argv)

    import _bibtex_adapter
    from mkdocs.config import load_config as load_mkdocs_config
    from mkdocs.structure.files import get_files

    config_file = Path(args.config_file).resolve()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if not args.no_build:
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(config_file)]
        if subprocess.run(command, env=env, check=False).returncode != 0:
            print("linkcheck: the strict build failed; fix it first", file=sys.stderr)
            return 2
    config = load_mkdocs_config(str(config_file))
    config_dir = config_file.parent
    try:
        options, warnings = load_config(config.extra.get("linkcheck"), str(config_file))
        report = report_path(args.report or options.report, config_dir, Path(config.site_dir))
    except ValueError as error:
        print(f"linkcheck: {error}", file=sys.stderr)
        return 2
    for warning in warnings:
        print(f"linkcheck: {warning}", file=sys.stderr)
    site_dir = Path(config.site_dir)
    if not (site_dir / "index.html").is_file():
        print(f"linkcheck: no built site in {site_dir}: run without --no-build", file=sys.stderr)
        return 2
    names = page_names(get_files(config), config)
    sources = merge(
        collect_bib_urls(_bibtex_adapter.bib_files(config), config_dir),
        collect_page_urls(_sitelinks.scan_site(site_dir), config.site_url, names),
    )
    cache = Cache(cache_path(config_dir), options.cache_days)
    run = check_external(sources, Options.from_config(options), cache, "cached" if args.cached else "full")
    lines = report_lines(run.results, sources)
    write_report(report, run, lines)
    for line in lines:
        print(line.replace("\t", "  "))
    failing = sum(result.failing for result in run.results.values())
    print(
        f"linkcheck: {len(run.results)} external URLs ({run.online} checked online, {run.cached} from the cache) "
        f"in {run.seconds:.1f} s: {len(lines)} problem(s), {failing} dead or unreachable; report: {report}"
    )
    return 1 if failing else 0


def page_names(files, config) -> dict[str, str]:
    """Site path of each built page -> its Markdown source, as shown in messages."""
    docs = os.path.relpath(config.docs_dir, Path(config.config_file_path).parent)
    return {
        file.dest_uri: f"{docs}/{file.src_uri}" for file in files if file.is_documentation_page()
    }


if __name__ == "__main__":
    sys.exit(main())
