"""A first view transfers at most 100 KB gzipped (issue 14): the search index loads when a
reader starts to search, not with the page, and the instant navigation's list of pages is
fetched once (briefing/theme/assets/javascripts/material-load.js).
The test server gzips as GitHub Pages does, so the bytes counted are the bytes a reader's
browser transfers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browsing import FIRST_VIEW_LIMIT, PAGES, PAPER, WIDE, first_view, page_with_script


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


# Each change of <html>'s class and of a style sheet's href, with the style sheets the page had
# when the change was seen (a mutation observer's callback runs right after the script that made
# the change, before the parser goes on).
WATCH = """
window.__changes = [];
new MutationObserver((records) => {
  const sheets = document.querySelectorAll("link[rel~=stylesheet]").length;
  for (const r of records) {
    const what = r.target === document.documentElement ? "class"
      : r.target.matches("link[rel~=stylesheet]") && r.attributeName === "href" ? "sheet" : null;
    if (what) window.__changes.push({ what, old: r.oldValue, sheets });
  }
}).observe(document, { subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ["class", "href"] });
"""
CHANGES = """() => window.__changes.filter((c) => c.what === "sheet"
  || (c.what === "class" && c.old !== document.documentElement.className))"""


def test_the_page_s_classes_are_set_before_its_first_style_and_the_bundle_changes_neither(new_context):
    """Material's bundle swaps <html>'s "no-js" for "js" and its focus-visible polyfill adds
    "js-focus-visible": each was a restyle of the whole page after its first paint. main.html sets
    both in <head>, before any style sheet; the bundle's own changes then change nothing."""
    page = page_with_script(new_context, WATCH)
    first_view(page, PAGES["security-challenge"])
    assert page.evaluate("document.documentElement.className") == "js js-focus-visible"
    changes = [c for c in page.evaluate(CHANGES) if c["what"] == "class"]
    assert changes == [{"what": "class", "old": "no-js", "sheets": 0}], changes
    plain = new_context(viewport=WIDE, java_script_enabled=False).new_page()
    plain.goto(PAGES["security-challenge"])
    assert plain.locator("html.no-js").count() == 1


def test_style_sheets_keep_their_href_and_the_instant_navigation_keeps_them_page_after_page(new_context):
    """Material's instant navigation made every relative href absolute as the bundle started:
    each style sheet was loaded, parsed and applied again (a whole restyle). material-load.js
    keeps them as written; a page fetched later, at another depth of the site, keeps the same
    <link> elements, and the page is styled as before."""
    page = page_with_script(new_context, WATCH)
    first_view(page, PAGES["security-challenge"])
    sheets = "() => [...document.querySelectorAll('link[rel~=stylesheet]')].map((l) => l.getAttribute('href'))"
    written = page.evaluate(sheets)
    assert len(written) == 3 and all(href.startswith("../../assets/") for href in written), written
    assert [c for c in page.evaluate(CHANGES) if c["what"] == "sheet"] == []
    styled = ("() => [getComputedStyle(document.querySelector('.md-header')).backgroundColor, "
              "document.styleSheets.length]")
    before = page.evaluate(styled)
    page.evaluate("""() => { window.__sameDocument = true;
      document.querySelectorAll('link[rel~=stylesheet]').forEach((l) => { l.__first = true; }); }""")
    sidebar = page.locator(".md-sidebar--primary")
    tour = ((sidebar, "About this note", PAGES["home"]), (sidebar, "Home", PAGES["series"]),
            (page.locator("article"), "Afghanistan and Pakistan", PAGES["home"]),
            (sidebar, "Historical Perspective", PAGES["historical-perspective"]))
    for where, title, address in tour:
        where.get_by_role("link", name=re.compile(f"^{title}")).first.click()
        page.wait_for_url(re.compile(f"/{re.escape(address)}$"))
        page.wait_for_function("a => location.pathname.endsWith(a)", arg="/" + address)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("() => window.__sameDocument === true"), f"{address}: a page load, not an instant one"
        assert page.evaluate(sheets) == written, address
        assert page.evaluate("() => [...document.querySelectorAll('link[rel~=stylesheet]')].every((l) => l.__first)")
        assert page.evaluate(styled) == before, address
    assert [c for c in page.evaluate(CHANGES) if c["what"] == "sheet"] == []
