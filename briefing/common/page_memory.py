"""Each page's Markdown and HTML let go once MkDocs has written the page (issue 14). MkDocs keeps
every page's Markdown and converted HTML to the end of the build (about 25 MB of the 600-page
series, held through ``on_post_build``, where a build's memory peaks); nothing reads them once
the page is written: every concern that reads a page's content does so by its
``on_page_context`` (the print edition keeps its own copy until its note's edition is written),
Material's search has its entries, and MkDocs' ``validate_anchor_links`` reads the ids and
links its conversion noted, not the HTML.

Events:
- ``on_post_page`` (priority -10000, after every other ``on_post_page``): the page's
  ``markdown`` and ``content`` set to None.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page


@event_priority(-10000)  # after every other on_post_page (links.internal's scan: -100)
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    page.markdown = None
    page.content = None
    return output
