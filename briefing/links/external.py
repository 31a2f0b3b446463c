"""External links, checked on demand: collect every http(s) URL of the built pages and of
the .bib library, check them online concurrently, cache the results, write a report.

Separate pieces, as in linkchecker: ``collect_*`` (offline), ``check_urls`` (the only code
that goes online: httpx, a global bound and a per-host limit, timeouts, retries with backoff
on 429/5xx honouring Retry-After, HEAD with a GET fallback, redirects followed by hand to a
limit, TLS verified, bodies streamed and closed, never read whole; a deadline per URL and one
for the run), ``Cache`` (a JSON file under ``.cache/`` with an expiry) and ``report_lines``
(one line per problem, with the Wayback Machine address of a dead source formed offline from
its access date).

The checker connects to public addresses only (``PublicOnlyBackend``): it resolves each
host itself, refuses loopback, private, link-local, multicast, reserved and other non-global
addresses (IPv4 inside IPv6 included), connects to the address it checked (never resolving
again) and checks the connected peer once more, for the first request and every redirect hop.
``allow_networks`` lets a test reach its own server on 127.0.0.1. No proxy is used (a proxy
would connect on its behalf, unchecked).

Without a network (DNS cannot answer, no route) a URL is ``offline``: said once for the run,
never cached as a verdict. Everything printed (report, messages) has its control characters
escaped (``printable``): a server or a cache file cannot send escape sequences to a terminal.

Used by ``internal.py`` (``briefing: links: external: cached|full``) and as a
command line (``make linkcheck``)::

    python -m briefing.links [-f mkdocs.yml] [--no-build] [--cached]
"""

from __future__ import annotations

import argparse
import asyncio
import email.utils
import errno
import ipaddress
import json
import math
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from briefing.citations import library as _citelib
from briefing.links import scan as _sitelinks
from briefing.links.config import LinksConfig

USER_AGENT = "briefing-linkcheck/1.0 (checks the sources of a research note; +httpx)"
REDIRECTS = {301, 302, 303, 307, 308}
PERMANENT = {301, 308}
RETRY = {429, 500, 502, 503, 504}
DEAD = {404, 410}
BLOCKED = {401, 403, 451, 999}
# Kinds of result: ok, moved (a permanent redirect), dead (404/410), blocked (403, a bot
# wall), ratelimited (429 to the end), error (timeouts, 5xx, loops, TLS, connection, the
# per-URL deadline), refused (a non-public address); and two that are no verdict on the link:
# offline (the network is unreachable) and unchecked (the run's deadline came first).
FAILING = {"dead", "error", "refused"}  # what fails a strict build and `make linkcheck`
ARCHIVED = {"dead", "error"}  # what the report gives an archived-copy address for
TRANSIENT = {"error", "ratelimited", "refused"}  # cached for a day at most
VERDICTS = {"ok", "moved", "dead", "blocked", "ratelimited", "error", "refused"}  # what may be cached
NOT_CHECKED = {"offline", "unchecked"}  # never cached
BODY_PEEK = 16 * 1024  # bytes read of a refusal, to tell a bot wall; the rest is never read
WALL_MARKERS = (
    "captcha", "cf-chl", "just a moment", "attention required", "checking your browser",
    "are you a robot", "are you human", "datadome", "perimeterx", "px-captcha", "incapsula",
    "ddos-guard", "bot detection", "unusual traffic",
)
WALL_HEADERS = ("cf-mitigated", "x-datadome", "x-amzn-waf-action", "x-iinfo")


# --------------------------------------------------------------------------- options


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
    url_deadline: float = 60.0  # seconds per URL, from its first request (hops, retries, waits)
    run_deadline: float = 300.0  # seconds for the whole run
    allow_networks: tuple[str, ...] = ()  # non-public networks that may be reached (tests)

    @classmethod
    def from_config(cls, config: LinksConfig) -> Options:
        return cls(
            concurrency=config.concurrency,
            per_host=config.per_host,
            timeout=float(config.timeout),
            retries=max(0, config.retries),
            url_deadline=float(config.url_deadline),
            run_deadline=float(config.run_deadline),
            allow_networks=tuple(config.allow_networks),
        )


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


# --------------------------------------------------------------------------- addresses

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (IPv4-mapped, 6to4, NAT64), if any."""
    if ip.version == 4:
        return None
    embedded = ip.ipv4_mapped or ip.sixtofour
    if embedded is None and ip in _NAT64:
        embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return embedded


def non_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """What kind of non-public address ``ip`` is ("loopback", "private", ...), None for a
    public one. An IPv4 address inside an IPv6 one (mapped, 6to4, NAT64) counts as itself."""
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        return non_public(embedded)
    if ip.version == 6 and ip.teredo:
        return "Teredo tunnel"
    if ip.version == 6 and ip.is_site_local:
        return "site-local"
    for kind, test in (("loopback", ip.is_loopback), ("unspecified", ip.is_unspecified),
                       ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
                       ("private or special-purpose", ip.is_private), ("reserved", ip.is_reserved)):
        if test:
            return kind
    return None if ip.is_global else "not globally routable"


def address_refusal(address: str, allowed: Iterable[str] = ()) -> str | None:
    """Why the checker may not connect to ``address`` (an IP literal), None when it may: a
    public address, or one inside a network of ``allowed``."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return f"{address!r} is not an IP address"
    if any(ip in ipaddress.ip_network(network, strict=False) for network in allowed):
        return None
    kind = non_public(ip)
    if kind is None:
        return None
    embedded = _embedded_ipv4(ip)
    return f"{ip} is a {kind} address" + (f" (IPv4 {embedded} inside IPv6)" if embedded else "")


def _tagged(error: Exception, kind: str) -> Exception:
    """``error`` marked with its kind ("refused", "offline"): httpcore's pool re-raises its
    errors ``from None``, so what caused them is gone by the time the checker sees them."""
    error.linkcheck_kind = kind
    return error


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with control characters (terminal escapes, line breaks, tabs, bidirectional
    controls) written as escapes (``\\x1b``): safe to print, one line, one report column."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), str(text))


def _public_only_transport(options: Options):
    """An httpx transport whose every connection goes through ``PublicOnlyBackend``."""
    import httpcore
    import httpx

    class PublicOnlyBackend(httpcore.AsyncNetworkBackend):
        """Resolves the host itself, connects only to an address ``address_refusal`` allows
        (the one it checked: no second lookup), then checks the connected peer again."""

        def __init__(self):
            self.inner = httpcore.AnyIOBackend()

        async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            loop = asyncio.get_running_loop()
            try:
                found = await asyncio.wait_for(loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout)
            except socket.gaierror as error:
                raise _tagged(httpcore.ConnectError(f"cannot resolve {host}: {error.strerror}"),
                              error_kind(error)) from error
            except TimeoutError as error:
                raise httpcore.ConnectTimeout(f"resolving {host} timed out") from error
            addresses = list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in found))
            refusals = {address: address_refusal(address, options.allow_networks) for address in addresses}
            permitted = [address for address in addresses if refusals[address] is None]
            if not permitted:
                why = refusals[addresses[0]]
                raise _tagged(httpcore.ConnectError(why if addresses == [host] else f"{host} resolves to {why}"),
                              "refused")
            last: Exception | None = None
            for address in permitted:
                try:
                    stream = await self.inner.connect_tcp(address, port, timeout, local_address, socket_options)
                except httpcore.ConnectError as error:
                    reason = str(_causes(error)[-1]) or str(error)
                    last = _tagged(httpcore.ConnectError(f"{address} port {port}: {reason}"), error_kind(error))
                    continue
                peer = stream.get_extra_info("server_addr")
                why = address_refusal(str(peer[0]).split("%")[0], options.allow_networks) if peer else "no peer"
                if why is not None:
                    await stream.aclose()
                    raise _tagged(httpcore.ConnectError(f"{host} connected to {why}"), "refused")
                return stream
            raise last

        async def connect_unix_socket(self, path, timeout=None, socket_options=None):
            raise httpcore.ConnectError("the link checker does not use Unix sockets")

        async def sleep(self, seconds):
            await self.inner.sleep(seconds)

    class PublicOnlyTransport(httpx.AsyncHTTPTransport):
        def __init__(self):
            # trust_env=False: no proxy from the environment (it would connect unchecked).
            super().__init__(verify=True, trust_env=False, limits=limits)
            self._pool = httpcore.AsyncConnectionPool(  # httpx's own pool, with the backend above
                ssl_context=httpx.create_ssl_context(verify=True, trust_env=False),
                max_connections=limits.max_connections,
                max_keepalive_connections=limits.max_keepalive_connections,
                keepalive_expiry=limits.keepalive_expiry,
                network_backend=PublicOnlyBackend(),
            )

    limits = httpx.Limits(max_connections=options.concurrency, max_keepalive_connections=options.concurrency)
    return PublicOnlyTransport()


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
    error_kind: str = "error"  # error | refused | offline


class _Checker:
    def __init__(self, options: Options, client):
        self.options = options
        self.client = client
        self.total = asyncio.Semaphore(options.concurrency)
        self.hosts: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(options.per_host))
        self.requests: dict[str, int] = defaultdict(int)
        self.deadlines: dict[str, asyncio.Timeout] = {}  # URL -> its deadline, set at its first request

    async def _hop(self, method: str, url: str, counted: str) -> _Outcome:
        """One request: status and headers; of a GET refusal, its first bytes only."""
        import httpx

        host = (urlsplit(url).hostname or "").lower()
        async with self.hosts[host], self.total:
            deadline = self.deadlines.get(counted)
            if deadline is not None and deadline.when() is None:  # the URL's first request starts its clock
                deadline.reschedule(asyncio.get_running_loop().time() + self.options.url_deadline)
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
                return _Outcome(final=current, error=describe_error(error, self.options.timeout),
                                error_kind=error_kind(error))
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
        """The result for ``url``, within its deadline (``url_deadline`` from its first request)."""
        deadline = asyncio.timeout(None)
        try:
            async with deadline:
                self.deadlines[url] = deadline
                return await self._check(url)
        except TimeoutError:
            if not deadline.expired():
                raise
            requests = self.requests[url]
            detail = (f"cut short at the per-URL deadline ({self.options.url_deadline:g} s, "
                      f"briefing.links.url_deadline) after {requests} request{'s' if requests != 1 else ''}")
            return Result(url, "error", detail, None, "", requests)

    async def _check(self, url: str) -> Result:
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
            return Result(url, outcome.error_kind, outcome.error, None, outcome.final, requests)
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


def _causes(error: BaseException) -> list[BaseException]:
    """The error and what caused it (httpx wraps httpcore's errors, which wrap the OS's)."""
    chain: list[BaseException] = []
    while error is not None and error not in chain:
        chain.append(error)
        error = error.__cause__ or error.__context__
    return chain


# The network itself is unreachable: no DNS answer at all, no route, the interface down.
_OFFLINE_GAI = {getattr(socket, name) for name in ("EAI_AGAIN", "EAI_FAIL") if hasattr(socket, name)}
_OFFLINE_ERRNO = {errno.ENETUNREACH, errno.ENETDOWN}


def error_kind(error: BaseException) -> str:
    """"refused" (a non-public address), "offline" (the network is unreachable) or "error"."""
    for cause in _causes(error):
        if getattr(cause, "linkcheck_kind", None) in ("refused", "offline"):
            return cause.linkcheck_kind
        if isinstance(cause, socket.gaierror) and cause.errno in _OFFLINE_GAI:
            return "offline"
        if isinstance(cause, OSError) and not isinstance(cause, socket.gaierror) and cause.errno in _OFFLINE_ERRNO:
            return "offline"
    return "error"


def describe_error(error: BaseException, timeout: float) -> str:
    import httpx

    if isinstance(error, asyncio.TimeoutError | httpx.TimeoutException):
        return f"timed out after {timeout:g} s"
    kind = error_kind(error)
    if kind == "refused":
        return f"{error}: the checker connects to public addresses only (briefing.links.allow_networks)"
    text = str(error) or type(error).__name__
    if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text or "TLS" in text:
        return f"TLS failure (certificate not verified?): {text}"
    if isinstance(error, httpx.ConnectError):
        return f"{'network unreachable' if kind == 'offline' else 'cannot connect'}: {text}"
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return f"invalid URL: {text}"
    return f"{type(error).__name__}: {text}"


async def _check_all(urls: list[str], options: Options) -> list[Result]:
    import httpx

    async with httpx.AsyncClient(
        transport=_public_only_transport(options),
        timeout=httpx.Timeout(options.timeout),
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": options.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    ) as client:
        checker = _Checker(options, client)
        tasks = {url: asyncio.create_task(checker.check(url)) for url in urls}
        _done, pending = await asyncio.wait(tasks.values(), timeout=options.run_deadline)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        results = []
        for url, task in tasks.items():
            if task in pending or task.cancelled():
                detail = (f"not checked: the run's deadline ({options.run_deadline:g} s, "
                          "briefing.links.run_deadline) came first")
                results.append(Result(url, "unchecked", detail, requests=checker.requests[url]))
            else:
                results.append(task.result())
        return results


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


def _cached_result(url: object, item: object) -> Result | None:
    """A result as the cache holds it, when it is one: the fields of ``Result`` with their
    types, a verdict (never "offline" or "unchecked"), a finite date."""
    if not isinstance(url, str) or not isinstance(item, dict):
        return None
    try:
        result = Result(**item)
    except TypeError:
        return None
    typed = (
        result.url == url and result.kind in VERDICTS and isinstance(result.detail, str)
        and (result.status is None or type(result.status) is int) and isinstance(result.target, str)
        and type(result.requests) is int and type(result.checked_at) in (int, float)
    )
    return result if typed and math.isfinite(result.checked_at) else None


class Cache:
    """Results by URL in one JSON file; a result older than ``days`` (a day for the
    failures that may pass later) is checked again, and so is one dated in the future. An
    entry that is not a result as ``save`` writes it, or dated in the future, is ignored."""

    VERSION = 1

    def __init__(self, path: Path, days: float = 7):
        self.path = path
        self.days = days
        self.results: dict[str, Result] = self._load()

    def _load(self) -> dict[str, Result]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # missing or unreadable: start empty
        if not isinstance(data, dict) or data.get("version") != self.VERSION:
            return {}
        if not isinstance(data.get("results"), dict):
            return {}
        loaded = {url: _cached_result(url, item) for url, item in data["results"].items()}
        now = time.time()  # an entry dated in the future says nothing of the link: ignored
        return {url: result for url, result in loaded.items() if result is not None and result.checked_at <= now}

    def fresh(self, url: str, now: float | None = None) -> Result | None:
        result = self.results.get(url)
        if result is None:
            return None
        lifetime = self.days * 86400
        if result.kind in TRANSIENT:
            lifetime = min(lifetime, 86400)
        age = (time.time() if now is None else now) - result.checked_at
        return result if 0 <= age < lifetime else None

    def update(self, results: Iterable[Result]) -> None:
        """Keep the verdicts among ``results`` (never "offline" or "unchecked")."""
        for result in results:
            if result.kind in VERDICTS:
                self.results[result.url] = result

    def save(self) -> None:
        """Write atomically (a temporary file of its own, renamed into place), keeping the
        newer result of each URL where another run saved meanwhile."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        merged = self._load()
        for url, result in self.results.items():
            if url not in merged or merged[url].checked_at <= result.checked_at:
                merged[url] = result
        self.results = merged
        payload = {"version": self.VERSION, "results": {url: asdict(r) for url, r in sorted(merged.items())}}
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(json.dumps(payload, indent=1))
            os.replace(temporary, self.path)
        finally:
            Path(temporary).unlink(missing_ok=True)


@dataclass
class Run:
    results: dict[str, Result]
    online: int  # URLs checked online in this run
    cached: int  # URLs answered from the cache
    seconds: float
    options: Options = field(default_factory=Options)

    def notices(self) -> list[str]:
        """What the run could not do, each said once: the network was unreachable; the run's
        deadline cut it short (naming the URLs left unchecked)."""
        notes = []
        offline = [r for r in self.results.values() if r.kind == "offline"]
        if offline:
            notes.append(
                f"the network is unreachable ({printable(offline[0].detail)}): {len(offline)} of {len(self.results)} "
                "external URLs were not checked and nothing was cached for them; check again online "
                "(briefing.links.external: off builds without the check)"
            )
        unchecked = sorted(r.url for r in self.results.values() if r.kind == "unchecked")
        if unchecked:
            shown = ", ".join(printable(url) for url in unchecked[:5]) + (", ..." if len(unchecked) > 5 else "")
            notes.append(
                f"the check was cut short at its deadline ({self.options.run_deadline:g} s, "
                f"briefing.links.run_deadline): {len(unchecked)} URL{'s' if len(unchecked) != 1 else ''} "
                f"not checked ({shown}); raise run_deadline or check again"
            )
        return notes


def check_external(
    urls: Iterable[str], options: Options, cache: Cache | None, mode: str = "cached", now: float | None = None
) -> Run:
    """``cached``: answer from the cache where it is fresh and check the rest; ``full``:
    check every URL. Either way the verdicts are cached (never "offline" or "unchecked")."""
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
    if cache is not None and any(result.kind in VERDICTS for result in checked.values()):
        cache.update(checked.values())
        cache.save()
    return Run({url: results[url] for url in urls}, len(missing), len(urls) - len(missing),
               time.perf_counter() - started, options)


# --------------------------------------------------------------------------- the report


def report_lines(results: dict[str, Result], sources: dict[str, list[Source]]) -> list[str]:
    """One tab-separated line per problem: where (pages, .bib entries), URL, what happened,
    and for a dead or unreachable source the archived copy at its access date. URLs left
    unchecked for want of a network are not problems of their own (``Run.notices`` says so
    once). Every column is ``printable``."""
    lines = []
    order = {"dead": 0, "error": 1, "refused": 2, "moved": 3, "blocked": 4, "ratelimited": 5, "unchecked": 6}
    problems = sorted((r for r in results.values() if r.kind not in ("ok", "offline")),
                      key=lambda r: (order.get(r.kind, 9), r.url))
    for result in problems:
        found = sources.get(result.url, [])
        where = ", ".join(source.where for source in found) or "-"
        columns = [where, result.url, f"{result.kind}: {result.detail}"]
        if result.kind in ARCHIVED:
            urldate = next((source.urldate for source in found if source.urldate), "")
            columns.append(f"archived: {archive_url(result.url, urldate)}")
        lines.append("\t".join(printable(column) for column in columns))
    return lines


def write_report(path: Path, run: Run, lines: list[str]) -> None:
    problems = len(lines)
    header = [
        f"# External links checked {time.strftime('%Y-%m-%d %H:%M:%S %Z')}: {len(run.results)} URLs "
        f"({run.online} online, {run.cached} from the cache), {problems} problem(s).",
        *(f"# {notice}" for notice in run.notices()),
        "# where<TAB>url<TAB>kind: what happened<TAB>archived copy (dead or unreachable sources)",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(header + lines) + "\n", encoding="utf-8")


def report_path(option: str, config_dir: Path, site_dir: Path) -> Path:
    """The report's path from mkdocs.yml's folder; ValueError when it lies inside site_dir."""
    path = (config_dir / option).resolve()
    site = site_dir.resolve()
    if path == site or site in path.parents:
        raise ValueError(f"briefing.links.report {option!r} lies inside site_dir ({site}): put it outside")
    return path


def cache_path(config_dir: Path) -> Path:
    return config_dir / ".cache" / "linkcheck" / "results.json"


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    """Build the site strictly (or read site/ as it is), then check every external URL of
    its pages and of the .bib library online; write the report; exit 1 on a dead or
    unreachable source, 2 when it could not check (no network, the run's deadline)."""
    parser = argparse.ArgumentParser(prog="linkcheck", description=main.__doc__)
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="mkdocs.yml (default: %(default)s)")
    parser.add_argument("--no-build", action="store_true", help="check the site already in site_dir")
    parser.add_argument("--cached", action="store_true", help="answer from the cache where it is fresh")
    parser.add_argument("--report", help="the report file (default: briefing.links.report)")
    args = parser.parse_args(argv)

    from mkdocs.config import load_config as load_mkdocs_config
    from mkdocs.structure.files import get_files

    from briefing.citations import bibtex_adapter as _bibtex_adapter

    config_file = Path(args.config_file).resolve()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if not args.no_build:
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(config_file)]
        if subprocess.run(command, env=env, check=False).returncode != 0:
            print("linkcheck: the strict build failed; fix it first", file=sys.stderr)
            return 2
    config = load_mkdocs_config(str(config_file))
    config_dir = config_file.parent
    from briefing.config import options as plugin_options

    options = plugin_options(config).links
    try:
        report = report_path(args.report or options.report, config_dir, Path(config.site_dir))
    except ValueError as error:
        print(f"linkcheck: {error}", file=sys.stderr)
        return 2
    site_dir = Path(config.site_dir)
    if not (site_dir / "index.html").is_file():
        print(f"linkcheck: no built site in {site_dir}: run without --no-build", file=sys.stderr)
        return 2
    names = _sitelinks.page_names(get_files(config), config)
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
    notices = run.notices()
    for notice in notices:
        print(f"linkcheck: {notice}", file=sys.stderr)
    failing = sum(result.failing for result in run.results.values())
    print(
        f"linkcheck: {len(run.results)} external URLs ({run.online} checked online, {run.cached} from the cache) "
        f"in {run.seconds:.1f} s: {len(lines)} problem(s), {failing} dead or unreachable; report: {report}"
    )
    return 1 if failing else 2 if notices else 0
