"""Shared fixtures: strict builds of the real site and of small fixture sites, in temporary
folders (helpers in sitebuild.py), and a guard that keeps every test off the internet."""

from __future__ import annotations

import socket

import pytest

from sitebuild import ROOT, SYNTHETIC_NOTES, SYNTHETIC_PAGES, BuildResult, build, make_site, synthetic

# ----------------------------------------------------------------------------- no internet
_real_connect = socket.socket.connect


def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else address
    loopback = isinstance(host, str) and (host in ("localhost", "::1") or host.startswith("127."))
    if loopback or self.family == socket.AF_UNIX:
        return _real_connect(self, address)
    raise OSError(f"tests never touch the internet: connection to {address!r} blocked")


@pytest.fixture(autouse=True, scope="session")
def _no_internet():
    socket.socket.connect = _loopback_only
    yield
    socket.socket.connect = _real_connect


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> BuildResult:
    """The real briefing, built strict once per test session."""
    site_dir = tmp_path_factory.mktemp("real-site") / "site"
    result = build(ROOT / "mkdocs.yml", site_dir)
    assert result.ok, result.text()
    return result


@pytest.fixture(scope="session")
def synthetic_series(tmp_path_factory) -> BuildResult:
    """bench/series.py's series of SYNTHETIC_NOTES notes x SYNTHETIC_PAGES pages (200 entries),
    built strict once per test session."""
    root = tmp_path_factory.mktemp("synthetic-series")
    config = synthetic.generate(root, SYNTHETIC_NOTES, SYNTHETIC_PAGES, entries=200)
    result = build(config, root / "site")
    assert result.ok, result.text()
    return result


@pytest.fixture
def fixture_site(tmp_path):
    """make_site + build in one call: fixture_site(pages, bib=None, nav=None, options=None,
    strict=True, command="build", **overrides) (see sitebuild.make_site)."""

    def _build(pages, bib=None, nav=None, options=None, strict=True, command="build", **overrides) -> BuildResult:
        config = make_site(tmp_path, pages, bib, nav, options, **overrides)
        return build(config, tmp_path / "site", strict=strict, command=command)

    return _build
