"""Printed (print media): a chapter shows its text and notes, without navigation or search; the
print edition (<note>/print/) printed by the browser is a print document, as its PDF is."""

from __future__ import annotations

from playwright.sync_api import expect

import printed
from browsing import PAGES, PRINT_EDITION, wait_for_site


def test_printed_chapter_shows_text_and_notes_only(page, tmp_path):
    page.goto(PAGES["security-challenge"])
    wait_for_site(page)
    page.emulate_media(media="print")
    expect(page.locator("article h1")).to_be_visible()
    expect(page.locator("article p").filter(has_text="Zabihullah Mujahid")).to_be_visible()
    notes = page.locator(".briefing-notes li")
    assert notes.count() > 0
    for index in range(notes.count()):
        expect(notes.nth(index)).to_be_visible()
    screen_only = (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search", ".md-footer")
    for hidden in (*screen_only, ".footnote-backref", ".note-link[href*='#ref-']"):
        for index in range(page.locator(hidden).count()):
            expect(page.locator(hidden).nth(index)).to_be_hidden()
    # on paper: no links to the bibliography page; the photograph frame gives its source's address
    pdf = tmp_path / "chapter.pdf"
    pdf.write_bytes(page.pdf(format="A4"))
    text = printed.text(pdf)
    assert "Bibliography" not in text
    source = page.locator(".source-figure__link").get_attribute("href")
    assert printed.line_breaks(text, source) and printed.schemes_broken(text) == []


def test_a_printed_page_says_what_paper_has(page):
    """The note's page printed by the browser: "At a glance" and the timeline say the paper words
    (reader.css), not "a link"; on screen the web words."""
    page.goto(PAGES["home"])
    wait_for_site(page)
    intro = page.locator(".at-a-glance__intro")
    expect(intro).to_contain_text("and a link to the paragraph that states it.", use_inner_text=True)
    expect(intro.locator(".paper-only").first).to_be_hidden()
    page.emulate_media(media="print")
    expect(intro).to_contain_text("and the chapter (and, in the PDF, the page) that states it.", use_inner_text=True)
    expect(intro.locator(".paper-only").first).to_be_visible()
    for words in intro.locator(".web-only").all():
        expect(words).to_be_hidden()
    assert printed.web_only_wording(intro.inner_text()) == []


def test_print_edition_printed_by_the_browser_is_a_print_document(page, tmp_path):
    page.goto(PRINT_EDITION)
    wait_for_site(page)
    pdf = tmp_path / "print-edition.pdf"
    pdf.write_bytes(page.pdf(format="A4"))  # print media, the page's @page rules
    text = printed.text(pdf)
    assert printed.web_only_wording(text) == []
    assert printed.schemes_broken(text) == []
    urls = {url for url in page.locator("main a[href^='http']").all_inner_texts() if url.startswith("http")}
    assert len(urls) >= 14
    for url in sorted(urls):
        places = printed.line_breaks(text, url)
        assert places, f"{url} is not in the printed text"
        assert all(printed.bad_breaks(url, breaks) == [] for breaks in places), url
    author_note = " ".join(page.locator(".author-note").inner_text().split())
    assert author_note in " ".join(text.split("\f")[0].split())  # on the byline's page
    lines = printed.lines(pdf)
    for entry in page.locator(".briefing-bibliography .csl-entry").all():
        first = " ".join(entry.locator("p").first.inner_text().split()[:3])
        (where,) = [(n, i) for n, lines_of in enumerate(lines) for i, line in enumerate(lines_of)
                    if line.text.startswith(first)]
        on_page = lines[where[0]][where[1]:]
        cited = next(line for line in on_page if line.text.startswith("Cited in"))  # on the entry's page
        assert cited.x > on_page[0].x + 10, first  # hanging indent
