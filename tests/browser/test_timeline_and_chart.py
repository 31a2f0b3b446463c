"""The timeline and the migration chart in Chromium: the timeline's note markers behave as the
text's (beside it at 1440 px, in place on a phone, one copy per marker), the time axis on wide
screens and a plain list on a phone, the chart following the dark palette; and a picture of
each (timeline, chart, phone, dark) in artifacts/browser/."""

from __future__ import annotations

from browsing import PAGES, WIDE, note_beside, wait_for_site


def _open(page, address):
    page.goto(address)
    wait_for_site(page)
    page.wait_for_load_state("networkidle")


def test_timeline_markers_show_their_notes_beside_it_on_wide_screens(new_context, artifacts):
    page = new_context(color_scheme="light", viewport=WIDE).new_page()
    _open(page, PAGES["home"])
    markers = page.locator(".timeline sup.note-ref a.footnote-ref")
    assert markers.count() >= 10
    ids = page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})  # one id per copy of a note
    for index in range(markers.count()):
        marker = markers.nth(index)
        note = note_beside(page, marker)
        assert note.is_visible() and note.get_attribute("role") == "note"
        assert marker.text_content().strip() in note.text_content()
    # the time axis: dates in a column left of the events
    first = page.locator(".timeline__event").first
    date, label = first.locator(".timeline__date").bounding_box(), first.locator(".timeline__label").bounding_box()
    assert date["x"] + date["width"] <= label["x"] and abs(date["y"] - label["y"]) < 8
    page.locator("#timeline").scroll_into_view_if_needed()
    page.evaluate("() => document.getElementById('timeline').scrollIntoView()")
    page.screenshot(path=artifacts / "timeline.png")


def test_timeline_is_a_plain_list_on_a_phone_and_its_markers_open_in_place(phone, artifacts):
    _open(phone, PAGES["home"])
    first = phone.locator(".timeline__event").first
    date, label = first.locator(".timeline__date").bounding_box(), first.locator(".timeline__label").bounding_box()
    assert date["y"] + date["height"] <= label["y"] + 1  # the date above what happened
    marker = phone.locator(".timeline sup.note-ref a.footnote-ref").first
    marker.evaluate("m => m.scrollIntoView({block: 'center'})")
    note = note_beside(phone, marker)
    assert not note.is_visible()
    marker.tap()
    note.wait_for()
    assert marker.get_attribute("aria-expanded") == "true"
    phone.screenshot(path=artifacts / "phone-timeline.png")
    phone.keyboard.press("Escape")
    assert not note.is_visible()


def test_the_paragraph_an_event_links_to_is_reached(new_context):
    page = new_context(color_scheme="light", viewport=WIDE).new_page()
    _open(page, PAGES["home"])
    link = page.locator("#event-doha-agreement a.timeline__where")
    link.click()
    page.wait_for_url("**/historical-perspective/#when-doha-agreement")
    mark = page.locator("#when-doha-agreement")
    assert mark.evaluate("m => m.parentElement.tagName") == "P"
    assert "February 2020" in mark.evaluate("m => m.parentElement.textContent")


def test_the_chart_follows_the_palette(new_context, artifacts):
    colours = {}
    for scheme in ("light", "dark"):
        page = new_context(color_scheme=scheme, viewport=WIDE).new_page()
        _open(page, PAGES["afghan-migration"])
        chart = page.locator("figure.chart")
        chart.scroll_into_view_if_needed()
        text = chart.locator("svg text").first.evaluate("t => getComputedStyle(t).fill")
        body = page.evaluate("() => getComputedStyle(document.querySelector('.md-typeset')).color")
        assert text == body, (scheme, text, body)  # the SVG's text in the page's own colour
        colours[scheme] = chart.locator("svg .chart__bars path").first.evaluate("p => getComputedStyle(p).fill")
        chart.screenshot(path=artifacts / f"{'dark-' if scheme == 'dark' else ''}chart.png")
        if scheme == "dark":
            _open(page, PAGES["home"])
            page.evaluate("() => document.getElementById('timeline').scrollIntoView()")
            page.screenshot(path=artifacts / "dark-timeline.png")
    assert colours["light"] != colours["dark"]
