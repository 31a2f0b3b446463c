"""Printed (print media), a chapter shows its text and notes, without navigation or search,
and without the copies of the notes that stand beside the text or open in place on screen."""

from __future__ import annotations

import pytest
from browsing import PAGES, PHONE, WIDE, note_marker, wait_for_site
from playwright.sync_api import expect


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "wide"])
def test_printed_chapter_shows_text_and_notes_only(new_context, viewport):
    page = new_context(viewport=viewport).new_page()
    page.goto(PAGES["security-challenge"])
    wait_for_site(page)
    note_marker(page).click()  # a note open in place (phone) or focused beside the text (wide)
    page.emulate_media(media="print")
    expect(page.locator("article h1")).to_be_visible()
    expect(page.locator("article p").filter(has_text="Zabihullah Mujahid")).to_be_visible()
    notes = page.locator(".briefing-notes li")
    assert [notes.nth(index).get_attribute("value") for index in range(notes.count())] == [str(n) for n in range(8, 16)]
    for index in range(notes.count()):
        expect(notes.nth(index)).to_be_visible()
    assert page.locator(".note-aside").count() == notes.count()
    # The text runs the whole width of the paper: no column kept for notes beside it.
    article = page.locator("article").evaluate("a => [a.clientWidth, parseFloat(getComputedStyle(a).paddingRight)]")
    assert article[1] < 20, article
    screen_only = (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search", ".md-footer")
    for hidden in (*screen_only, ".footnote-backref", ".note-aside"):
        for index in range(page.locator(hidden).count()):
            expect(page.locator(hidden).nth(index)).to_be_hidden()
    assert page.pdf(format="A4")[:4] == b"%PDF"
