"""Each page's Markdown and HTML let go once MkDocs has written the page (issue 14). MkDocs keeps
every page's Markdown and converted HTML to the end of the build (about 25 MB of the 600-page
series, held through ``on_post_build``, where a build's memory peaks); nothing reads them once
the page is written: every concern that reads a page's content does so by its
``on_page_context`` (the print edition keeps its own copy until its note's edition is written),
Material's search has its entries, and MkDocs' ``validate_anchor_links`` reads the ids and
links its conversion noted, not the HTML.

A page the build does not render itself (``briefing.common.page_split``: the second renderer's
pages in the build's process, the build's pages in the second renderer) is let go when the
other process takes it (``let_go``), as it would have been once written.

What is let go goes back to the C library's heap, which keeps it: every ``GIVE_BACK_EVERY``
pages it is given back to the system (``briefing.common.heap``).

Events:
- ``on_post_page`` (priority -10000, after every other ``on_post_page``): the page's
  ``markdown`` and ``content`` set to None.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from briefing.common import heap

GIVE_BACK_EVERY = 20  # pages
_written = 0  # pages this process has written (since it started)


def let_go(page: Page) -> None:
    """The page's Markdown and HTML dropped (nothing reads them once it is written)."""
    page.markdown = None
    page.content = None


@event_priority(-10000)  # after every other on_post_page (links.internal's scan: -100)
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    global _written
    let_go(page)
    _written += 1
    if _written % GIVE_BACK_EVERY == 0:
        heap.give_back()
    return output
