"""Search finds the chapter a name occurs in, named with its note ("Note › Chapter"); following a
result highlights the word."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browsing import PAGES, search


@pytest.mark.parametrize(
    ("query", "title", "address"),
    [
        ("Zabihullah", "An Emerging Security Challenge in the Region", "security-challenge/"),
        ("Hamid Gul", "Historical Perspective", "historical-perspective/"),
    ],
)
def test_search_lists_the_chapter(page, query, title, address):
    results = search(page, query)
    first = results.first
    expect(first.locator("h1")).to_have_text(f"Afghanistan and Pakistan › {title}")  # the note's short title
    assert address in first.locator("a").get_attribute("href")


def test_following_a_result_highlights_the_word(page):
    results = search(page, "Zabihullah")
    results.first.locator("a").click()
    page.wait_for_url("**/security-challenge/?h=zabihullah")
    mark = page.locator("article mark[data-md-highlight]").first
    expect(mark).to_have_text("Zabihullah")
    expect(mark).to_be_visible()


def test_a_page_opened_from_a_search_result_by_a_page_load_highlights_the_word(page):
    """A result the page's list of pages does not name (briefing.series.instant: from the series'
    home, a chapter) opens by a page load; the index is then asked for at once (material-load.js),
    or the words would never be highlighted."""
    with page.expect_request("**/search/search_index.json"):
        page.goto(PAGES["security-challenge"] + "?h=zabihullah")
    mark = page.locator("article mark[data-md-highlight]").first
    expect(mark).to_have_text("Zabihullah")
