"""Screenshots for people to look at, written on every run to artifacts/browser/ (git-ignored)."""

from __future__ import annotations

from browsing import PAGES, WIDE, note_beside, note_marker, wait_for_site


def shoot(page, path, address, full_page=False):
    page.goto(address)
    wait_for_site(page)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=path, full_page=full_page)
    assert path.stat().st_size > 10_000


def test_screenshots(new_context, phone, artifacts):
    light = new_context(color_scheme="light").new_page()
    shoot(light, artifacts / "series-home.png", PAGES["series"], full_page=True)
    shoot(light, artifacts / "author.png", PAGES["author"], full_page=True)
    shoot(light, artifacts / "home.png", PAGES["home"], full_page=True)
    shoot(light, artifacts / "chapter.png", PAGES["security-challenge"], full_page=True)
    # Notes where the reader is: beside the text at 1440 px, in place on a phone.
    wide = new_context(color_scheme="light", viewport=WIDE).new_page()
    shoot(wide, artifacts / "wide-notes.png", PAGES["security-challenge"], full_page=True)
    shoot(phone, artifacts / "phone-note.png", PAGES["security-challenge"])
    marker = note_marker(phone)
    marker.evaluate("m => m.scrollIntoView({block: 'center'})")
    marker.tap()
    note_beside(phone, marker).wait_for()
    phone.screenshot(path=artifacts / "phone-note.png")
    shoot(phone, artifacts / "phone.png", PAGES["historical-perspective"])
    phone.locator('label.md-header__button[for="__drawer"]').click()
    phone.locator(".md-sidebar--primary").wait_for(state="visible")
    phone.wait_for_timeout(300)  # the drawer slides in
    phone.screenshot(path=artifacts / "phone-drawer.png")
    dark = new_context(color_scheme="dark").new_page()
    shoot(dark, artifacts / "dark-chapter.png", PAGES["afghan-migration"])
    shoot(dark, artifacts / "dark-home.png", PAGES["home"])
