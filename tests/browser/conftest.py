"""The real site in a real browser: built strict once per session into a temporary folder
(tests/conftest.py's real_site, shared with the other tests), served from 127.0.0.1 on an
ephemeral port, and driven by Debian's Chromium through pytest-playwright (one browser per
session; pytest-playwright's fixtures with browser_type_launch_args, base_url and new_context
overridden here). Every request that would leave 127.0.0.1 is
blocked and recorded, so a test can assert that none happened; so is every breach of the
pages' Content-Security-Policy (hooks/content_security_policy.py): either fails the test."""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Route

from browsing import CHROMIUM_ARGS, PHONE
from sitebuild import real_config

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts" / "browser"
def is_loopback(url: str) -> bool:
    """True for URLs that stay on this machine (or never touch the network at all)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome-extension"):
        return True
    return parts.hostname in ("127.0.0.1", "localhost", "::1")


@dataclass
class Offsite:
    """Requests the pages tried to send off 127.0.0.1 (all were blocked)."""

    urls: list[str] = field(default_factory=list)

    def route(self, route: Route) -> None:
        url = route.request.url
        if is_loopback(url):
            route.continue_()
        else:
            self.urls.append(url)
            route.abort("blockedbyclient")


COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".bib", ".ris")  # as GitHub Pages


class _PagesHandler(SimpleHTTPRequestHandler):
    """The site as GitHub Pages serves a project site: under site_url's path (e.g. /briefing/,
    which the 404 page's absolute links rely on), with 404.html for what does not exist, text
    gzipped when the browser accepts it (so a test counts the bytes a reader's browser transfers).
    sitemap.xml and the series' lists of pages (assets/pages.xml, assets/pages/<note>.xml:
    briefing.series.instant) name the pages at this server's address, as the deployed ones name
    them at site_url: Material's instant navigation only follows links to pages its list names
    (matching scheme, host and port), so the browser tests navigate as readers do."""

    prefix = "/"

    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        pass

    def translate_path(self, path):
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "no such file")
        return super().translate_path("/" + path[len(self.prefix) :])

    def _gzipped(self, body: bytes) -> bytes | None:
        """``body`` gzipped if the browser accepts it (and the header said so), else None."""
        if "gzip" not in self.headers.get("Accept-Encoding", ""):
            return None
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        return gzip.compress(body, compresslevel=6)

    def send_head(self):
        path = Path(self.translate_path(self.path.split("?")[0]))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if not (path.is_file() and path.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        body = self._gzipped(path.read_bytes())
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def do_GET(self):
        sitemap = Path(self.translate_path(self.path.split("?")[0]))
        listed = sitemap.name == "sitemap.xml" or re.search(r"/assets/pages(/[^/]+)?\.xml$", self.path.split("?")[0])
        if not listed or not sitemap.is_file():
            return super().do_GET()
        here = f"<loc>http://{self.headers['Host']}"
        body = re.sub(r"<loc>[a-z]+://[^/<]+", here, sitemap.read_text(encoding="utf-8")).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        body = self._gzipped(body) or body
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextlib.contextmanager
def serving(site_dir: Path, prefix: str) -> Iterator[str]:
    """A built site on http://127.0.0.1:<ephemeral port><prefix> while the block runs; the
    block gets that address."""
    handler = functools.partial(type("Handler", (_PagesHandler,), {"prefix": prefix}), directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_dir(request) -> Path:
    """The built site: tests/conftest.py's real_site (built strict once per session), or the
    folder BRIEFING_SITE names (a site built beforehand, e.g. the one about to be deployed)."""
    prebuilt = os.environ.get("BRIEFING_SITE")
    return Path(prebuilt) if prebuilt else request.getfixturevalue("real_site").site_dir


@pytest.fixture(scope="session")
def site_pages(site_dir) -> list[str]:
    """Every HTML page of the built site, by address ("" is the home page, then "404.html"), but
    the small pages at moved addresses (each only sends the reader on: test_moved.py)."""
    pages = []
    for path in sorted(site_dir.rglob("*.html")):
        if 'http-equiv="refresh"' in path.read_text(encoding="utf-8"):
            continue
        relative = path.relative_to(site_dir).as_posix()
        pages.append(relative.removesuffix("index.html"))
    return pages


@pytest.fixture(scope="session")
def base_url(site_dir) -> Iterator[str]:
    """The built site on http://127.0.0.1:<ephemeral port>/<site_url's path>/, e.g.
    .../briefing/; pytest-playwright passes it to every context, so tests goto relative
    addresses ("afghanistan-and-pakistan-friends-or-foes/security-challenge/")."""
    site_url = real_config().get("site_url") or ""
    path = urlsplit(site_url).path.strip("/")
    prefix = f"/{path}/" if path else "/"
    with serving(site_dir, prefix) as url:
        yield url


@pytest.fixture(scope="session")
def serve(base_url):
    """For tests that build a site of their own: `with serve(site_dir) as url:` serves it as
    base_url serves the real one (under the same path, on a port of its own)."""
    return functools.partial(serving, prefix=urlsplit(base_url).path)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args) -> dict:
    """Debian's Chromium (pip's playwright cannot download its own offline)."""
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: `make browsers` installs Debian's chromium (as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def offsite() -> Offsite:
    """Every blocked off-site request of the session, in order."""
    return Offsite()


@pytest.fixture(autouse=True)
def _stays_on_loopback(offsite):
    """Every browser test fails if its pages tried to reach anything off 127.0.0.1."""
    before = len(offsite.urls)
    yield
    assert offsite.urls[before:] == [], f"requests off 127.0.0.1 (blocked): {offsite.urls[before:]}"


# Reports each securitypolicyviolation event of a page (or of a frame in it) to the test.
_REPORT_CSP = """document.addEventListener("securitypolicyviolation", (event) => window.__report_csp(
  `${event.violatedDirective} blocked ${event.blockedURI || "(nothing named)"}`
  + ` at ${event.sourceFile}:${event.lineNumber}`
  + (event.sample ? ` (${event.sample})` : "")), true);"""


@dataclass
class CspViolations:
    """What the pages' Content-Security-Policy blocked (the browser enforced it)."""

    reports: list[str] = field(default_factory=list)

    def report(self, text: str) -> None:
        self.reports.append(text)


@pytest.fixture(scope="session")
def csp_violations() -> CspViolations:
    return CspViolations()


@pytest.fixture(autouse=True)
def _keeps_to_its_csp(csp_violations):
    """Every browser test fails if a page broke its Content-Security-Policy."""
    before = len(csp_violations.reports)
    yield
    assert csp_violations.reports[before:] == [], \
        f"Content-Security-Policy violations: {csp_violations.reports[before:]}"


@pytest.fixture
def new_context(new_context, offsite, csp_violations):
    """pytest-playwright's new_context, with every non-loopback request blocked and recorded,
    and every Content-Security-Policy violation recorded."""

    def _new_context(**kwargs) -> BrowserContext:
        context = new_context(**kwargs)
        context.set_default_timeout(10_000)
        context.route("**/*", offsite.route)
        context.expose_function("__report_csp", csp_violations.report)
        context.add_init_script(_REPORT_CSP)
        return context

    return _new_context


@pytest.fixture
def phone(new_context) -> Page:
    """A page in a 375 px wide, touch-enabled phone viewport."""
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    return context.new_page()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The git-ignored folder screenshots go to (emptied once per session)."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS
