"""A page of a synthetic series in a browser (bench/series.py, built by tests/conftest.py's
synthetic_series with this project's mkdocs.yml; issue 14): a first view stays under 100 KB
gzipped without the search index, a search after focusing the box finds a word only the last
note holds, and the pruned navigation (the left sidebar, a phone's drawer) leads to another
note and to the current note's chapters."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browsing import FIRST_VIEW_LIMIT, PHONE, WIDE, first_view, wait_for_site
from sitebuild import SYNTHETIC_NOTES, synthetic

LAST = SYNTHETIC_NOTES - 1


@pytest.fixture(scope="module")
def series_url(synthetic_series, serve):
    with serve(synthetic_series.site_dir) as url:
        yield url


@pytest.mark.parametrize("path", ["", f"{synthetic.slug(0)}/", f"{synthetic.slug(2)}/chapter-02/"])
def test_a_first_view_of_a_series_page_leaves_the_index_and_stays_under_100_kb(new_context, series_url, path):
    page = new_context(viewport=WIDE).new_page()
    transfers = first_view(page, series_url + path)
    assert not transfers.fetched("search/search_index.json"), transfers.urls()
    assert transfers.total() <= FIRST_VIEW_LIMIT, sorted(transfers.requests, key=lambda r: -r[1])[:8]
    # the page's list of pages for the instant navigation, once, not the 700 addresses of the
    # sitemap (Material's language selector asked for that again beside the feed)
    lists = [url for url in transfers.urls() if url.split("?")[0].endswith(".xml")]
    note = path.split("/")[0]
    assert lists == [series_url + (f"assets/pages/{note}.xml" if note else "assets/pages.xml")], lists


def test_search_after_focusing_the_box_finds_the_last_note(new_context, series_url):
    page = new_context(viewport=WIDE).new_page()
    first_view(page, series_url + f"{synthetic.slug(0)}/chapter-01/")
    field = page.locator("input.md-search__input")
    with page.expect_request("**/search/search_index.json"):
        field.focus()
    field.press_sequentially(synthetic.note_word(LAST), delay=20)
    results = page.locator(".md-search-result__item")
    # Material searches at each key: wait for the whole word's results (retrying assertions)
    expect(results.first.locator("a").first).to_have_attribute("href", re.compile(f"/{synthetic.slug(LAST)}/"))
    for other in range(LAST):  # the word is the last note's alone (the prefix is every note's)
        expect(page.locator(f".md-search-result__item a[href*='/{synthetic.slug(other)}/']")).to_have_count(0)
    hrefs = [results.nth(i).locator("a").first.get_attribute("href").split("?")[0] for i in range(results.count())]
    # beside the note's pages: the series' home and its author's page, which list its abstract
    elsewhere = [href for href in hrefs if f"/{synthetic.slug(LAST)}/" not in href]
    assert all(href == series_url or "/authors/" in href for href in elsewhere), hrefs
    expect(results.first.locator("h1")).to_contain_text("›")  # the hit says which note it is in


def test_the_left_sidebar_leads_to_another_note_and_its_chapters(new_context, series_url):
    page = new_context(viewport=WIDE).new_page()
    page.goto(series_url + f"{synthetic.slug(1)}/chapter-01/")
    wait_for_site(page)
    sidebar = page.locator(".md-sidebar--primary")
    other = sidebar.get_by_role("link", name=re.compile(r"^Synthetic Note 4:"))
    expect(other).to_have_count(1)
    other.click()
    page.wait_for_url(f"**/{synthetic.slug(3)}/")
    expect(page.locator("article h1")).to_have_text(re.compile(r"^Synthetic Note 4:"))
    chapter = page.locator(".md-sidebar--primary a[href*='chapter-02']")
    expect(chapter).to_have_count(1)  # the note's own chapters now stand in the navigation
    chapter.click()
    page.wait_for_url(f"**/{synthetic.slug(3)}/chapter-02/")


def test_the_instant_navigation_follows_the_note_s_pages_and_the_other_notes_from_its_list(new_context, series_url):
    """The page's list of pages (briefing.series.instant): its note's pages and every note's own
    page load without a page load; another note's chapter is not in it: that loads as a link does,
    and the page then fetches its own note's list."""
    page = new_context(viewport=WIDE).new_page()
    first_view(page, series_url + f"{synthetic.slug(1)}/chapter-01/")  # the list fetched by now
    page.evaluate("() => { window.__sameDocument = true; }")  # gone if a link loads a page
    sidebar = page.locator(".md-sidebar--primary")
    title = page.locator("article h1").inner_text()
    sidebar.locator("a[href*='chapter-02']").first.click()
    page.wait_for_url(f"**/{synthetic.slug(1)}/chapter-02/")
    expect(page.locator("article h1")).not_to_have_text(title)
    sidebar.get_by_role("link", name=re.compile(r"^Synthetic Note 4:")).click()
    page.wait_for_url(f"**/{synthetic.slug(3)}/")
    expect(page.locator("article h1")).to_have_text(re.compile(r"^Synthetic Note 4:"))
    assert page.evaluate("() => window.__sameDocument === true"), "a page load: the list did not name the page"
    with page.expect_request(f"**/assets/pages/{synthetic.slug(3)}.xml"):
        page.locator(".md-sidebar--primary a[href*='chapter-02']").first.click()
        page.wait_for_url(f"**/{synthetic.slug(3)}/chapter-02/")
    assert page.evaluate("() => window.__sameDocument === undefined")


def test_the_phone_drawer_holds_the_note_s_pages(new_context, series_url):
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(series_url + f"{synthetic.slug(2)}/chapter-01/")
    wait_for_site(phone)
    drawer = phone.locator(".md-sidebar--primary")
    phone.locator('label.md-header__button[for="__drawer"]').click()
    expect(drawer).to_be_in_viewport()
    expect(drawer.get_by_role("link", name="References")).to_be_visible()
    expect(drawer.get_by_role("link", name="About this note")).to_be_visible()
