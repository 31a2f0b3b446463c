"""The real site in a real browser: built strict once per session into a temporary folder,
served from 127.0.0.1 on an ephemeral port, and driven by Debian's Chromium through
pytest-playwright (one browser per session). Every request that would leave 127.0.0.1 is
blocked and recorded, so a test can assert that none happened."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browsing import PHONE
from playwright.sync_api import BrowserContext, Page, Route

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Headless Chromium as root, with nothing of its own phoning home (NOTES.md).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
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


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        pass


@pytest.fixture(scope="session")
def base_url(request) -> Iterator[str]:
    """The real site on http://127.0.0.1:<ephemeral port>/; pytest-playwright passes it to
    every context. tests/conftest.py's real_site builds it strict once per session;
    BRIEFING_SITE=<folder> tests a site built beforehand instead (e.g. the one to deploy)."""
    prebuilt = os.environ.get("BRIEFING_SITE")
    site_dir = Path(prebuilt) if prebuilt else request.getfixturevalue("real_site").site_dir
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


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


@pytest.fixture
def new_context(new_context, offsite):
    """pytest-playwright's new_context, with every non-loopback request blocked and recorded."""

    def _new_context(**kwargs) -> BrowserContext:
        context = new_context(**kwargs)
        context.set_default_timeout(10_000)
        context.route("**/*", offsite.route)
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
