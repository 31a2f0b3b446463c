"""Every page carries a Content-Security-Policy (hooks/content_security_policy.py) and the real
site breaks it nowhere: each page, the 404 page, the print edition, instant navigation,
search, notes opened beside the text or in place, dark mode. tests/browser/conftest.py records every violation the
browser reports and fails the test that caused it."""

from __future__ import annotations

from browsing import PAGES, note_beside, note_marker, open_chapter, search, wait_for_site

POLICY = 'meta[http-equiv="Content-Security-Policy"]'


def test_a_csp_breach_is_reported_and_blocked(page, csp_violations):
    """The guard itself: an inline script the policy does not list is blocked and recorded."""
    open_chapter(page, PAGES["conclusion"])
    page.evaluate("""() => { const s = document.createElement("script");
                             s.textContent = "window.__ran = true"; document.head.append(s); }""")
    for _ in range(100):  # the report reaches Python a moment later
        if csp_violations.reports:
            break
        page.wait_for_timeout(50)
    assert page.evaluate("() => window.__ran") is None
    assert [report.split(" at ")[0] for report in csp_violations.reports] == ["script-src-elem blocked inline"]
    csp_violations.reports.clear()


def test_every_page_has_the_policy_and_breaks_it_nowhere(new_context, site_pages):
    page = new_context(color_scheme="dark").new_page()
    for address in [*site_pages, "no-such-page/"]:
        page.goto(address)
        wait_for_site(page)
        policy = page.locator(POLICY)
        assert policy.count() == 1, address
        assert policy.get_attribute("content").startswith("default-src 'self';"), address
        page.wait_for_load_state("networkidle")


def test_instant_navigation_search_and_notes_break_no_policy(page):
    open_chapter(page, PAGES["historical-perspective"])
    for _ in range(2):  # Material swaps the next page in under the first page's policy
        before = page.url
        page.locator("a.md-footer__link--next").click()
        page.wait_for_function(f"() => location.href !== {before!r}")
        wait_for_site(page)
    assert page.url.endswith(PAGES["security-challenge"])
    marker = note_marker(page)
    marker.click()  # notes.js opens the note (beside the text, or in place on narrower screens)
    note_beside(page, marker).wait_for(state="visible")
    search(page, "Kabul")
    page.wait_for_load_state("networkidle")
