"""Printed (print media), a chapter shows its text and notes, without navigation or search."""

from __future__ import annotations

from browsing import PAGES, wait_for_site
from playwright.sync_api import expect


def test_printed_chapter_shows_text_and_notes_only(page):
    page.goto(PAGES["security-challenge"])
    wait_for_site(page)
    page.emulate_media(media="print")
    expect(page.locator("article h1")).to_be_visible()
    expect(page.locator("article p").filter(has_text="Zabihullah Mujahid")).to_be_visible()
    notes = page.locator(".briefing-notes li")
    assert notes.count() > 0
    for index in range(notes.count()):
        expect(notes.nth(index)).to_be_visible()
    screen_only = (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search", ".md-footer")
    for hidden in (*screen_only, ".footnote-backref"):
        for index in range(page.locator(hidden).count()):
            expect(page.locator(hidden).nth(index)).to_be_hidden()
    assert page.pdf(format="A4")[:4] == b"%PDF"
