"""A page of a series at scale (issue 14), on bench/series.py's synthetic series built with this
project's mkdocs.yml (tests/conftest.py's synthetic_series): its navigation holds what a reader
of that page needs (the series home, the other notes as one link each, its own note's pages),
not every page of the series, and every page is still reachable."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from sitebuild import SYNTHETIC_NOTES, SYNTHETIC_PAGES, synthetic


def primary_nav_links(html: str, page: str) -> set[str]:
    """The site paths the page's primary navigation (the left sidebar, a phone's drawer) links."""
    soup = BeautifulSoup(html, "html.parser")
    nav = soup.select_one(".md-sidebar--primary nav.md-nav--primary")
    assert nav is not None
    links = set()
    for link in nav.find_all("a", href=True):
        href = urlsplit(link["href"])
        if href.scheme or href.path == "":
            continue  # the page's own table of contents (#...)
        path = posixpath.normpath(posixpath.join(page, href.path))
        links.add("" if path == "." else path.rstrip("/") + "/")
    return links


def note_pages(index: int) -> list[str]:
    folder = synthetic.slug(index)
    chapters = [f"{folder}/chapter-{c:02d}/" for c in range(1, SYNTHETIC_PAGES)]
    return [f"{folder}/", *chapters, f"{folder}/references/"]


def test_a_chapter_s_navigation_holds_its_note_s_pages_and_one_link_to_each_other_note(synthetic_series):
    page = f"{synthetic.slug(2)}/chapter-02/"
    links = primary_nav_links(synthetic_series.html(page), page)
    assert "" in links  # the series' home
    assert set(note_pages(2)) <= links
    for other in set(range(SYNTHETIC_NOTES)) - {2}:
        assert f"{synthetic.slug(other)}/" in links, other  # the other note, by its own page
        assert not set(note_pages(other)[1:]) & links, other  # ...and none of its chapters


def test_the_navigation_does_not_grow_with_the_other_notes_pages(synthetic_series):
    """Links a page's navigation holds: its own note's pages, a link a note, a few others (the
    series home, the authors), whatever the number of pages the other notes have."""
    page = f"{synthetic.slug(0)}/"
    links = primary_nav_links(synthetic_series.html(page), page)
    assert len(links) <= len(note_pages(0)) + SYNTHETIC_NOTES + 3, sorted(links)


def test_every_page_is_still_reachable_from_the_series_home_the_note_homes_and_the_sitemap(synthetic_series):
    site = synthetic_series.site_dir
    pages = {path.relative_to(site).as_posix().removesuffix("index.html") for path in site.rglob("index.html")}
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    base = urlsplit(synthetic.read_config(synthetic_series.site_dir.parent / "mkdocs.yml")["site_url"]).path
    listed = {urlsplit(loc).path.removeprefix(base) for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)}
    assert listed >= {p for p in pages if "/print/" not in p}
    home = primary_nav_links(synthetic_series.html(""), "") | {
        posixpath.normpath(a["href"]).rstrip("/") + "/"
        for a in BeautifulSoup(synthetic_series.html(""), "html.parser").select("article a[href]")
        if not urlsplit(a["href"]).scheme and not a["href"].startswith("#")}
    reached = set(home)
    for index in range(SYNTHETIC_NOTES):
        assert f"{synthetic.slug(index)}/" in home, index  # the home page leads to every note
        note_home = f"{synthetic.slug(index)}/"
        reached |= primary_nav_links(synthetic_series.html(note_home), note_home)
    assert {p for p in pages if p.startswith("note-") and "/print/" not in p} <= reached
