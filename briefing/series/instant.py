"""The pages Material's instant navigation may follow from a page of a series (issue 14).

Material's bundle fetches the site's ``sitemap.xml`` on every first view and parses every
address in it, to know which links it may follow without a page load (a link to a page it does
not list loads as a link does). At 50 notes that is 700 addresses, the longest task after a
first paint on a phone, and it grows with the series. So each page gives the bundle a shorter
list, in the sitemap's own format (``briefing/theme/assets/javascripts/material-load.js``
sends the bundle's request there, once):

- a note's pages: ``assets/pages/<folder>.xml``: the note's own pages, every page of the site
  that is in no note (the series' home, the authors) and every note's own page;
- every other page: ``assets/pages.xml``: the pages in no note and every note's own page.

That is every page a note's navigation links to. A link to another note's chapter (from a
note's text, or once a reader is on the other note's own page) loads as a link does, and that
page's list is then the other note's. ``sitemap.xml`` stays whole, for search engines.

Pure functions; ``briefing.series.render`` writes the files and names each page's list.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from briefing.series.notes import folder_of

SITE_LIST = "assets/pages.xml"
NOTE_LISTS = "assets/pages"


@dataclass(frozen=True)
class Listed:
    src_uri: str  # the page's file under docs/
    loc: str  # its address as the sitemap gives it (site_url's, or the path without site_url)


def list_of(folder: str | None) -> str:
    """The site path of the list for a page of note ``folder`` (None: a page in no note)."""
    return f"{NOTE_LISTS}/{folder}.xml" if folder else SITE_LIST


def xml(locs: list[str]) -> str:
    lines = "".join(f"<url><loc>{escape(loc)}</loc></url>\n" for loc in locs)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{lines}</urlset>\n'


def lists(pages: list[Listed], notes: dict[str, str]) -> dict[str, str]:
    """Site path -> XML of every list: ``pages`` in the sitemap's order; ``notes``: each note's
    folder -> its own page's src_uri."""
    homes = set(notes.values())
    tops = [top if (top := folder_of(page.src_uri)) in notes else None for page in pages]

    def listed(note: str | None) -> str:
        """The pages in no note, every note's own page and ``note``'s pages (None: none)."""
        return xml([page.loc for page, top in zip(pages, tops, strict=True)
                    if top is None or top == note or page.src_uri in homes])

    return {SITE_LIST: listed(None), **{list_of(name): listed(name) for name in notes}}
