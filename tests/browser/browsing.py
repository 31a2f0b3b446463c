"""Helpers for the browser tests: the site's pages and how to wait for Material."""

from __future__ import annotations

from playwright.sync_api import Page

PAPER = "afghanistan-and-pakistan-friends-or-foes"  # Paper #2's folder, and its address in the series
# The site's pages, by their address under the site root: the series' own and Paper #2's.
PAGES = {
    "series": "",
    "author": "authors/mahmood-muhammad-tahir/",
    "home": f"{PAPER}/",  # the note's own page: title page, abstract, contents, cite this, at a glance
    "historical-perspective": f"{PAPER}/historical-perspective/",
    "afghan-migration": f"{PAPER}/afghan-migration/",
    "security-challenge": f"{PAPER}/security-challenge/",
    "conclusion": f"{PAPER}/conclusion/",
    "references": f"{PAPER}/references/",
}
PRINT_EDITION = f"{PAPER}/print/"
PHONE = {"width": 375, "height": 740}
WIDE = {"width": 1440, "height": 900}  # wide enough for both sidebars: notes beside the text

# Headless Chromium as root (tests and Lighthouse), with nothing of its own phoning home (NOTES.md).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # containers (CI) give /dev/shm 64 MB
]


def wait_for_site(page: Page) -> None:
    """Wait until the page has loaded and, on Material's pages, its JavaScript has set it up
    (the print edition is a plain page without Material)."""
    page.wait_for_load_state("load")
    if page.locator("script[src*='javascripts/bundle.']").count():
        page.wait_for_function("() => typeof document$ !== 'undefined' && document.body.dataset.mdColorScheme")


def page_with_script(new_context, script: str, viewport: dict = WIDE) -> Page:
    """A new page that runs ``script`` before any of the site's own (an observer, a counter)."""
    context = new_context(viewport=viewport)
    context.add_init_script(script)
    return context.new_page()


def open_chapter(page: Page, address: str) -> None:
    page.goto(address)
    wait_for_site(page)


def note_marker(page: Page, index: int = 0):
    """The index-th note marker in the running text (not the author's own note)."""
    return page.locator("article sup.note-ref a.footnote-ref").nth(index)


def note_beside(page: Page, marker):
    """The copy of a marker's note that notes.js put beside the text (or in place): the
    element the marker's aria-controls names."""
    return page.locator(f'[id="{marker.get_attribute("aria-controls")}"]')


def search(page: Page, query: str):
    """Type query into Material's search (it searches on keyup) and return the results."""
    page.goto("")
    wait_for_site(page)
    field = page.locator("input.md-search__input")
    if not field.is_visible():  # phones: the search field sits behind a header button
        page.locator('label.md-header__button[for="__search"]').click()
    field.click()
    field.press_sequentially(query, delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for()
    return results


def settle(page: Page) -> None:
    """Wait until no CSS transition or finite animation is running (axe measures colours as
    drawn, and a panel fading in is not yet at its final contrast)."""
    page.wait_for_function(
        "() => document.getAnimations().every(a => a.playState !== 'running'"
        " || a.effect.getComputedTiming().iterations === Infinity)"
    )


# ----------------------------------------------------------------------------- a first view's bytes (issue 14)
FIRST_VIEW_LIMIT = 100 * 1024  # bytes, gzipped: issue 14


class Transfers:
    """Every request a page made, with the bytes its response body took on the wire."""

    def __init__(self, page: Page):
        self.requests: list[tuple[str, int]] = []
        page.on("requestfinished", lambda request: self.requests.append(
            (request.url, max(request.sizes()["responseBodySize"], 0))))

    def total(self) -> int:
        return sum(size for _, size in self.requests)

    def urls(self) -> list[str]:
        return [url for url, _ in self.requests]

    def fetched(self, ending: str) -> bool:
        return any(url.split("?")[0].endswith(ending) for url in self.urls())


def first_view(page: Page, address: str) -> Transfers:
    transfers = Transfers(page)
    page.goto(address)
    wait_for_site(page)
    page.wait_for_load_state("networkidle")
    return transfers
