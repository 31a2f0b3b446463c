"""The dark-mode toggle switches the scheme, and the choice holds on other pages."""

from __future__ import annotations

from playwright.sync_api import expect

from browsing import PAGES, wait_for_site


def test_dark_mode_toggle_persists_across_pages(new_context):
    page = new_context(color_scheme="light").new_page()
    page.goto(PAGES["home"])
    wait_for_site(page)
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.get_by_title("Switch to dark mode").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    # Another page, reached by a link (instant navigation) and loaded afresh.
    page.locator(".md-nav--primary").get_by_role("link", name="Historical Perspective").click()
    page.wait_for_url("**/historical-perspective/")
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.goto(PAGES["conclusion"])
    wait_for_site(page)
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)"
    # And back.
    page.get_by_title("Switch to light mode").click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.goto(PAGES["references"])
    wait_for_site(page)
    expect(body).to_have_attribute("data-md-color-scheme", "default")
