"""A first view transfers at most 100 KB gzipped (issue 14): the search index loads when a
reader starts to search, not with the page, and the instant navigation's list of pages is
fetched once (briefing/theme/assets/javascripts/material-load.js).
The test server gzips as GitHub Pages does, so the bytes counted are the bytes a reader's
browser transfers."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browsing import FIRST_VIEW_LIMIT, PAGES, PAPER, WIDE, first_view


@pytest.mark.parametrize("name", ["series", "home", "security-challenge", "references"])
def test_a_first_view_leaves_the_search_index_and_stays_under_100_kb(new_context, base_url, name):
    page = new_context(viewport=WIDE).new_page()
    transfers = first_view(page, PAGES[name])
    assert not transfers.fetched("search/search_index.json"), transfers.urls()
    # Material's instant navigation fetches the sitemap, and looks for one beside each <link
    # rel="alternate"> (a note's downloads, in its folder, have none: each request fetched the 404
    # page; the feed's is the site's own, parsed a second time). Only the page's list of pages is
    # fetched, once: its note's, or the site's (briefing.series.instant)
    lists = [url for url in transfers.urls() if url.split("?")[0].endswith(".xml")]
    assert lists == [base_url + ("assets/pages.xml" if name == "series" else f"assets/pages/{PAPER}.xml")], lists
    assert transfers.total() <= FIRST_VIEW_LIMIT, sorted(transfers.requests, key=lambda r: -r[1])[:8]


def test_the_index_loads_when_the_search_box_is_focused_and_search_finds_the_last_chapter(new_context):
    page = new_context(viewport=WIDE).new_page()
    transfers = first_view(page, PAGES["home"])
    assert not transfers.fetched("search/search_index.json")
    field = page.locator("input.md-search__input")
    with page.expect_request("**/search/search_index.json"):
        field.focus()
    field.press_sequentially("disastrous", delay=20)  # a word of the last chapter (Conclusion) only
    result = page.locator(".md-search-result__item").first
    expect(result.locator("h1")).to_have_text("Afghanistan and Pakistan › Conclusion")  # the note's short title


def test_the_search_shortcut_loads_the_index(new_context):
    page = new_context(viewport=WIDE).new_page()
    first_view(page, PAGES["conclusion"])
    with page.expect_request("**/search/search_index.json"):
        page.keyboard.press("/")
    expect(page.locator("input.md-search__input")).to_be_focused()
