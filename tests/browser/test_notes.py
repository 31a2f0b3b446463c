"""A note marker shows its note (the source) in Material's tooltip on hover and on keyboard
focus; Escape closes it without moving the focus."""

from __future__ import annotations

import re

from browsing import note_marker, open_chapter
from playwright.sync_api import expect

TOOLTIP = ".md-tooltip2--active"


def note_text(page, number: str) -> str:
    """The note's own text as the notes list shows it, without its links."""
    return page.locator(f'li[id="fn:{number}"] p').evaluate(
        "p => { const c = p.cloneNode(true); c.querySelectorAll('a.note-link, a.footnote-backref')"
        ".forEach(a => a.remove()); return c.textContent.trim(); }"
    )


def test_hover_shows_the_source_and_escape_closes_it(page):
    open_chapter(page, "security-challenge/")
    marker = note_marker(page)
    number = marker.inner_text()
    marker.hover()
    tooltip = page.locator(TOOLTIP)
    expect(tooltip).to_be_visible()
    source = note_text(page, number)
    assert "Arab News" in source
    expect(tooltip).to_contain_text(source)
    page.keyboard.press("Escape")
    expect(tooltip).to_have_count(0)


def test_keyboard_focus_shows_the_source_and_escape_closes_it(page):
    open_chapter(page, "historical-perspective/")
    marker = note_marker(page)
    number = marker.inner_text()
    # Reach the marker with the keyboard: focus the link before it, then Tab.
    page.locator("article").evaluate(
        "(article, n) => { const all = [...document.querySelectorAll('a[href], input, button, [tabindex]')]"
        ".filter(e => e.tabIndex >= 0 && !e.closest('[hidden]'));"
        " const marker = document.querySelector(`a.footnote-ref[href$='#fn:${n}']`);"
        " all[all.indexOf(marker) - 1].focus(); }",
        number,
    )
    page.keyboard.press("Tab")
    expect(marker).to_be_focused()
    tooltip = page.locator(TOOLTIP)
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(re.sub(r"\s+", " ", note_text(page, number))[:60])
    page.keyboard.press("Escape")
    expect(tooltip).to_have_count(0)
    expect(marker).to_be_focused()
