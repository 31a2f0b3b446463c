"""On a 375 px wide phone the navigation drawer opens and closes and no page scrolls sideways."""

from __future__ import annotations

import pytest
from browsing import PAGES, PHONE, wait_for_site
from playwright.sync_api import expect


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


@pytest.mark.parametrize("name", list(PAGES))
def test_page_does_not_scroll_sideways(phone, name):
    phone.goto(PAGES[name])
    wait_for_site(phone)
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} is {width} px wide on a {PHONE['width']} px phone"
    phone.mouse.wheel(400, 0)
    assert phone.evaluate("() => window.scrollX") == 0
