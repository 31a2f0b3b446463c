"""Paper #2 in a series of two: the real site with a fixture second note beside it
(tests/fixtures/second-note/: placeholder text, never published), added as a new note is, by its
folder and its .bib entry alone. Paper #2 stays as it is (its notes 1-15, golden; its References;
its cite-this block, tags and PDF); the second note has its own of each; the series shows both."""

from __future__ import annotations

import json

import feedparser
import pytest
from bs4 import BeautifulSoup

from sitebuild import PAPER, build, real_with_second_note, words

SECOND = "placeholder-note"
GOLDEN_CHAPTERS = ["historical-perspective", "afghan-migration", "security-challenge", "conclusion"]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    root = tmp_path_factory.mktemp("two-notes")
    result = build(real_with_second_note(root), root / "site")
    assert result.ok, result.text()
    return result


def soup(result, page: str = "") -> BeautifulSoup:
    return result.soup(page)


def notes(result, page: str) -> dict[str, str]:
    return result.endnotes(page)


def test_paper_2_is_unchanged_by_a_second_note(both, real_site):
    for chapter in GOLDEN_CHAPTERS:
        assert notes(both, f"{PAPER}/{chapter}") == notes(real_site, f"{PAPER}/{chapter}"), chapter
    ours = soup(both, f"{PAPER}/references").select("div.csl-entry")
    assert [e["id"] for e in ours] == [e["id"] for e in soup(real_site, f"{PAPER}/references").select("div.csl-entry")]
    assert "ref-fixture2024placeholder" not in {e["id"] for e in ours}  # only what Paper #2 cites
    for page in ("", *GOLDEN_CHAPTERS):
        a = soup(both, f"{PAPER}/{page}").select_one("article")
        b = soup(real_site, f"{PAPER}/{page}").select_one("article")
        assert words(a.get_text()) == words(b.get_text()), page


def test_the_second_note_numbers_its_notes_from_one_and_cites_in_full_first(both):
    first, second = notes(both, f"{SECOND}/first-part"), notes(both, f"{SECOND}/second-part")
    assert list(first) == ["1", "2"] and list(second) == ["3", "4"]
    # haqqani2021pyrrhic is Paper #2's note 2 too: in this note its first citation is the full note
    assert first["1"].startswith("Husain Haqqani, “Pakistan’s Pyrrhic Victory in Afghanistan,” Foreign Affairs")
    assert second["3"] == "Haqqani, “Pakistan’s Pyrrhic Victory.”"
    assert second["4"] == "Placeholder Survey Office, “A Placeholder Survey for Tests,” 2."
    references = soup(both, f"{SECOND}/references").select("div.csl-entry")
    assert sorted(e["id"] for e in references) == ["ref-fixture2024placeholder", "ref-haqqani2021pyrrhic"]


def test_each_note_has_its_own_cite_this_block_tags_glance_and_pdf(both):
    cite = words(soup(both, SECOND).select_one('[data-style="chicago-bibliography"]').get_text())
    assert cite.startswith("Fixture, Test. A Placeholder Note: Test Fixture Only. Research Note Series, no. 3. "
                           "Buckingham: SSEASRC and BUCSIS, University of Buckingham, March 2024.")
    paper = words(soup(both, PAPER).select_one('[data-style="chicago-bibliography"]').get_text())
    assert paper.startswith("Mahmood, Muhammad Tahir. Afghanistan and Pakistan: Friends or Foes?")
    tags = {m.get("name"): m.get("content") for m in soup(both, f"{SECOND}/first-part").find_all("meta")}
    assert tags["citation_title"] == "A Placeholder Note: Test Fixture Only" and tags["citation_author"] == (
        "Fixture, Test")
    assert [c.select_one(".key-figure__value").get_text() for c in soup(both, SECOND).select("li.at-a-glance__card")
            ] == ["42"]
    # the twelve of its figures file (issue 15 added the two million who went to Iran)
    assert len(soup(both, PAPER).select("li.at-a-glance__card")) == 12
    for folder, slug in ((PAPER, PAPER), (SECOND, "a-placeholder-note-test-fixture-only")):
        assert (both.site_dir / folder / f"{slug}.pdf").stat().st_size > 10_000, folder


def test_the_series_shows_both_notes_newest_first(both):
    home = soup(both, "")
    assert [a.get_text(strip=True) for a in home.select(".series-note__title a")] == [
        "A Placeholder Note: Test Fixture Only", "Afghanistan and Pakistan: Friends or Foes?"]
    # each note a section: pruned on the series home (navigation.prune), one link to the note
    sections = [words(item.get_text()) for item in home.select(
        "nav.md-nav--primary > ul > li > label, nav.md-nav--primary > ul > li.md-nav__item--pruned > a")]
    assert sections[:2] == ["A Placeholder Note: Test Fixture Only", "Afghanistan and Pakistan: Friends or Foes?"]
    feed = feedparser.parse((both.site_dir / "feed.xml").read_bytes())
    assert not feed.bozo and [e.title for e in feed.entries] == [
        "A Placeholder Note: Test Fixture Only", "Afghanistan and Pakistan: Friends or Foes?"]
    for author in ("authors/fixture-test", "authors/mahmood-muhammad-tahir"):
        assert len(soup(both, author).select(".series-note")) == 1, author
    docs = json.loads((both.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    titles = {doc["location"]: doc["title"] for doc in docs}
    assert titles[f"{SECOND}/first-part/"] == "A Placeholder Note › First Part"
    assert titles[f"{PAPER}/conclusion/"] == "Afghanistan and Pakistan › Conclusion"


def test_the_series_home_and_the_author_pages_link_each_note_s_pdf(both):
    """The home page lists every note with its PDF (issue 13: number, title, authors, date,
    abstract, PDF), and so does each author's page: each link leads to the note's own PDF."""
    expected = {PAPER: f"{PAPER}/{PAPER}.pdf",
                SECOND: f"{SECOND}/a-placeholder-note-test-fixture-only.pdf"}
    for page, folders in (("", [SECOND, PAPER]), ("authors/fixture-test", [SECOND]),
                          ("authors/mahmood-muhammad-tahir", [PAPER])):
        items = soup(both, page).select(".series-note")
        assert [item.select_one(".series-note__title a")["href"].rstrip("/").rsplit("/", 1)[-1]
                for item in items] == folders, page
        for item, folder in zip(items, folders, strict=True):
            (pdf,) = [a for a in item.select(".series-note__links a") if a.get_text() == "Download PDF"]
            target = (both.site_dir / page / pdf["href"]).resolve()
            assert target == (both.site_dir / expected[folder]).resolve() and target.is_file(), (page, pdf["href"])
            assert pdf.has_attr("download")
