"""Paper #2's print edition (<PAPER>/print/index.html) and its PDF: the whole note, the chapters in reading
order, notes 1-15 with the numbers they carry on the website, the bibliography; built offline;
and a print document: nothing only a screen can use, URLs broken where Chicago allows, the
bibliography with hanging indents and whole entries, the author note on the byline's page,
running heads naming the section, the record's date in the metadata."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from briefing.publication import record as _publication

import printed
from sitebuild import PAPER, paper_publication

ROOT = Path(__file__).resolve().parents[2]


def words(text: str) -> str:
    return " ".join(text.split())


def nav_titles() -> list[str]:
    """The note's pages in reading order, by the titles the edition gives its sections: the
    title page (the note's title), the chapters (note.chapters), References (made by the build)."""
    return ["Afghanistan and Pakistan: Friends or Foes?", "Historical Perspective", "Afghan Migration",
            "An Emerging Security Challenge in the Region", "Conclusion", "References"]


def site_notes(site_dir: Path) -> list[tuple[int, str]]:
    """(number, text) of every note on the website's pages, in page order."""
    notes = []
    for path in sorted((site_dir / PAPER).rglob("index.html")):
        if "print" in path.relative_to(site_dir).parts:
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for li in soup.select(".briefing-notes li[value]"):
            for link in li.select(".note-link, .footnote-backref"):
                link.decompose()
            notes.append((int(li["value"]), words(li.get_text())))
    return sorted(notes)


@pytest.fixture(scope="module")
def pub() -> _publication.Publication:
    return paper_publication()


@pytest.fixture(scope="module")
def pdf_path(real_site, pub) -> Path:
    return real_site.site_dir / pub.files()["pdf"]


@pytest.fixture(scope="module")
def pdf_lines(pdf_path) -> list[list[printed.Line]]:
    return printed.lines(pdf_path)


@pytest.fixture(scope="module")
def edition(real_site) -> BeautifulSoup:
    return BeautifulSoup((real_site.site_dir / PAPER / "print" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")


@pytest.fixture(scope="module")
def pdf_text(real_site, pub) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: `make test` installs Debian's poppler-utils (make pdf-tools)")
    pdf = real_site.site_dir / pub.files()["pdf"]
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout


def test_edition_has_every_page_in_reading_order(edition):
    sections = edition.select("main > section.edition-section")
    titles = [s.get("aria-label") for s in sections if "colophon" not in s["class"]]
    assert titles == nav_titles()
    assert "title-page" in sections[0]["class"]
    assert sections[0].h1.get_text(strip=True).startswith(nav_titles()[0])
    assert sections[-1]["id"] == "colophon"


def test_edition_keeps_the_note_numbers(edition, real_site):
    on_site = site_notes(real_site.site_dir)
    assert [n for n, _ in on_site] == list(range(1, 16))
    in_edition = []
    for li in edition.select(".briefing-notes li[value]"):
        number = li.select_one(".item-number").extract()  # the number, written out for paper
        assert number.get_text() == f"{li['value']}."
        for link in li.select(".note-xref, .footnote-backref"):  # on paper, a cross-reference for the links
            link.decompose()
        in_edition.append((int(li["value"]), words(li.get_text())))
    assert in_edition == on_site
    # each marker in the text points at its note in the edition
    for number in range(1, 16):
        marker = edition.find("sup", id=re.compile(rf"--fnref:{number}$"))
        assert marker is not None, number
        target = marker.a["href"].lstrip("#")
        assert edition.find(id=target).get("value") == str(number)


def test_edition_colophon_has_no_web_only_wording(edition):
    colophon = words(edition.find(id="colophon").get_text())
    assert printed.web_only_wording(colophon) == [] and colophon.startswith("About this edition")


PAPER_WORDS = "the chapter (and, in the PDF, the page) that states it"  # "At a glance" and the timeline, on paper


def on_paper(edition: BeautifulSoup) -> BeautifulSoup:
    """A copy of the print edition without what paper never shows: its screen-only navigation
    (back to the website, the PDF), its styles, and what is hidden."""
    paper = BeautifulSoup(str(edition), "html.parser")
    for element in paper.select(".screen-only, style, script, [hidden]"):
        element.decompose()
    return paper


def test_edition_has_no_web_only_wording(edition):
    paper = on_paper(edition)
    text = re.sub(r" ([.,;:])", r"\1", words(paper.main.get_text(" ")))  # no space an element's end added
    assert printed.web_only_wording(text) == []
    # what paper has instead: the chapter and the page of what the intros link on the web
    assert text.count(f"and {PAPER_WORDS}.") == 2
    assert "This summary is added to this edition;" in text and "This timeline is added to this edition;" in text
    assert "Drawn for this edition from the figures" in text


def test_paper_words_are_the_websites_hidden_ones(real_site):
    """On the website the paper words are hidden (and out of the search index); the web words show."""
    home = BeautifulSoup(real_site.html(PAPER), "html.parser")
    intro = home.select_one(".at-a-glance__intro")
    assert [span.has_attr("hidden") and span.has_attr("data-search-exclude")
            for span in intro.select(".paper-only")] == [True, True]
    assert "a link to the paragraph that states it" in intro.select_one(".web-only").get_text()
    index = (real_site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "a link to the paragraph that states it" in index and PAPER_WORDS not in index


def test_home_contents_list_numbers_the_chapters_only(edition):
    home = edition.find("section", id="home")
    chapters = [a.get_text() for a in home.find(id="home--contents").find_next("ol").select("a")]
    assert chapters == nav_titles()[1:-1]
    assert [a.get_text() for a in home.select(".contents-back a")] == ["References"]


def test_edition_has_the_bibliography(edition):
    references = edition.find("section", id="references")
    assert references is not None and len(references.select("[id*='--ref-']")) >= 13


def test_edition_ids_are_unique_and_internal_links_resolve(edition):
    ids = [tag["id"] for tag in edition.find_all(id=True)]
    assert len(ids) == len(set(ids))
    for link in edition.find_all("a", href=True):
        if link["href"].startswith("#"):
            assert link["href"][1:] in ids, link["href"]
        else:
            assert re.match(r"(https?:|mailto:|\.\./)", link["href"]), link["href"]


def test_pdf_has_title_page_chapters_notes_and_bibliography(pdf_text, pub, real_site):
    pages = pdf_text.split("\f")
    assert len(pages) >= 5
    first = words(pages[0])
    assert words(pub.title) in first and pub.author_display in first and "Abstract" in first
    text = words(pdf_text)
    for title in nav_titles()[1:]:
        assert title in text, title
    position = 0
    for number, note in site_notes(real_site.site_dir):
        start = " ".join(note.split()[:6])
        found = text.find(f"{number}. {start}", position)
        assert found >= 0, (number, start)
        position = found
    assert "About this edition" in text and pub.author_inverted in text


def test_pdf_has_no_web_only_wording(pdf_text, edition):
    assert printed.web_only_wording(pdf_text) == []
    assert words(pdf_text).count(f"and {PAPER_WORDS}.") == 2
    # what a print reader needs instead: the photograph's source, the short notes' full notes
    frame = edition.select_one(".source-figure__frame a")
    assert frame is not None and printed.line_breaks(pdf_text, frame["href"])
    assert "Pyrrhic Victory,” 1. See n. 2." in words(pdf_text)


def test_pdf_paper_words_read_on_in_their_line(pdf_lines):
    """The paper words are inline text: a chart caption's "Drawn for this edition from the figures"
    is one run of words, not three lines."""
    assert any("Drawn for this edition from the figures" in line.text for page in pdf_lines for line in page)


def text_from(element, count: int = 8) -> str:
    """The first words of what ``element`` holds (a paragraph) or, for an empty mark (a timeline
    event's place in its paragraph), of the text that follows it."""
    found = element.get_text() or "".join(itertools.islice(element.find_all_next(string=True), 30))
    return " ".join(found.split()[:count])


def test_pdf_stated_in_gives_the_page_of_the_paragraph(pdf_text, edition):
    """Each "Stated in <chapter>" of "At a glance" and the timeline gives, in the PDF, the page
    of what it names: the paragraph, or the date's place in it (print/paged.css: target-counter)."""
    pages = [words(page) for page in pdf_text.split("\f")]
    stated = re.findall(r"Stated in ([^,.]+?), p\. (\d+)", words(pdf_text))
    links = edition.select("a.at-a-glance__link, a.timeline__where")
    assert len(stated) == len(links) >= 20
    for (chapter, number), link in zip(stated, links, strict=True):
        start = text_from(edition.find(id=link["href"][1:]))
        starts = [index for index, page in enumerate(pages, start=1) if start in page]
        assert starts == [int(number)], (chapter, number, start)
        assert link.get_text().strip().endswith(f"Stated in {chapter}")


def test_pdf_urls_break_only_at_sensible_points(pdf_text, edition):
    urls = {a.get_text() for a in edition.select("main a[href^='http']") if a.get_text().startswith("http")}
    assert len(urls) >= 14
    broken = 0
    for url in sorted(urls):
        places = printed.line_breaks(pdf_text, url)
        assert places, f"{url} is not in the PDF's text"
        for breaks in places:
            assert printed.bad_breaks(url, breaks) == [], url
            broken += bool(breaks)
    assert broken  # some do break: the test sees breaks
    assert printed.schemes_broken(pdf_text) == []  # nor any other address


def test_pdf_bibliography_has_hanging_indents_and_whole_entries(pdf_lines, edition):
    entries = edition.select(".briefing-bibliography .csl-entry")
    assert len(entries) >= 13
    hanging = 0
    for entry in entries:
        first = " ".join(words(entry.p.get_text()).split()[:3])
        cited = words(entry.select_one(".csl-entry__cited").get_text())
        (where,) = [(n, i) for n, page in enumerate(pdf_lines) for i, line in enumerate(page)
                    if line.text.startswith(first)]
        page, start = pdf_lines[where[0]], where[1]
        end = next(i for i in range(start, len(page)) if page[i].text.startswith("Cited in"))
        assert page[end].text == cited, first  # the entry and its "Cited in" line on one page
        body = page[start + 1:end]
        assert all(line.x > page[start].x + 10 for line in body + [page[end]]), first  # hanging indent
        hanging += bool(body)
    assert hanging >= len(entries) // 2


def test_pdf_author_note_is_on_the_byline_page(pdf_lines, edition):
    note = words(edition.select_one(".author-note").get_text())
    first_page = " ".join(line.text for line in pdf_lines[0])
    assert note in first_page


def test_pdf_running_heads_name_the_section(pdf_lines, edition):
    """A page's running head (above the text block) names the section it is in at its top: the
    chapter, on the title page's later pages its part ("At a glance" on a page that goes on with
    its cards, though "Timeline" starts lower down), the colophon; none above a section's own heading."""
    sections = edition.select("main > section")
    openings = {words(section.find(["h1", "h2"]).get_text()) for section in sections}
    headings = openings | {words(h.get_text()) for h in edition.select(".title-page > h2")}
    top = 24 * 72 / 25.4  # the page's top margin (styles.html: 24mm)
    current, heads = None, 0
    for number, page in enumerate(pdf_lines, start=1):
        head = [line.text for line in page if line.y < top]
        body = [line.text for line in page if line.y >= top]
        on_page = [text for text in body if text in headings]
        if number == 1 or body[0] in openings:
            assert head == [], number
        else:
            assert head == [body[0] if body[0] in headings else current], number
            heads += 1
        current = on_page[-1] if on_page else current
    assert heads >= 5 and current == words(sections[-1].h2.get_text())


def test_pdf_metadata(pdf_path, pub):
    info = subprocess.run(["pdfinfo", "-rawdates", str(pdf_path)], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    fields = {key: value.strip() for key, value in (line.split(":", 1) for line in info.splitlines() if ":" in line)}
    assert fields["Title"] == pub.title
    assert fields["Author"] == pub.author_display
    # the publication date as the record gives it ("2023-11": PDF's D:YYYYMM), no invented day or time
    assert fields["CreationDate"] == "D:" + pub.iso_date.replace("-", "")
    assert "ModDate" not in fields
