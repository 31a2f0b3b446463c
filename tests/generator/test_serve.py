"""`make serve` keeps serving while the site has warnings (not strict), and shows them on every
page as well as in the terminal (briefing/common/serve.py); `make build` and `make test` stay
strict; `make clean` removes every artefact."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from briefing.common import serve

ROOT = Path(__file__).resolve().parents[2]
PAGES = {"index.md": "# Home\n\nText.[@nosuch<b>2020]\n", "other.md": "# Other\n\nText.\n"}


def test_the_banner_lists_the_warnings_escaped_and_replaces_an_earlier_one():
    banner = serve.banner_html(['docs/x.md:3: unknown key "<script>alert(1)</script>"'])
    assert "<script>" not in banner and "&lt;script&gt;" in banner and "1 warning in this build" in banner
    page = serve.with_banner('<html><body class="x"><p>t</p></body></html>', banner)
    assert page.startswith('<html><body class="x"><div class="briefing-serve-warnings"')
    assert serve.with_banner(page, serve.banner_html(["a", "b"])).count("briefing-serve-warnings") == 1
    assert "briefing-serve-warnings" not in serve.with_banner(page, "")
    assert serve.banner_html([]) == ""


def test_under_serve_every_page_shows_the_build_s_warnings(fixture_site):
    result = fixture_site(PAGES, strict=False, command="serve")
    assert result.ok, result.text()  # served, warnings and all
    pages = sorted(result.site_dir.rglob("*.html"))
    assert {p.relative_to(result.site_dir).as_posix() for p in pages} >= {"index.html", "other/index.html",
                                                                           "404.html"}
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        banner = soup.select_one("body > .briefing-serve-warnings")
        assert banner is not None, path
        assert "unknown citation key 'nosuch<b>2020'" in banner.get_text(), path  # as text, not markup
        assert not banner.select("script, style, b, [style]"), path  # nothing the CSP would refuse
    css = (ROOT / "briefing" / "theme" / "assets" / "briefing.css").read_text(encoding="utf-8")
    assert ".briefing-serve-warnings" in css


def test_a_build_shows_no_banner(fixture_site):
    result = fixture_site(PAGES, strict=False)
    assert result.ok, result.text()
    assert not [p for p in result.site_dir.rglob("*.html") if "briefing-serve-warnings" in p.read_text("utf-8")]


def recipe(target: str) -> str:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert match, target
    return match.group(1)


def test_serve_is_not_strict_and_build_and_test_are():
    assert "mkdocs serve" in recipe("serve") and "--strict" not in recipe("serve")
    assert "mkdocs build --strict" in recipe("build")
    assert "pytest" in recipe("test")


def test_clean_removes_every_artefact():
    clean = recipe("clean")
    for artefact in ("site", ".cache", "artifacts", "linkcheck-report.txt", ".pytest_cache", ".ruff_cache"):
        assert re.search(rf"(?<![\w.-]){re.escape(artefact)}(?![\w.-])", clean), artefact
    distclean = recipe("distclean")
    assert ".venv" in distclean and "node_modules" in distclean
