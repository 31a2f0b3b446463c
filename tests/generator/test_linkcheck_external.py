"""External link checking (briefing/links/external.py), only against servers started here on
127.0.0.1: 200, redirect chains and loops, 404, 410, 429 with Retry-After, 500 then 200, a
server that never answers, a huge body, a 403 and a bot wall; the cache, the report, the
command line and the build setting."""

from __future__ import annotations

import re
import socket
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from briefing.common.options import validate
from briefing.links import external as lc
from briefing.links import scan as _sitelinks
from briefing.links.config import LinksConfig

ROOT = Path(__file__).resolve().parents[2]  # not from conftest: tests/browser/ has one too


def load_links(raw: object, where: str):
    """``briefing: links:`` validated as the plugin does (options, warnings)."""
    return validate(LinksConfig, "links", raw, where)
FAST = lc.Options(timeout=1.0, retries=2, backoff=0.05, max_wait=5.0, concurrency=8, per_host=4,
                  allow_networks=("127.0.0.1/32",))  # the test server, and no other non-public address
HUGE = 1 << 30  # the Content-Length the huge page announces: 1 GiB


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *args):  # keep the test output clean
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _huge(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(HUGE))
        self.end_headers()
        chunk = b"x" * 65536
        try:
            while self.server.sent[self.path] < HUGE:
                self.wfile.write(chunk)
                self.server.sent[self.path] += len(chunk)
        except OSError:
            self.close_connection = True  # the checker hung up: the point of the test

    def _answer(self):
        with self.server.lock:
            self.server.hits[self.path] += 1
            self.server.methods[self.path].append(self.command)
            count = self.server.hits[self.path]
        path, query = urlsplit(self.path).path, urlsplit(self.path).query
        q = f"?{query}" if query else ""
        if path == "/ok":
            self._send(200, b"<p>ok</p>")
        elif path.startswith("/chain/"):
            step = int(path.rsplit("/", 1)[1])
            if step < 3:
                self._send(302, headers={"Location": f"/chain/{step + 1}{q}"})
            else:
                self._send(200, b"end of the chain")
        elif path == "/moved":
            self._send(301, headers={"Location": f"/chain/1{q}"})
        elif path == "/self":
            self._send(302, headers={"Location": f"/self{q}"})
        elif path == "/302-nowhere":
            self._send(302)
        elif path == "/loop/a":
            self._send(302, headers={"Location": f"/loop/b{q}"})
        elif path == "/loop/b":
            self._send(302, headers={"Location": f"/loop/a{q}"})
        elif path == "/endless":
            self._send(302, headers={"Location": f"/endless{count}{q}" if count < 100 else "/ok"})
        elif path.startswith("/endless"):
            self._send(302, headers={"Location": f"/endless{path[8:]}x{q}"})
        elif path in ("/404", "/410", "/500"):
            self._send(int(path[1:]), b"no")
        elif path == "/429-then-200":
            self._send(429, headers={"Retry-After": "1"}) if count == 1 else self._send(200, b"ok")
        elif path == "/429":
            self._send(429, headers={"Retry-After": "0"})
        elif path == "/429-long":
            self._send(429, headers={"Retry-After": "3600"})
        elif path == "/500-then-200":
            self._send(500) if count <= 2 else self._send(200, b"ok")
        elif path == "/huge":
            self._send(405) if self.command == "HEAD" else self._huge()
        elif path == "/head-404":
            self._send(404) if self.command == "HEAD" else self._send(200, b"ok")
        elif path == "/403":
            self._send(403, b"<h1>Forbidden</h1>")
        elif path == "/bot":
            self._send(403, b"<html><title>Just a moment...</title>" + b" " * 100_000, {"Server": "nginx"})
        elif path == "/to":  # a redirect to wherever ?u= says
            self._send(302, headers={"Location": parse_qs(query)["u"][0]})
        elif path.startswith("/slow/"):  # a chain of slow hops
            time.sleep(0.4)
            self._send(302, headers={"Location": f"/slow/{int(path.rsplit('/', 1)[1]) + 1}{q}"})
        else:
            self._send(404)

    do_GET = do_HEAD = _answer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()
        self.sent: Counter[str] = Counter()
        self.methods: dict[str, list[str]] = _DefaultList()


class _DefaultList(dict):
    def __missing__(self, key):
        self[key] = []
        return self[key]


@pytest.fixture(scope="module")
def server():
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def url(server):
    """url("/path") -> an address on the local server, unique to this call (its own counters)."""
    token = uuid.uuid4().hex[:8]
    return lambda path: f"http://127.0.0.1:{server.server_address[1]}{path}?t={token}"


def check(address: str, options: lc.Options = FAST) -> lc.Result:
    return lc.check_urls([address], options)[address]


def requests_to(server, address: str) -> int:
    return sum(count for path, count in server.hits.items() if path.endswith(urlsplit(address).query))


# --------------------------------------------------------------------------- one URL each


def test_200_is_ok_with_one_head_request(server, url):
    address = url("/ok")
    result = check(address)
    assert (result.kind, result.status, result.requests) == ("ok", 200, 1)
    assert server.methods[urlsplit(address).path + "?" + urlsplit(address).query] == ["HEAD"]


def test_temporary_redirect_chain_is_followed_and_fine(url):
    result = check(url("/chain/1"))
    assert result.kind == "ok" and result.status == 200
    assert result.target.startswith(url("/chain/3").split("?")[0])
    assert result.requests == 3


def test_permanent_redirect_is_reported_with_its_target(url):
    result = check(url("/moved"))
    assert result.kind == "moved"
    assert "moved permanently (301)" in result.detail and "/chain/3" in result.detail
    assert "/chain/3" in result.target


def test_redirect_loop_is_an_error_naming_the_loop(url):
    result = check(url("/loop/a"))
    assert result.kind == "error" and result.detail.startswith("redirect loop:")
    assert "/loop/a" in result.detail and "/loop/b" in result.detail
    assert result.requests == 2


def test_a_redirect_to_itself_is_a_loop_and_one_to_nowhere_an_error(url):
    result = check(url("/self"))
    assert result.kind == "error" and result.detail.startswith("redirect loop:") and result.requests == 1
    result = check(url("/302-nowhere"))
    assert result.kind == "error" and result.detail.startswith("302 Found")


def test_redirects_are_followed_to_a_limit(url):
    options = lc.Options(**{**FAST.__dict__, "max_redirects": 5})
    result = check(url("/endless"), options)
    assert result.kind == "error" and "more than 5 redirects" in result.detail
    assert result.requests == 6


@pytest.mark.parametrize(("path", "reason"), [("/404", "404 Not Found"), ("/410", "410 Gone")])
def test_404_and_410_are_dead(url, path, reason):
    result = check(url(path))
    assert result.kind == "dead" and result.detail == reason and result.failing
    assert result.requests == 2  # HEAD, then GET in case the server mishandles HEAD


def test_head_refused_falls_back_to_get(server, url):
    address = url("/head-404")
    result = check(address)
    assert result.kind == "ok"
    assert server.methods[urlsplit(address).path + "?" + urlsplit(address).query] == ["HEAD", "GET"]


def test_429_waits_for_retry_after_then_succeeds(url):
    started = time.perf_counter()
    result = check(url("/429-then-200"))
    elapsed = time.perf_counter() - started
    assert result.kind == "ok" and result.requests == 2
    assert 0.95 <= elapsed < 3


def test_429_to_the_end_is_rate_limited_not_dead(url):
    result = check(url("/429"))
    assert result.kind == "ratelimited" and not result.failing
    assert result.requests == 3 and "after 3 tries" in result.detail


def test_retry_after_beyond_the_limit_gives_up_at_once(url):
    started = time.perf_counter()
    result = check(url("/429-long"))
    assert time.perf_counter() - started < 1
    assert result.kind == "ratelimited" and "asks to wait 3600 s" in result.detail
    assert result.requests == 1


def test_500_then_200_is_retried_with_backoff(url):
    result = check(url("/500-then-200"))
    assert result.kind == "ok" and result.requests == 3  # HEAD 500, GET 500, backoff, GET 200


def test_500_to_the_end_is_an_error_after_the_retries(url):
    result = check(url("/500"))
    assert result.kind == "error" and "500 Internal Server Error after 3 tries" in result.detail


def test_a_server_that_never_answers_ends_within_the_timeout():
    silent = socket.create_server(("127.0.0.1", 0))  # accepts connections, never answers
    try:
        address = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        options = lc.Options(**{**FAST.__dict__, "timeout": 0.5})
        started = time.perf_counter()
        result = check(address, options)
        elapsed = time.perf_counter() - started
    finally:
        silent.close()
    assert result.kind == "error" and result.detail == "timed out after 0.5 s"
    assert elapsed < 0.5 + 0.5


def test_a_huge_body_is_never_downloaded(server, url):
    address = url("/huge")
    started = time.perf_counter()
    result = check(address)
    assert result.kind == "ok" and result.status == 200
    assert time.perf_counter() - started < 2
    deadline = time.time() + 5  # the server notices the hang-up once its socket buffer is full
    while time.time() < deadline and server.sent[urlsplit(address).path + "?" + urlsplit(address).query] == 0:
        time.sleep(0.05)
    sent = server.sent[urlsplit(address).path + "?" + urlsplit(address).query]
    assert sent < HUGE / 16, f"{sent} bytes of {HUGE} were sent"


def test_403_is_blocked_not_dead(url):
    result = check(url("/403"))
    assert result.kind == "blocked" and not result.failing
    assert result.detail.startswith("403 Forbidden: the server refuses automated checks")


def test_a_bot_wall_is_reported_as_such(url):
    result = check(url("/bot"))
    assert result.kind == "blocked" and result.detail.startswith("bot wall (403 Forbidden)")


def test_tls_is_verified(tmp_path):
    """A server with a self-signed certificate is an error, never accepted."""
    import shutil
    import ssl
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a self-signed certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    srv = _Server()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    srv.socket = context.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        result = check(f"https://127.0.0.1:{srv.server_address[1]}/ok")
    finally:
        srv.shutdown()
        srv.server_close()
    assert result.kind == "error" and result.detail.startswith("TLS failure"), result.detail
    assert "CERTIFICATE_VERIFY_FAILED" in result.detail


def test_connection_refused_is_an_error():
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    result = check(f"http://127.0.0.1:{port}/")
    assert result.kind == "error" and result.detail.startswith("cannot connect")


def test_many_urls_respect_the_per_host_limit(url):
    options = lc.Options(**{**FAST.__dict__, "per_host": 2, "concurrency": 8})
    addresses = [url("/ok") + f"&n={n}" for n in range(12)]
    results = lc.check_urls(addresses, options)
    assert {r.kind for r in results.values()} == {"ok"} and len(results) == 12


# --------------------------------------------------------------------------- pure functions


@pytest.mark.parametrize(
    ("urldate", "stamp"), [("2023-11-14", "20231114"), ("2023-11", "202311"), ("2023", "2023"), ("", "*"),
                           ("14 Nov", "*")],
)
def test_archive_address_is_formed_from_the_access_date(urldate, stamp):
    assert lc.archive_url("https://ex.org/a?b=1", urldate) == f"https://web.archive.org/web/{stamp}/https://ex.org/a?b=1"


def test_retry_after_reads_seconds_and_dates():
    assert lc.retry_after("7") == 7
    assert lc.retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470) == 10
    assert lc.retry_after("soon") is None and lc.retry_after(None) is None


def test_bot_wall_detection():
    assert lc.is_bot_wall(403, {"cf-mitigated": "challenge"}, b"")
    assert lc.is_bot_wall(503, {"Server": "cloudflare"}, b"")
    assert lc.is_bot_wall(403, {}, b"<h1>Please complete the CAPTCHA</h1>")
    assert not lc.is_bot_wall(403, {}, b"<h1>Forbidden</h1>")
    assert not lc.is_bot_wall(404, {"cf-mitigated": "challenge"}, b"")


def test_collect_page_urls_skips_the_sites_own_links_and_hints():
    scans = {
        "a/index.html": _sitelinks.scan_html(
            '<link rel="canonical" href="https://example.github.io/briefing/a/">'
            '<link rel="preconnect" href="https://fonts.example.com">'
            '<a href="https://news.example.org/story#part">s</a><a href="../b/">b</a><a href="mailto:x@y.z">m</a>'
        ),
        "b/index.html": _sitelinks.scan_html('<a href="https://news.example.org/story">s</a>'),
    }
    found = lc.collect_page_urls(scans, "https://example.github.io/briefing/", {"a/index.html": "docs/a.md"})
    assert found == {
        "https://news.example.org/story": [lc.Source("b/index.html"), lc.Source("docs/a.md")],
    }


def test_collect_bib_urls_gives_file_line_key_and_access_date(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "% a comment\n\n@online{one,\n  title = {One},\n  url = {https://ex.org/one},\n  urldate = {2023-11-14},\n}\n\n"
        "@article{two,\n  title = {Two},\n  doi = {10.1000/xyz},\n}\n",
        encoding="utf-8",
    )
    found = lc.collect_bib_urls([bib], tmp_path)
    assert found == {
        "https://ex.org/one": [lc.Source("refs.bib:3 (one)", "2023-11-14")],
        "https://doi.org/10.1000/xyz": [lc.Source("refs.bib:9 (two)", "")],
    }




def test_report_has_one_line_per_problem_with_archive_for_dead_sources():
    sources = {
        "https://a.org/x": [lc.Source("bib/references.bib:5 (a)", "2023-11-14"), lc.Source("docs/c.md")],
        "https://b.org/y": [lc.Source("docs/c.md")],
        "https://c.org/z": [lc.Source("docs/d.md")],
    }
    results = {
        "https://a.org/x": lc.Result("https://a.org/x", "dead", "404 Not Found", 404),
        "https://b.org/y": lc.Result("https://b.org/y", "blocked", "403 Forbidden: ...", 403),
        "https://c.org/z": lc.Result("https://c.org/z", "ok", "200 OK", 200),
    }
    lines = lc.report_lines(results, sources)
    assert lines == [
        "bib/references.bib:5 (a), docs/c.md\thttps://a.org/x\tdead: 404 Not Found\t"
        "archived: https://web.archive.org/web/20231114/https://a.org/x",
        "docs/c.md\thttps://b.org/y\tblocked: 403 Forbidden: ...",
    ]


def test_linkcheck_config_defaults_and_validation():
    config, warnings = load_links({"external": False}, "mkdocs.yml")
    assert config.external == "off" and config.cache_days == 7 and not warnings
    with pytest.raises(ValueError, match="external"):
        load_links({"external": "always"}, "mkdocs.yml")
    with pytest.raises(ValueError, match="timeout"):
        load_links({"timeout": 0}, "mkdocs.yml")
    assert "Unrecognised" in load_links({"bogus": 1}, "mkdocs.yml")[1][0]


# --------------------------------------------------------------------------- the cache


def test_warm_cache_sends_no_request_and_expires(server, url, tmp_path):
    addresses = [url("/ok"), url("/404")]
    cache = lc.Cache(tmp_path / "cache.json", days=7)
    first = lc.check_external(addresses, FAST, cache, "cached")
    assert first.online == 2 and first.results[addresses[1]].kind == "dead"
    hits = sum(server.hits.values())

    warm = lc.check_external(addresses, FAST, lc.Cache(tmp_path / "cache.json", days=7), "cached")
    assert (warm.online, warm.cached) == (0, 2) and sum(server.hits.values()) == hits
    assert warm.results[addresses[1]].kind == "dead"

    later = time.time() + 8 * 86400
    expired = lc.check_external(addresses, FAST, lc.Cache(tmp_path / "cache.json", days=7), "cached", now=later)
    assert expired.online == 2 and sum(server.hits.values()) > hits

    hits = sum(server.hits.values())
    full = lc.check_external(addresses, FAST, lc.Cache(tmp_path / "cache.json", days=7), "full")
    assert full.online == 2 and sum(server.hits.values()) > hits


def test_transient_failures_are_cached_for_a_day_at_most(tmp_path):
    cache = lc.Cache(tmp_path / "c.json", days=7)
    now = time.time()
    cache.update([lc.Result("https://a.org/", "error", "timed out", checked_at=now),
                  lc.Result("https://b.org/", "dead", "404 Not Found", 404, checked_at=now)])
    cache.save()
    reloaded = lc.Cache(tmp_path / "c.json", days=7)
    assert reloaded.fresh("https://a.org/", now + 3600) is not None
    assert reloaded.fresh("https://a.org/", now + 2 * 86400) is None
    assert reloaded.fresh("https://b.org/", now + 2 * 86400) is not None


def test_unreadable_cache_starts_empty(tmp_path):
    (tmp_path / "c.json").write_text("{not json", encoding="utf-8")
    assert lc.Cache(tmp_path / "c.json").results == {}


# --------------------------------------------------------------------------- build and CLI


def _bib(entries: dict[str, str]) -> str:
    return "\n".join(
        f"@online{{{key},\n  title = {{Source {key}}},\n  organization = {{Org}},\n  date = {{2023-01-02}},\n"
        f"  url = {{{address}}},\n  urldate = {{2023-11-14}},\n}}\n"
        for key, address in entries.items()
    )


def test_build_setting_full_fails_strict_on_a_dead_source_then_cached_sends_nothing(fixture_site, server, url,
                                                                                    tmp_path):
    good, dead = url("/ok"), url("/410")
    bib = _bib({"good2023": good, "dead2023": dead})
    pages = {"index.md": "# Home\n\nA.[@good2023] B.[@dead2023]\n"}
    settings = {"publication": None, "links": {"external": "full", "timeout": 2, "retries": 0,
                                              "allow_networks": ["127.0.0.1/32"]}}
    result = fixture_site(pages, bib=bib, options=settings)
    assert not result.ok
    message = next(m for m in result.messages if dead in m)
    assert "bib/references.bib:" in message and "(dead2023)" in message and "docs/index.md" in message
    assert "dead: 410 Gone" in message and f"https://web.archive.org/web/20231114/{dead}" in message
    report = (tmp_path / "linkcheck-report.txt").read_text(encoding="utf-8")
    assert len([line for line in report.splitlines() if not line.startswith("#")]) == 1
    assert (tmp_path / ".cache" / "linkcheck" / "results.json").is_file()

    hits = sum(server.hits.values())
    settings["links"]["external"] = "cached"
    again = fixture_site(pages, bib=bib, options=settings)
    assert not again.ok and any(dead in m for m in again.messages)
    assert sum(server.hits.values()) == hits  # the warm cache answered


def test_default_build_never_checks_external_links(fixture_site, server, url, tmp_path):
    dead = url("/404")
    result = fixture_site({"index.md": f'# Home\n\n<a href="{dead}">x</a>\n'}, bib=_bib({"a2023": dead}))
    assert result.ok, result.text()
    assert requests_to(server, dead) == 0
    assert not (tmp_path / "linkcheck-report.txt").exists()


def test_command_line_checks_a_built_site(fixture_site, server, url, tmp_path, capsys):
    good, dead = url("/ok"), url("/404")
    built = fixture_site({"index.md": f'# Home\n\nA.[@good2023]\n\n<a href="{dead}">raw</a>\n'},
                         bib=_bib({"good2023": good}),
                         options={"publication": None, "links": {"allow_networks": ["127.0.0.1/32"]}})
    assert built.ok, built.text()
    code = lc.main(["-f", str(tmp_path / "mkdocs.yml"), "--no-build"])
    out = capsys.readouterr().out
    assert code == 1
    assert f"docs/index.md  {dead}  dead: 404 Not Found" in out
    assert "2 external URLs (2 checked online, 0 from the cache)" in out
    assert (tmp_path / "linkcheck-report.txt").is_file()
    assert lc.main(["-f", str(tmp_path / "mkdocs.yml"), "--no-build", "--cached"]) == 1
    assert "(0 checked online, 2 from the cache)" in capsys.readouterr().out


def test_report_may_not_go_into_the_site(tmp_path):
    with pytest.raises(ValueError, match="inside site_dir"):
        lc.report_path("site/report.txt", tmp_path, tmp_path / "site")
    assert lc.report_path("linkcheck-report.txt", tmp_path, tmp_path / "site") == tmp_path / "linkcheck-report.txt"



def test_check_works_where_an_event_loop_already_runs(url):
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def inside_a_loop():
        return lc.check_urls([url("/ok")], FAST)

    with ThreadPoolExecutor(1) as pool:  # a thread of its own: this one may run Playwright's loop
        results = pool.submit(asyncio.run, inside_a_loop()).result()
    assert [r.kind for r in results.values()] == ["ok"]


# --------------------------------------------------------------------------- public addresses only


@pytest.mark.parametrize(("address", "kind"), [
    ("8.8.8.8", None), ("2606:4700:4700::1111", None), ("::ffff:8.8.8.8", None),
    ("127.0.0.2", "loopback"), ("::1", "loopback"), ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("224.0.0.1", "multicast"),
    ("ff02::1", "multicast"), ("10.1.2.3", "private or special-purpose"), ("172.16.0.1", "private or special-purpose"),
    ("192.168.1.1", "private or special-purpose"), ("fc00::1", "private or special-purpose"),
    ("100.64.0.1", "not globally routable"), ("240.0.0.1", "private or special-purpose"), ("fec0::1", "site-local"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:169.254.169.254", "link-local"), ("2002:a00:1::", "private or "
     "special-purpose"), ("64:ff9b::a9fe:a9fe", "link-local"), ("2001::1", "Teredo tunnel"),
])
def test_non_public_addresses_are_recognised(address, kind):
    import ipaddress

    assert lc.non_public(ipaddress.ip_address(address)) == kind


def test_only_the_networks_allowed_are_reached_beyond_public_ones():
    assert lc.address_refusal("127.0.0.1", ["127.0.0.1/32"]) is None
    assert lc.address_refusal("93.184.216.34") is None
    assert lc.address_refusal("127.0.0.2", ["127.0.0.1/32"]) == "127.0.0.2 is a loopback address"
    assert lc.address_refusal("::ffff:127.0.0.1", ["127.0.0.1/32"]) == (
        "::ffff:7f00:1 is a loopback address (IPv4 127.0.0.1 inside IPv6)")


@pytest.fixture
def connections(monkeypatch):
    """Every address a socket of this process tries to connect to, from now on."""
    attempted: list[object] = []
    inner = socket.socket.connect

    def recording(self, address):
        attempted.append(address)
        return inner(self, address)

    monkeypatch.setattr(socket.socket, "connect", recording)
    return attempted


@pytest.fixture
def other_loopback_server():
    """A server on 127.0.0.2 (not allowed): it must never see a connection."""
    srv = socket.create_server(("127.0.0.2", 0))
    srv.settimeout(0.2)
    yield srv
    srv.close()


def _accepted(srv: socket.socket) -> bool:
    try:
        connection, _ = srv.accept()
    except TimeoutError:
        return False
    connection.close()
    return True


@pytest.mark.parametrize("target", ["http://127.0.0.2:{port}/", "http://169.254.169.254/latest/meta-data/",
                                    "http://10.0.0.1/", "http://[::ffff:127.0.0.2]:{port}/", "http://[::1]:{port}/",
                                    "http://0.0.0.0:{port}/"])
def test_a_redirect_to_a_non_public_address_is_refused_without_a_connection(url, target, connections,
                                                                            other_loopback_server):
    port = other_loopback_server.getsockname()[1]
    result = check(url("/to") + "&u=" + quote(target.format(port=port), safe=""))
    assert result.kind == "refused" and result.failing, result.detail
    assert "address" in result.detail and "public addresses only" in result.detail
    assert result.requests == 2  # the redirect, then the refused hop (never sent)
    assert len(connections) == 1 and connections[0][0] == "127.0.0.1"  # the test server only
    assert not _accepted(other_loopback_server)


def test_a_first_request_to_a_non_public_address_is_refused(connections, other_loopback_server):
    port = other_loopback_server.getsockname()[1]
    result = check(f"http://127.0.0.2:{port}/ok")
    assert result.kind == "refused" and result.detail.startswith("127.0.0.2 is a loopback address")
    assert connections == [] and not _accepted(other_loopback_server)


def test_a_name_resolving_to_a_private_address_is_refused_before_connecting(monkeypatch, connections):
    real = socket.getaddrinfo

    def resolver(host, *args, **kwargs):
        if host == "intranet.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.20.30.40", 80))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    result = check("http://intranet.example/wiki")
    assert result.kind == "refused"
    assert result.detail.startswith("intranet.example resolves to 10.20.30.40 is a private")
    assert connections == []


def test_the_connected_peer_is_checked_again(url, monkeypatch, other_loopback_server):
    """Were the connection to land elsewhere than the address checked (a resolver or a
    network that redirects it), the peer it reached is refused."""
    import httpcore

    port = other_loopback_server.getsockname()[1]
    inner = httpcore.AnyIOBackend.connect_tcp

    async def elsewhere(self, host, _port, *args, **kwargs):
        return await inner(self, "127.0.0.2", port, *args, **kwargs)

    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", elsewhere)
    result = check(url("/ok"))
    assert result.kind == "refused" and "connected to 127.0.0.2 is a loopback address" in result.detail


def test_the_allowed_networks_option_is_validated():
    config, _ = load_links({"allow_networks": ["127.0.0.1/32", "::1"]}, "mkdocs.yml")
    assert lc.Options.from_config(config).allow_networks == ("127.0.0.1/32", "::1")
    assert load_links({}, "mkdocs.yml")[0].allow_networks == []
    with pytest.raises(ValueError, match="allow_networks"):
        load_links({"allow_networks": ["localhost"]}, "mkdocs.yml")


# --------------------------------------------------------------------------- deadlines


def test_defaults_of_the_deadlines():
    config, _ = load_links({}, "mkdocs.yml")
    assert (config.url_deadline, config.run_deadline) == (60, 300)
    options = lc.Options.from_config(config)
    assert (options.url_deadline, options.run_deadline) == (60.0, 300.0)
    with pytest.raises(ValueError, match="run_deadline"):
        load_links({"run_deadline": 0}, "mkdocs.yml")


def test_slow_redirect_hops_are_cut_short_at_the_url_deadline(url):
    options = lc.Options(**{**FAST.__dict__, "url_deadline": 1.0, "max_redirects": 50})
    started = time.perf_counter()
    result = check(url("/slow/0"), options)
    elapsed = time.perf_counter() - started
    assert result.kind == "error" and result.failing
    assert re.fullmatch(r"cut short at the per-URL deadline \(1 s, briefing.links.url_deadline\) after [23] requests",
                        result.detail), result.detail
    assert elapsed < 2.5  # unbounded, the 50 hops of 0.4 s would take 20 s


def test_the_run_deadline_bounds_many_hanging_urls_and_names_what_it_cut(tmp_path):
    silent = socket.create_server(("127.0.0.1", 0), backlog=64)  # accepts, never answers
    try:
        addresses = [f"http://127.0.0.1:{silent.getsockname()[1]}/{n}" for n in range(50)]
        options = lc.Options(**{**FAST.__dict__, "timeout": 30.0, "url_deadline": 30.0, "run_deadline": 1.0,
                                "concurrency": 50, "per_host": 50})
        cache = lc.Cache(tmp_path / "cache.json")
        started = time.perf_counter()
        run = lc.check_external(addresses, options, cache, "full")
        elapsed = time.perf_counter() - started
    finally:
        silent.close()
    assert elapsed < 3.5  # unbounded: 30 s (each request's own timeout)
    assert {result.kind for result in run.results.values()} == {"unchecked"}
    (notice,) = run.notices()
    assert notice.startswith("the check was cut short at its deadline (1 s, briefing.links.run_deadline): "
                             "50 URLs not checked (http://127.0.0.1:")
    assert lc.Cache(tmp_path / "cache.json").results == {}  # no verdict to keep
    lines = lc.report_lines(run.results, {})
    assert len(lines) == 50 and all("\tunchecked: not checked: the run's deadline (1 s" in line for line in lines)


# --------------------------------------------------------------------------- offline


@pytest.fixture
def no_dns(monkeypatch):
    """Name resolution as on a machine without a network (glibc: EAI_AGAIN)."""
    real = socket.getaddrinfo

    def offline(host, *args, **kwargs):
        if host.endswith(".example"):
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", offline)


OFFLINE_URLS = [f"https://source-{n}.example/page" for n in range(14)]


def test_offline_is_said_once_and_never_cached(no_dns, tmp_path):
    cache = lc.Cache(tmp_path / "cache.json")
    run = lc.check_external(OFFLINE_URLS, FAST, cache, "cached")
    assert {result.kind for result in run.results.values()} == {"offline"}
    assert not any(result.failing for result in run.results.values())
    (notice,) = run.notices()
    assert notice.startswith("the network is unreachable (network unreachable: cannot resolve source-")
    assert "14 of 14 external URLs were not checked and nothing was cached" in notice
    assert lc.report_lines(run.results, {}) == []
    assert not (tmp_path / "cache.json").exists()
    again = lc.check_external(OFFLINE_URLS, FAST, lc.Cache(tmp_path / "cache.json"), "cached")
    assert again.online == 14  # nothing came from the cache


def test_no_route_is_offline_too(monkeypatch):
    import errno

    inner = socket.socket.connect

    def unreachable(self, address):
        if address[0] == "127.0.0.3":
            raise OSError(errno.ENETUNREACH, "Network is unreachable")
        return inner(self, address)

    monkeypatch.setattr(socket.socket, "connect", unreachable)
    options = lc.Options(**{**FAST.__dict__, "allow_networks": ("127.0.0.0/8",)})
    result = check("http://127.0.0.3:8/", options)
    assert result.kind == "offline" and "Network is unreachable" in result.detail


def test_an_offline_build_fails_with_one_message_and_caches_nothing(no_dns, fixture_site, tmp_path):
    bib = _bib({f"source{n}": address for n, address in enumerate(OFFLINE_URLS)})
    cites = " ".join(f"X.[@source{n}]" for n in range(len(OFFLINE_URLS)))
    result = fixture_site({"index.md": f"# Home\n\n{cites}\n"}, bib=bib,
                          options={"publication": None, "links": {"external": "full"}})
    assert not result.ok
    external = [m for m in result.messages if "external link" in m]
    assert len(external) == 1 and "the network is unreachable" in external[0], result.text()
    assert not (tmp_path / ".cache" / "linkcheck" / "results.json").exists()


# --------------------------------------------------------------------------- what the cache holds


def test_a_cache_entry_dated_in_the_future_is_ignored(url, server, tmp_path):
    address = url("/ok")
    future = time.time() + 3 * 86400
    cache = lc.Cache(tmp_path / "c.json", days=7)
    cache.update([lc.Result(address, "dead", "404 Not Found", 404, checked_at=future)])
    cache.save()
    assert lc.Cache(tmp_path / "c.json", days=7).fresh(address) is None
    run = lc.check_external([address], FAST, lc.Cache(tmp_path / "c.json", days=7), "cached")
    assert run.online == 1 and run.results[address].kind == "ok"
    assert lc.Cache(tmp_path / "c.json").results[address].checked_at < future


def test_malformed_cache_entries_are_ignored(tmp_path):
    import json

    now = time.time()
    good = {"url": "https://a.org/", "kind": "dead", "detail": "404 Not Found", "status": 404, "target": "",
            "requests": 2, "checked_at": now}
    results = {
        "https://a.org/": good,
        "https://b.org/": {**good, "url": "https://b.org/", "checked_at": "yesterday"},
        "https://c.org/": {**good, "url": "https://c.org/", "kind": "offline"},
        "https://d.org/": {**good, "url": "https://other.org/"},
        "https://e.org/": {**good, "url": "https://e.org/", "evil": 1},
        "https://f.org/": {**good, "url": "https://f.org/", "status": "404"},
        "https://g.org/": [1, 2],
    }
    (tmp_path / "c.json").write_text(json.dumps({"version": 1, "results": results}), encoding="utf-8")
    assert list(lc.Cache(tmp_path / "c.json").results) == ["https://a.org/"]


def test_cached_and_server_text_is_printed_with_control_characters_escaped(fixture_site, tmp_path, capsys):
    import json

    hostile = "404 \x1b]0;pwned\x07\x1b[2J\r\nfake line\t\u202eevil"
    address = "https://dead.example/x"
    built = fixture_site({"index.md": f'# Home\n\n<a href="{address}">x</a>\n'}, bib=_bib({}))
    assert built.ok, built.text()
    cache = tmp_path / ".cache" / "linkcheck" / "results.json"
    cache.parent.mkdir(parents=True)
    entry = {"url": address, "kind": "dead", "detail": hostile, "status": 404, "target": "", "requests": 1,
             "checked_at": time.time()}
    cache.write_text(json.dumps({"version": 1, "results": {address: entry}}), encoding="utf-8")
    assert lc.main(["-f", str(tmp_path / "mkdocs.yml"), "--no-build", "--cached"]) == 1
    out = capsys.readouterr()
    printed = out.out + out.err + (tmp_path / "linkcheck-report.txt").read_text(encoding="utf-8")
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", printed)
    assert "dead: 404 \\x1b]0;pwned\\x07\\x1b[2J\\r\\nfake line\\t\\u202eevil" in printed
    assert lc.printable("a\tb\x9bc") == "a\\tb\\x9bc"
