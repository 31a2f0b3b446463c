"""Search finds the chapter a name occurs in, named with its note ("Note › Chapter"); following a
result highlights the word."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browsing import search


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
