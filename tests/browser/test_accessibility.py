"""axe-core finds no violation on any page, light and dark, nor with search or a note open."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from browsing import PAGES, note_marker, open_chapter, search, wait_for_site, wait_for_tooltip

AXE = Axe()


def violations(page) -> str:
    results = AXE.run(page)
    return "" if results.violations_count == 0 else results.generate_report()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_axe_violation(new_context, scheme, name):
    page = new_context(color_scheme=scheme).new_page()
    page.goto(PAGES[name])
    wait_for_site(page)
    report = violations(page)
    assert not report, report


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_search_panel_has_no_axe_violation(new_context, scheme):
    page = new_context(color_scheme=scheme).new_page()
    search(page, "Taliban")
    report = violations(page)
    assert not report, report


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_note_tooltip_has_no_axe_violation(new_context, scheme):
    page = new_context(color_scheme=scheme).new_page()
    open_chapter(page, PAGES["security-challenge"])
    note_marker(page).hover()
    wait_for_tooltip(page)
    report = violations(page)
    assert not report, report
