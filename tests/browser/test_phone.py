"""On a 375 px wide phone the navigation drawer opens and closes, and no page scrolls sideways
(nor makes the phone zoom out: a phone widens its layout viewport to fit content that is too
wide, even though Material hides the html element's horizontal overflow)."""

from __future__ import annotations

from playwright.sync_api import expect

from browsing import PAGES, PHONE, wait_for_site


def test_drawer_opens_and_closes(phone):
    phone.goto(PAGES["security-challenge"])
    wait_for_site(phone)
    drawer = phone.locator(".md-sidebar--primary")
    expect(drawer).not_to_be_in_viewport()
    phone.locator('label.md-header__button[for="__drawer"]').click()
    expect(drawer).to_be_in_viewport()
    expect(drawer.get_by_role("link", name="Historical Perspective")).to_be_visible()
    # Tap the shaded page beside the drawer to close it.
    phone.mouse.click(PHONE["width"] - 10, PHONE["height"] // 2)
    expect(drawer).not_to_be_in_viewport()


def test_no_page_scrolls_sideways(phone, site_pages):
    too_wide = {}
    for address in site_pages:
        phone.goto(address)
        wait_for_site(phone)
        width = phone.evaluate("() => Math.max(innerWidth, document.documentElement.scrollWidth)")
        phone.mouse.wheel(400, 0)
        phone.wait_for_timeout(50)
        if width > PHONE["width"] or phone.evaluate("() => window.scrollX"):
            too_wide[address or "home"] = width
    assert not too_wide, f"wider than a {PHONE['width']} px phone: {too_wide}"
