"""A series of notes in one site (briefing.series), built strict from the minimal config: a series
of one note and of two (made-up notes: tests/fixtures/minimal/notes/), each note's own notes,
References, cite-this block, tags, "At a glance", print edition; the series' home page, author
pages, feed, navigation, 404 page and moved addresses; and every mistake in a record or a
note's folder a strict failure naming the file and the line."""

from __future__ import annotations

import json
import logging

import feedparser
import pytest
from bs4 import BeautifulSoup

from briefing.series import notes as series_notes
from briefing.series.record import parse

from sitebuild import SERIES, as_note, build, make_site, note_pages, series_options, words

ONE = ("first-note",)
TWO = ("first-note", "second-note")


def soup(result, page: str = "") -> BeautifulSoup:
    return result.soup(page)


def notes_of(result, page: str) -> dict[str, str]:
    return result.endnotes(page)


def failing(result, *parts: str) -> None:
    assert not result.ok, result.text()
    assert "Traceback" not in result.text()
    assert any(all(part in message for part in parts) for message in result.messages), (parts, result.text())


# ----------------------------------------------------------------------------- a series of one note


@pytest.fixture(scope="module")
def one(tmp_path_factory):
    root = tmp_path_factory.mktemp("series-of-one")
    result = build(make_site(root, note_pages(*ONE), options=series_options()), root / "site")
    assert result.ok, result.text()
    return result


def test_a_series_of_one_note_builds_its_pages_under_its_folder(one):
    site = one.site_dir
    for page in ("", "first-note/", "first-note/first-chapter/", "first-note/second-chapter/",
                 "first-note/references/", "authors/smith-jane/", "first-note/print/"):
        assert (site / page / "index.html").is_file(), page
    for download in ("a-minimal-note-rivers-and-borders.bib", "a-minimal-note-rivers-and-borders.ris"):
        assert (site / "first-note" / download).is_file()
    assert list(notes_of(one, "first-note/first-chapter")) == ["1", "2"]
    assert list(notes_of(one, "first-note/second-chapter")) == ["3", "4"]


def test_the_nav_is_made_from_the_records(one):
    nav = soup(one).select_one("nav.md-nav--primary")
    labels = [words(a.get_text()) for a in nav.select("a.md-nav__link, label.md-nav__link")]
    assert labels[:6] == ["Home", "A Minimal Note: Rivers and Borders", "About this note", "First Chapter",
                          "Second Chapter", "References"]
    assert "Authors" in labels and "Dr Jane Smith" in labels


def test_the_home_page_lists_the_note(one):
    home = soup(one)
    assert home.h1.get_text(strip=True).startswith("A Minimal Series")
    (item,) = home.select(".series-note")
    assert words(item.select_one(".series-note__number").get_text()) == "A Minimal Series, no. 1 · February 2024"
    assert item.select_one(".series-note__title a")["href"] == "first-note/"
    assert [a["href"] for a in item.select(".series-note__authors a")] == ["authors/smith-jane/"]
    assert words(item.select_one(".series-note__abstract").get_text()).startswith("A tiny note, made up")
    assert home.find("link", rel="alternate", type="application/atom+xml")["href"] == "feed.xml"


def test_every_page_links_the_feed_and_the_feed_is_valid_atom(one):
    for path in sorted(one.site_dir.rglob("index.html")):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if "print" in path.parts:
            continue
        assert page.find("link", rel="alternate", type="application/atom+xml") is not None, path
    feed = feedparser.parse((one.site_dir / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10" and feed.feed.title == SERIES["name"]
    assert feed.feed.author == SERIES["publisher"] and feed.feed.id == "https://example.github.io/briefing/"
    (entry,) = feed.entries
    assert entry.title == "A Minimal Note: Rivers and Borders" and entry.link == (
        "https://example.github.io/briefing/first-note/")
    assert entry.published.startswith("2024-02-01") and [a.name for a in entry.authors] == ["Jane Smith"]
    assert entry.summary.startswith("A tiny note, made up for the generator's tests")


def test_the_references_page_lists_what_the_note_cites(one):
    entries = soup(one, "first-note/references").select("div.csl-entry")
    assert sorted(e["id"] for e in entries) == ["ref-rao2022notes", "ref-smith2020title", "ref-water2021river"]
    smith = soup(one, "first-note/references").select_one("#ref-smith2020title")
    assert [a["href"] for a in smith.select(".csl-entry__cited a")] == ["../first-chapter/#fn:1",
                                                                       "../second-chapter/#fn:4"]


def test_a_chapter_says_which_note_it_belongs_to_and_its_own_page_does_not(one):
    line = soup(one, "first-note/first-chapter").select_one("p.part-of")
    assert words(line.get_text()) == ("Part of A Minimal Note: Rivers and Borders, A Minimal Series, no. 1, "
                                      "February 2024")
    assert line.a["href"] == "../"
    assert soup(one, "first-note").select_one("p.part-of") is None
    edition = (one.site_dir / "first-note" / "print" / "index.html").read_text(encoding="utf-8")
    assert "part-of" not in edition  # web only


def test_the_404_page_lists_the_notes(one):
    page = BeautifulSoup((one.site_dir / "404.html").read_text(encoding="utf-8"), "html.parser")
    block = page.select_one(".not-found")
    assert [a["href"] for a in block.find_all("a")] == ["/briefing/", "/briefing/first-note/"]
    assert "A Minimal Note: Rivers and Borders" in block.get_text()


def test_the_author_page_lists_the_author_s_notes(one):
    page = soup(one, "authors/smith-jane")
    assert page.h1.get_text(strip=True).startswith("Dr Jane Smith")
    assert words(page.select_one(".series-author__affiliation").get_text()) == "Centre for Testing, Some University"
    assert [a["href"] for a in page.select(".series-note__title a")] == ["../../first-note/"]


def test_a_search_hit_is_named_by_its_note(one):
    docs = json.loads((one.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    titles = {doc["location"]: doc["title"] for doc in docs}
    assert titles["first-note/first-chapter/"] == "A Minimal Note › First Chapter"  # the short title, then the page
    assert titles[""] == "A Minimal Series" and "›" not in titles["authors/smith-jane/"]
    assert not [t for loc, t in titles.items() if "#" in loc and "›" in t]  # sections stay as they are


# ----------------------------------------------------------------------------- a series of two notes


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    """Adding a note is adding its folder: the same site, one more folder, nothing else edited."""
    root = tmp_path_factory.mktemp("series-of-two")
    result = build(make_site(root, note_pages(*TWO), options=series_options()), root / "site")
    assert result.ok, result.text()
    return result


def test_each_note_numbers_its_notes_from_one_with_its_own_first_citations(two, one):
    assert notes_of(two, "first-note/first-chapter") == notes_of(one, "first-note/first-chapter")
    second = notes_of(two, "second-note/only-chapter")
    assert list(second) == ["1", "2", "3"]
    # smith2020title is cited in the first note too: here its first citation is a full note again
    assert second["1"].startswith("Jane Smith, “A Title about Pakistan,” The Journal, January 2, 2020")
    assert second["3"] == "Smith, “A Title about Pakistan.”"
    entries = soup(two, "second-note/references").select("div.csl-entry")
    assert sorted(e["id"] for e in entries) == ["ref-rao2022notes", "ref-smith2020title"]  # what it cites only


def test_the_notes_are_newest_first_in_the_nav_the_home_page_and_the_feed(two):
    home = soup(two)
    assert [a.get_text(strip=True) for a in home.select(".series-note__title a")] == [
        "A Second Note", "A Minimal Note: Rivers and Borders"]
    sections = [words(label.get_text()) for label in home.select("nav.md-nav--primary > ul > li > label")]
    assert sections[:2] == ["A Second Note", "A Minimal Note: Rivers and Borders"]
    feed = feedparser.parse((two.site_dir / "feed.xml").read_bytes())
    assert not feed.bozo and [e.title for e in feed.entries] == ["A Second Note", "A Minimal Note: Rivers and Borders"]
    assert feed.entries[0].authors[0].href == "https://orcid.org/0000-0002-1825-0097"
    assert [t.term for t in feed.entries[0].tags] == ["rivers", "testing"]


def test_each_note_cites_itself_and_tags_its_pages(two):
    first = words(soup(two, "first-note").select_one('[data-style="chicago-bibliography"]').get_text())
    assert first.startswith("Smith, Jane. A Minimal Note: Rivers and Borders. A Minimal Series, no. 1.")
    # its index.md places no shortcode: its contents list and cite-this block come at the end
    second_home = soup(two, "second-note")
    assert [h.get_text(strip=True).rstrip("¶") for h in second_home.select("article h2")] == [
        "Abstract", "Contents", "Cite this note"]
    assert words(second_home.select_one('[data-style="chicago-note"]').get_text()).startswith(
        "Ali Khan and Jane Smith, A Second Note, A Minimal Series, no. 2")
    assert [a.get_text() for a in second_home.select("h2#contents + ol a")] == ["Only Chapter"]
    tags = {m.get("name"): m.get("content") for m in soup(two, "second-note/only-chapter").find_all("meta")
            if m.get("name")}
    assert tags["citation_title"] == "A Second Note" and tags["citation_technical_report_number"] == "2"
    assert tags["author"] == "Ali Khan and Jane Smith" and tags["citation_keywords"] == "rivers; testing"
    (edition_title,) = BeautifulSoup((two.site_dir / "second-note" / "print" / "index.html").read_text(
        encoding="utf-8"), "html.parser").select("title")
    assert edition_title.get_text() == "A Second Note"


def test_an_author_of_two_notes_has_one_page_listing_both(two):
    page = soup(two, "authors/smith-jane")
    assert [a.get_text(strip=True) for a in page.select(".series-note__title a")] == [
        "A Second Note", "A Minimal Note: Rivers and Borders"]
    assert soup(two, "authors/khan-ali").select_one(".series-author__orcid a")["href"] == (
        "https://orcid.org/0000-0002-1825-0097")


def test_a_series_of_several_authors_lists_them_first_in_its_authors_section(two, one):
    """The Authors section starts with the list of authors (authors/): a pruned navigation's
    section links to its first page, which was the first author's page."""
    page = soup(two, "authors")
    assert [(words(li.get_text()), li.a["href"]) for li in page.select("article li")] == [
        ("Ali Khan (1 note)", "khan-ali/"), ("Jane Smith (2 notes)", "smith-jane/")]
    nav = soup(two).select_one("nav.md-nav--primary")
    labels = [words(a.get_text()) for a in nav.select("a.md-nav__link, label.md-nav__link")]
    assert labels[labels.index("Authors") + 1:] == ["All authors", "Ali Khan", "Jane Smith"]
    assert not (one.site_dir / "authors" / "index.html").exists()  # one author: their page is the section


def test_on_an_author_s_own_page_their_name_is_no_link(two):
    """An author's page lists their notes with their own name as plain text (a link to the page
    itself leads nowhere), a co-author's name as a link to the co-author's page."""
    def bylines(page: str) -> list[tuple[str, list[str]]]:
        return [(words(line.get_text()), [a["href"] for a in line.find_all("a")])
                for line in soup(two, page).select(".series-note__authors")]

    assert bylines("authors/smith-jane") == [("Ali Khan and Jane Smith", ["../khan-ali/"]), ("Dr Jane Smith", [])]
    assert bylines("authors/khan-ali") == [("Ali Khan and Jane Smith", ["../smith-jane/"])]
    assert bylines("") == [("Ali Khan and Jane Smith", ["authors/khan-ali/", "authors/smith-jane/"]),
                           ("Dr Jane Smith", ["authors/smith-jane/"])]


def test_adding_a_note_renders_only_that_note_again(tmp_path, monkeypatch):
    """pandoc runs once per note; the notes already built come from the cache: a new note adds
    the time of its own pages."""
    from briefing.citations import pandoc
    from briefing.citations import render as citations

    citations._RENDER_CACHE.clear()  # results of other tests' builds in this process
    runs = []
    real = pandoc.PandocRun
    monkeypatch.setattr(pandoc, "PandocRun", lambda *args, **kwargs: runs.append(args) or real(*args, **kwargs))
    config = make_site(tmp_path, note_pages(*ONE), options=series_options())
    assert build(config, tmp_path / "site").ok and len(runs) == 1
    citations._RENDER_CACHE.clear()  # a new process: the disk cache only
    make_site(tmp_path, note_pages(*TWO), options=series_options())
    again = build(config, tmp_path / "site")
    assert again.ok, again.text()
    assert len(runs) == 2 and "second-note/index.md" not in str(runs[0])
    assert len(list((tmp_path / ".cache" / "plugin" / "citations").glob("*.json"))) == 2


def test_figures_are_the_note_s_own(fixture_site):
    """Each note's figures file beside its index.md: its callouts and its "At a glance" (which
    comes at the end of its page when the page places none)."""
    pages = note_pages(*TWO, changes={
        "second-note/only-chapter.md": "# Only Chapter\n\nThe report counts 12 crossings.[@rao2022notes]\n\n"
                                       "<!-- key-figure: crossings -->\n",
        "second-note/figures.yml": "- id: crossings\n  value: \"12\"\n  label: crossings\n  source: rao2022notes\n",
    })
    result = fixture_site(pages, options=series_options())
    assert result.ok, result.text()
    cards = soup(result, "second-note").select("li.at-a-glance__card")
    assert [words(c.select_one(".key-figure__value").get_text()) for c in cards] == ["12"]
    assert cards[0].select_one("a.at-a-glance__link")["href"] == "only-chapter/#stated-crossings"
    assert soup(result, "first-note").select("li.at-a-glance__card") == []
    assert soup(result, "first-note").find(id="at-a-glance") is None  # no figures: no "At a glance"
    assert not list(result.site_dir.rglob("figures.yml"))


# ----------------------------------------------------------------------------- what the build refuses


def test_a_note_folder_without_a_record_fails(fixture_site):
    pages = note_pages(*ONE, changes={"stray/chapter.md": "# Stray\n\nText.\n"})
    failing(fixture_site(pages, options=series_options()), "docs/stray/:", "needs its record",
            "docs/stray/index.md")
    pages = note_pages(*ONE, changes={"stray/index.md": "# Stray\n\n## Abstract\n\nText.\n"})
    failing(fixture_site(pages, options=series_options()), "docs/stray/index.md:1:", "no note record")


def test_two_notes_with_one_number_fail_naming_both(fixture_site):
    index = note_pages("second-note")["second-note/index.md"].replace("number: 2", "number: 1")
    result = fixture_site(note_pages(*TWO, changes={"second-note/index.md": index}), options=series_options())
    failing(result, "docs/second-note/index.md:13:", "note.number 1 is also the number of docs/first-note/index.md"
            " (line 10)")


@pytest.mark.parametrize("chapters, parts", [
    ("    - first-chapter.md\n    - first-chapter.md\n    - second-chapter.md\n",
     ("docs/first-note/index.md:14:", "chapter 'first-chapter.md' is listed twice", "line 13")),
    ("    - first-chapter.md\n    - second-chapter.md\n    - third-chapter.md\n",
     ("docs/first-note/index.md:15:", "'third-chapter.md' is listed in note.chapters but docs/first-note/"
                                       "third-chapter.md does not exist")),
    ("    - first-chapter.md\n",
     ("docs/first-note/index.md:12:", "docs/first-note/second-chapter.md is in the note's folder but not in "
                                       "note.chapters")),
    ("    - first-chapter.md\n    - second-chapter.md\n    - references.md\n",
     ("docs/first-note/index.md:15:", "the build makes the note's References page")),
])
def test_a_chapter_listed_twice_missing_or_not_listed_fails_with_its_line(fixture_site, chapters, parts):
    index = note_pages(*ONE)["first-note/index.md"].replace(
        "    - first-chapter.md\n    - second-chapter.md\n", chapters)
    failing(fixture_site(note_pages(*ONE, changes={"first-note/index.md": index}), options=series_options()), *parts)


@pytest.mark.parametrize("old, new, parts", [
    ("  number: 1\n", "  number: one\n", ("docs/first-note/index.md:10:", "note.number", "whole number")),
    ("  number: 1\n", "  number: true\n", ("docs/first-note/index.md:10:", "note.number")),
    ("  date: 2024-02\n", "  date: February 2024\n", ("docs/first-note/index.md:11:", "note.date", "YYYY-MM")),
    ("  date: 2024-02\n", "  date: 2024-02-30\n", ("docs/first-note/index.md:11:", "not a date")),
    ("  date: 2024-02\n", "  date: \"2024-13\"\n", ("docs/first-note/index.md:11:", "note.date", "YYYY-MM")),
    ("      family: Smith\n", "      family: [Smith]\n",
     ("docs/first-note/index.md:8:", "note.authors[0].family", "Expected type")),
    ("      family: Smith\n", "", ("docs/first-note/index.md:6:", "note.authors[0].family", "Required")),
    ("  number: 1\n", "  number: 1\n  colour: blue\n",
     ("docs/first-note/index.md:11:", "note.colour", "Unrecognised configuration name")),
    ("      family: Smith\n", "      family: Smith\n      orcid: 0000-0002-1825-0098\n",
     ("docs/first-note/index.md:9:", "note.authors[0].orcid", "check character")),
    ("  chapters:\n", "  chapters: first-chapter.md\n  old_chapters:\n",
     ("docs/first-note/index.md:12:", "note.chapters")),
    ("  title:", "  title: [x]\n  old_title:", ("docs/first-note/index.md:4:", "note.title", "Expected type")),
])
def test_a_record_field_of_the_wrong_type_or_unknown_fails_with_its_line(fixture_site, old, new, parts):
    index = note_pages(*ONE)["first-note/index.md"]
    assert old in index
    result = fixture_site(note_pages(*ONE, changes={"first-note/index.md": index.replace(old, new, 1)}),
                          options=series_options())
    failing(result, *parts)
    # each message says what to write instead, and only the record's mistakes are reported (a
    # refused record does not make its note's cite-this block "a page of no note" too)
    ours = [message for message in result.messages if message.startswith("briefing.")]
    assert all(message.startswith("briefing.series: docs/first-note/index.md:") for message in ours), ours
    assert all(": write " in message or ": remove it, or correct its name" in message for message in ours), ours


def test_a_figure_citing_a_source_only_another_note_cites_fails(fixture_site):
    """water2021river is cited in the first note only: the second note's figure may not claim it."""
    pages = note_pages(*TWO, changes={
        "second-note/figures.yml": "- id: rivers\n  value: \"12\"\n  label: rivers\n  source: water2021river\n"})
    failing(fixture_site(pages, options=series_options()), "docs/second-note/figures.yml:4:",
            "figure 'rivers' has source 'water2021river', which this note does not cite (only "
            "docs/first-note/index.md does)")


def test_nav_in_mkdocs_yml_is_refused_in_a_series(fixture_site):
    result = fixture_site(note_pages(*ONE), options=series_options(), nav=["index.md"])
    failing(result, "mkdocs.yml: nav:", "made from its notes' records", "remove nav:")
    served = fixture_site(note_pages(*ONE), options=series_options(), nav=["index.md"], strict=False)
    assert served.ok and (served.site_dir / "first-note" / "first-chapter" / "index.html").is_file()
    assert "First Chapter" in served.html()  # ignored: the records' nav


def test_a_full_bibliography_of_the_author_s_own_in_a_note_is_refused(fixture_site):
    pages = note_pages(*ONE, changes={"first-note/second-chapter.md": "# Second Chapter\n\nText.\n\n"
                                      "\\full_bibliography\n"})
    failing(fixture_site(pages, options=series_options()), "docs/first-note/second-chapter.md:5:",
            "\\full_bibliography in a note", "Delete it")


def test_a_full_bibliography_on_a_page_of_no_note_lists_the_whole_library(fixture_site):
    pages = note_pages(*ONE, changes={"sources.md": "# All Sources\n\n\\full_bibliography\n"})
    result = fixture_site(pages, options=series_options())
    assert result.ok, result.text()
    assert len(soup(result, "sources").select("div.csl-entry")) == 3


def test_moved_addresses_are_checked(fixture_site):
    result = fixture_site(note_pages(*ONE), options=series_options(moved={"first-note/": "elsewhere/"}))
    failing(result, "mkdocs.yml: briefing.series.moved: 'first-note/' is still an address of the site")
    failing(result, "'first-note/' moves to 'elsewhere/', which the site does not have")
    result = fixture_site(note_pages(*ONE), options=series_options(moved={"old/": "first-note/x.bib"}))
    failing(result, "briefing.series.moved", "a page moves to a page")
    # the data downloads are written last (briefing.pictures): a note without figures or timeline has none
    result = fixture_site(note_pages(*ONE), options=series_options(moved={"data/timeline.csv":
                                                                           "first-note/data/timeline.csv"}))
    failing(result, "mkdocs.yml: briefing.series.moved: 'data/timeline.csv' moves to 'first-note/data/timeline.csv', "
                    "which this build did not write")


def test_a_moved_pdf_address_is_left_out_when_pdfs_are_off(fixture_site, tmp_path, caplog):
    # The old address of a note's PDF (the real site's moved: has one) is not a mistake in a build
    # that renders no PDF (publication.pdf: false, or `mkdocs serve`): nothing is written there,
    # and the build says so once; a PDF no note has is still refused.
    pdf = "first-note/a-minimal-note-rivers-and-borders.pdf"
    caplog.set_level(logging.INFO, logger="mkdocs")
    result = fixture_site(note_pages(*ONE), options={**series_options(moved={"old.pdf": pdf}),
                                                     "publication": {"pdf": False}})
    assert result.ok, result.text()
    assert not (tmp_path / "site" / "old.pdf").exists()
    assert [m for m in result.messages if "old.pdf" in m] == [], result.text()
    said = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO and "'old.pdf'" in r.getMessage()]
    assert len(said) == 1, said
    assert said[0].endswith("briefing.series.moved: 'old.pdf' (a PDF) is not written: this build renders no PDF "
                            "(briefing.publication.pdf: false, or mkdocs serve)"), said
    result = fixture_site(note_pages(*ONE), options={**series_options(moved={"old.pdf": "first-note/other.pdf"}),
                                                     "publication": {"pdf": False}})
    failing(result, "'old.pdf' moves to 'first-note/other.pdf', which the site does not have")


def test_an_unknown_or_misspelt_shortcode_fails_with_its_line(fixture_site):
    pages = {"index.md": "# Home\n\n<!-- contnets -->\n\n<!-- Cite_This -->\n\n<!-- a plain comment -->\n"
                         "\n<!-- TODO -->\n\n```\n<!-- nosuch -->\n```\n"}
    result = fixture_site(pages)
    failing(result, "briefing.shortcodes: docs/index.md:3: unknown shortcode '<!-- contnets -->'")
    failing(result, "docs/index.md:5:", "write <!-- cite-this -->")
    assert len([m for m in result.messages if "shortcode" in m]) == 2  # comments and code are not shortcodes


def test_a_series_shortcode_on_a_plain_site_is_refused(fixture_site):
    failing(fixture_site({"index.md": "# Home\n\n<!-- notes -->\n"}), "docs/index.md:3:", "set briefing.series")


def test_a_folder_named_authors_is_refused(fixture_site):
    pages = note_pages(*ONE, changes={"authors/index.md": "# Us\n"})
    failing(fixture_site(pages, options=series_options()), "docs/authors/:", "author pages")


def first_note_in(folder: str) -> dict[str, str]:
    """The first fixture note's pages in a folder of another name."""
    return {key.replace("first-note/", f"{folder}/", 1): text for key, text in note_pages(*ONE).items()}


@pytest.mark.parametrize("folder", ['say "hi" & more', "Note 3", "<x>"])
def test_a_note_folder_whose_name_a_url_cannot_carry_as_it_is_is_refused(fixture_site, folder):
    """A note's folder name is its address, printed into links, lists and feeds: a quote, a
    space or an angle bracket there fails, naming the folder and a name that works."""
    failing(fixture_site(first_note_in(folder), options=series_options()), f"docs/{folder}/:", "note's address",
            "rename the folder, e.g. to '")


def test_a_note_folder_named_with_capitals_dots_and_underscores_builds(fixture_site):
    result = fixture_site(first_note_in("Note_2.1"), options=series_options())
    assert result.ok, result.text()
    assert (result.site_dir / "Note_2.1" / "first-chapter" / "index.html").is_file()


def test_an_old_record_under_publication_says_where_it_went(fixture_site):
    result = fixture_site(as_note({}), options={**series_options(), "publication": {"author": {"given": "x"}}})
    failing(result, "briefing.publication.author", "front matter under note:")


# ----------------------------------------------------------------------------- pure functions


RECORD = """---
note:
  title: "T: Sub"
  authors:
    - {given: A, family: B, affiliation: C}
  number: 4
  date: 2024-03-05
  chapters: [a.md]
---
# T
"""


def test_a_record_parses_with_the_line_of_each_field():
    record, problems = parse(RECORD, "t", "docs/t/index.md")
    assert problems == []
    assert record.date == "2024-03-05" and record.number == 4 and record.short_title == "T"
    assert record.line("number") == 6 and record.line("chapters", 0) == 8 and record.line("authors", 0, "given") == 5


def test_the_notes_sort_newest_first_a_month_before_its_days():
    def note(date, number):
        return parse(RECORD.replace("2024-03-05", date).replace("number: 4", f"number: {number}"), "t", "x")[0]

    ordered = series_notes.newest_first([note("2024-03", 1), note("2024-03-05", 2), note("2023-12-31", 3),
                                         note("2024-03", 4)])
    assert [n.number for n in ordered] == [2, 4, 1, 3]


def test_an_abstract_is_the_section_under_its_heading():
    source = "# T\n\n## Abstract\n\nFirst *para*.\n\nSecond.\n\n### Detail\n\nStill.\n\n## Contents\n\nNo.\n"
    text, line = series_notes.abstract(source)
    assert line == 3 and text == "First *para*.\n\nSecond.\n\n### Detail\n\nStill."
    assert series_notes.abstract("# T\n\nNo abstract.\n") is None


# ----------------------------------------------------------------------------- instant navigation's lists


def test_lists_of_pages_give_a_note_its_pages_and_every_page_outside_the_notes():
    from briefing.series import instant

    pages = [instant.Listed(src, f"https://x.org/{src.removesuffix('index.md')}") for src in
             ("index.md", "authors/smith/index.md", "a/index.md", "a/one.md", "b/index.md", "b/two.md")]
    lists = instant.lists(pages, {"a": "a/index.md", "b": "b/index.md"})
    locs = {name: [line[len("<url><loc>"):-len("</loc></url>")] for line in text.splitlines()
                   if line.startswith("<url>")] for name, text in lists.items()}
    assert locs == {
        "assets/pages.xml": ["https://x.org/", "https://x.org/authors/smith/", "https://x.org/a/", "https://x.org/b/"],
        "assets/pages/a.xml": ["https://x.org/", "https://x.org/authors/smith/", "https://x.org/a/", "https://x.org/a/one.md",
                               "https://x.org/b/"],
        "assets/pages/b.xml": ["https://x.org/", "https://x.org/authors/smith/", "https://x.org/a/", "https://x.org/b/",
                               "https://x.org/b/two.md"],
    }
    assert instant.xml(["https://x.org/?a=1&b=<2>"]).splitlines()[2] == \
        "<url><loc>https://x.org/?a=1&amp;b=&lt;2&gt;</loc></url>"


def test_each_page_names_its_list_of_pages_for_the_instant_navigation_and_each_list_is_the_sitemap_s(two):
    """Material's bundle parsed the whole sitemap on every first view (700 addresses at 50
    notes): a page of a note names its note's list, every other page the site's
    (briefing.series.instant; material-load.js sends the bundle's request there)."""
    import re
    import xml.etree.ElementTree as ET
    from urllib.parse import urljoin

    site = two.site_dir
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

    def locs(path) -> list[str]:
        return [loc.text for loc in ET.parse(path).getroot().findall("s:url/s:loc", ns)]

    everything = locs(site / "sitemap.xml")
    base = "https://example.github.io/briefing/"
    first = {base + p for p in ("first-note/", "first-note/first-chapter/", "first-note/second-chapter/",
                                "first-note/references/")}
    second = {base + p for p in ("second-note/", "second-note/only-chapter/", "second-note/references/")}
    outside = set(everything) - first - second
    assert base in outside and any("/authors/" in loc for loc in outside)
    assert set(locs(site / "assets/pages.xml")) == outside | {base + "first-note/", base + "second-note/"}
    assert set(locs(site / "assets/pages/first-note.xml")) == outside | first | {base + "second-note/"}
    assert set(locs(site / "assets/pages/second-note.xml")) == outside | second | {base + "first-note/"}
    named = {}
    for loc in everything:
        page = loc.removeprefix(base)
        html = (site / page / "index.html").read_text(encoding="utf-8")
        (script,) = re.findall(r'<script src="[^"]*material-load\.js" data-pages="([^"]+)"></script>', html)
        named[page] = urljoin(loc, script).removeprefix(base)
    assert named["first-note/second-chapter/"] == named["first-note/"] == "assets/pages/first-note.xml"
    assert named["second-note/only-chapter/"] == "assets/pages/second-note.xml"
    assert named[""] == "assets/pages.xml"
    assert {named[loc.removeprefix(base)] for loc in outside} == {"assets/pages.xml"}
    assert 'data-pages="/briefing/assets/pages.xml"' in (site / "404.html").read_text(encoding="utf-8")
