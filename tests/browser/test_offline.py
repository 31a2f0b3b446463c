"""No page sends a request off 127.0.0.1 (every such request is blocked and recorded)."""

from __future__ import annotations

from browsing import PAGES, search, wait_for_site


def test_no_request_leaves_loopback(page, offsite, site_pages):
    before = len(offsite.urls)
    for address in [*site_pages, "no-such-page/"]:
        page.goto(address)
        wait_for_site(page)
        page.wait_for_load_state("networkidle")
    search(page, "Kabul")
    page.wait_for_load_state("networkidle")
    assert offsite.urls[before:] == []


def test_offsite_requests_are_blocked_and_recorded(new_context, offsite):
    """The guard itself: a request to another host is recorded and never reaches it (with the
    pages' Content-Security-Policy set aside, which would block it first)."""
    page = new_context(bypass_csp=True).new_page()
    page.goto(PAGES["home"])
    failed = page.evaluate("() => fetch('https://example.org/probe').then(() => false, () => true)")
    assert failed
    assert offsite.urls[-1] == "https://example.org/probe"
    offsite.urls.pop()
