"""The series in a browser: its home lists the note and leads to it, a search result names the
note its hit is in, a chapter says which note it belongs to, and Paper #2's old addresses
bring a reader to its new ones."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from playwright.sync_api import expect

from browsing import PAGES, PAPER, search, wait_for_site


def test_the_home_page_lists_the_note_and_leads_to_it(page):
    page.goto(PAGES["series"])
    wait_for_site(page)
    expect(page.locator("article h1")).to_have_text(re.compile("^Research Note Series"))
    note = page.locator(".series-note")
    expect(note).to_have_count(1)
    expect(note.locator(".series-note__number")).to_have_text("Research Note Series, no. 2 · November 2023")
    expect(note.locator(".series-note__abstract")).to_contain_text("After four decades of relative amity")
    note.get_by_role("link", name="Afghanistan and Pakistan: Friends or Foes?").click()
    page.wait_for_url(f"**/{PAPER}/")
    expect(page.locator("article h1")).to_have_text(re.compile("^Afghanistan and Pakistan: Friends or Foes?"))


def test_the_author_page_lists_the_author_s_notes(page):
    page.goto(PAGES["series"])
    wait_for_site(page)
    page.locator(".series-note__authors").get_by_role("link", name="Dr Muhammad Tahir Mahmood").click()
    page.wait_for_url(f"**/{PAGES['author']}")
    expect(page.locator("article h1")).to_have_text(re.compile("^Dr Muhammad Tahir Mahmood"))
    expect(page.locator(".series-author__affiliation")).to_have_text(
        "Centre for Security and Intelligence Studies (BUCSIS), University of Buckingham")
    expect(page.locator(".series-note")).to_have_count(1)


def test_a_search_result_names_the_note_it_is_in(page):
    """The page's own hit: "Note › Page" (the note's short title); its sections under it, as they are."""
    results = search(page, "Taliban")
    expect(results.first.locator("h1")).to_be_visible()
    titles = {}
    for index in range(results.count()):
        item = results.nth(index)
        titles[item.locator("a").first.get_attribute("href")] = item.locator("h1").inner_text()
    in_note = [title for href, title in titles.items() if f"/{PAPER}/" in href]
    assert in_note and all(title.startswith("Afghanistan and Pakistan › ") for title in in_note), titles
    assert "Afghanistan and Pakistan › Historical Perspective" in in_note
    assert not [title for href, title in titles.items() if f"/{PAPER}/" not in href and "›" in title], titles
    assert not [t for t in results.locator("h2").all_inner_texts() if "›" in t]


def test_a_chapter_says_which_note_it_belongs_to(page):
    page.goto(PAGES["conclusion"])
    wait_for_site(page)
    line = page.locator("article p.part-of")
    expect(line).to_have_text("Part of Afghanistan and Pakistan: Friends or Foes?, Research Note Series, no. 2, "
                              "November 2023")
    expect(line).to_be_visible()
    line.get_by_role("link").click()
    page.wait_for_url(f"**/{PAPER}/")


def test_an_old_address_brings_the_reader_to_the_new_one(page):
    for old, new in (("historical-perspective/", PAGES["historical-perspective"]), ("print/", f"{PAPER}/print/")):
        page.goto(old)
        page.wait_for_url(f"**/{new}")
        wait_for_site(page)
        assert page.url.endswith(new)


def test_the_404_page_lists_the_notes_and_leads_to_them(page):
    response = page.goto("no-such-note/no-such-page/")
    assert response.status == 404
    wait_for_site(page)
    block = page.locator(".not-found")
    expect(block.locator("h1")).to_have_text("Page not found")
    # the list stands as one block in the centred page, each bullet beside its note (not at the far left)
    item, link = block.locator("li").first, block.locator("li a").first
    assert link.bounding_box()["x"] - item.bounding_box()["x"] < 5, (item.bounding_box(), link.bounding_box())
    block.get_by_role("link", name=re.compile("Afghanistan and Pakistan: Friends or Foes?")).click()
    page.wait_for_url(f"**/{PAPER}/")
    expect(page.locator("article h1")).to_have_text(re.compile("^Afghanistan and Pakistan: Friends or Foes?"))


def test_the_feed_a_page_links_is_valid_atom_naming_the_note(page):
    import feedparser

    page.goto(PAGES["conclusion"])
    wait_for_site(page)
    href = page.locator('head link[rel="alternate"][type="application/atom+xml"]').get_attribute("href")
    response = page.request.get(urljoin(page.url, href))
    assert response.ok and response.headers["content-type"].startswith(("application/atom+xml", "application/xml",
                                                                        "text/xml")), response.headers
    feed = feedparser.parse(response.body())
    assert not feed.bozo, feed.bozo_exception
    assert [entry.title for entry in feed.entries] == ["Afghanistan and Pakistan: Friends or Foes?"]
    assert feed.entries[0].link.endswith(f"/{PAPER}/")


def test_the_old_data_downloads_are_still_served(page):
    page.goto(PAGES["series"])
    wait_for_site(page)
    for name in ("data/datapackage.json", "data/key-figures.csv"):
        old, new = page.request.get(name), page.request.get(f"{PAPER}/{name}")
        assert old.ok and new.ok and old.body() == new.body(), name
