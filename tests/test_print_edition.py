"""The print edition (print/index.html) and its PDF: the whole note, the chapters in reading
order, notes 1-15 with the numbers they carry on the website, the bibliography; built offline;
and a print document: nothing only a screen can use, URLs broken where Chicago allows, the
bibliography with hanging indents and whole entries, the author note on the byline's page,
running heads naming the section, the record's date in the metadata."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import time
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.config import load_config

from briefing.publication import pdf as _pdf
from briefing.publication import print_edition as pe
from briefing.publication import record as _publication

import printed
from sitebuild import real_config

ROOT = Path(__file__).resolve().parent.parent




def words(text: str) -> str:
    return " ".join(text.split())


def nav_titles() -> list[str]:
    return [next(iter(item)) for item in real_config()["nav"]]


def site_notes(site_dir: Path) -> list[tuple[int, str]]:
    """(number, text) of every note on the website's pages, in page order."""
    notes = []
    for path in sorted(site_dir.rglob("index.html")):
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
    record, _ = _publication.load(load_config(str(ROOT / "mkdocs.yml")))
    return record


@pytest.fixture(scope="module")
def paper():
    """The on-paper wording (partials/print-edition/paper.html) from the project's theme."""
    return pe.paper_macros(load_config(str(ROOT / "mkdocs.yml")).theme.get_env())


@pytest.fixture(scope="module")
def pdf_path(real_site, pub) -> Path:
    return real_site.site_dir / pub.files()["pdf"]


@pytest.fixture(scope="module")
def pdf_lines(pdf_path) -> list[list[printed.Line]]:
    return printed.lines(pdf_path)


@pytest.fixture(scope="module")
def edition(real_site) -> BeautifulSoup:
    return BeautifulSoup((real_site.site_dir / "print" / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def pdf_text(real_site, pub) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: `make test` installs Debian's poppler-utils (make pdf-tools)")
    pdf = real_site.site_dir / pub.files()["pdf"]
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout


# ----------------------------------------------------------------------------- pure functions
ANCHORS = {"": "home", "chapter/": "chapter", "references/": "references"}


@pytest.mark.parametrize("href, expected", [
    ("#fn:3", "#chapter--fn:3"),
    ("#", "#chapter"),
    ("../references/#ref-key", "#references--ref-key"),
    ("../references/", "#references"),
    ("../", "#home"),
    ("../index.html#abstract", "#home--abstract"),
    ("../file.pdf", "https://example.org/note/file.pdf"),
    ("https://www.example.com/a#b", "https://www.example.com/a#b"),
    ("mailto:a@b.org", "mailto:a@b.org"),
])
def test_links_become_links_inside_the_edition(href, expected):
    section = pe.Section("chapter.md", "chapter/", "Chapter", "")
    assert pe.rewrite_href(href, section, ANCHORS, "https://example.org/note/") == expected


def test_section_html_prefixes_ids_and_drops_web_only_parts(paper):
    html = ('<h2 id="a">A<a class="headerlink" href="#a">¶</a></h2><div class="cite-this">x</div>'
            '<p><label for="f">L</label><sup id="fnref:1"><a href="#fn:1">1</a></sup></p>')
    out = pe.section_html(pe.Section("chapter.md", "chapter/", "C", html), ANCHORS, "", paper)
    assert 'id="chapter--a"' in out and 'for="chapter--f"' in out and 'href="#chapter--fn:1"' in out
    assert "headerlink" not in out and "cite-this" not in out


def soup_of(section_html: str) -> BeautifulSoup:
    return BeautifulSoup(section_html, "html.parser")


def test_a_short_note_cross_refers_to_its_full_note_in_words(paper):
    notes = ('<ol><li id="fn:3" value="3"><p>Smith, “Title.” <a class="note-link" href="#fn:2">Full note: n. 2</a> '
             '<a class="note-link" href="../references/#ref-smith">Bibliography</a> '
             '<a class="footnote-backref" href="#fnref:3">↩</a></p></li>'
             '<li id="fn:4" value="4"><p>Both. <a class="note-link" href="#fn:1">Full note: n. 1</a> '
             '<a class="note-link" href="#fn:2">Full note: n. 2</a> <a class="note-link" href="../references/#ref-a">'
             'Bibliography: A</a></p></li>'
             '<li id="fn:5" value="5"><p>Jones, “Other,” 2020. <a class="note-link" href="../references/#ref-j">'
             'Bibliography</a></p></li></ol>')
    out = soup_of(pe.section_html(pe.Section("chapter.md", "chapter/", "C", notes), ANCHORS, "", paper))
    assert not out.select(".note-link")
    three, four, five = (words(li.p.get_text()) for li in out.select("li"))
    assert three.startswith("Smith, “Title.” See n. 2.") and "Bibliography" not in three
    assert four.startswith("Both. See nn. 1, 2.") and "Bibliography" not in four
    assert "See" not in five and "Bibliography" not in five
    assert [a["href"] for a in out.select(".note-xref a")] == ["#chapter--fn:2", "#chapter--fn:1", "#chapter--fn:2"]


def test_a_picture_frame_gives_the_source_address_on_paper(paper):
    html = ('<figure class="source-figure"><div class="source-figure__frame"><p>The photograph is not reproduced '
            'on this site. <a class="source-figure__link" href="https://news.example.org/a-1">View it in the source '
            'article</a></p></div><figcaption><p>A caption.</p></figcaption></figure>')
    out = soup_of(pe.section_html(pe.Section("chapter.md", "chapter/", "C", html), ANCHORS, "", paper))
    frame = words(out.select_one(".source-figure__frame").get_text())
    assert "this site" not in frame and "View it" not in frame
    assert frame.endswith("It appears in the source article, https://news.example.org/a-1.")
    assert out.select_one(".source-figure__frame a")["href"] == "https://news.example.org/a-1"
    assert words(out.figcaption.get_text()) == "A caption."


def test_the_author_note_moves_to_the_end_of_the_byline_block(paper):
    html = ('<h1>T</h1><p class="note-byline">Jane<sup><a href="#fn:author">*</a></sup></p><p>Series</p>'
            '<h2>Abstract</h2><p>Text.</p><h2>At a glance</h2><ul><li>x</li></ul>'
            '<div class="footnote author-note"><div id="fn:author"><p>* Fellow.</p></div></div>')
    out = soup_of(pe.section_html(pe.Section("index.md", "", "Home", html), {**ANCHORS, "": "home"}, "", paper))
    order = [el.name + ("*" if "author-note" in el.get("class", []) else "") for el in out.find_all(recursive=False)]
    assert order == ["h1", "p", "p", "div*", "h2", "p", "h2", "ul"]


@pytest.mark.parametrize("url, parts", [
    ("https://www.example.com/a-b/c_d.pdf?x=1&y=2#top",
     ["https://", "www", ".example", ".com", "/a", "-b", "/c", "_d", ".pdf", "?x", "=", "1", "&", "y", "=", "2",
      "#top"]),
    ("https://example.org/", ["https://", "example", ".org/"]),
    ("http://a.org//b", ["http://", "a", ".org", "//b"]),
    ("mailto:a@b.org", ["mailto:a@b", ".org"]),
])
def test_url_parts_break_where_chicago_allows(url, parts):
    assert pe.url_parts(url) == parts
    assert printed.bad_breaks(url, [len("".join(parts[:i])) for i in range(1, len(parts))]) == []


def test_url_parts_never_leave_a_run_longer_than_a_line():
    url = "https://example.org/" + "x" * 100
    parts = pe.url_parts(url)
    assert "".join(parts) == url and max(len(part) for part in parts) <= pe.LONGEST_PART


def test_links_showing_their_url_break_only_between_parts(paper):
    html = '<p>See <a href="https://example.org/a-b">https://example.org/a-b</a> and <a href="#x">text</a>.</p>'
    out = pe.section_html(pe.Section("chapter.md", "chapter/", "C", html), ANCHORS, "", paper)
    link = soup_of(out).a
    assert [span.get_text() for span in link.select("span.url-part")] == ["https://", "example", ".org", "/a", "-b"]
    assert link.get_text() == "https://example.org/a-b"  # copied text stays the address
    assert "<wbr>" in out and "</wbr>" not in out


def test_pdf_build_never_goes_online():
    refused: list[_pdf.Refusal] = []
    with pytest.raises(ValueError, match="does not load"):
        _pdf.local_only_fetcher(ROOT / "site", refused).fetch("https://fonts.example.com/font.woff2")
    assert [r.url for r in refused] == ["https://fonts.example.com/font.woff2"] and "network" in refused[0].reason


def test_pdf_reads_the_sites_own_files_only(tmp_path):
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "dot.png").write_bytes(png(2, 2))
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    refused: list[_pdf.Refusal] = []
    fetcher = _pdf.local_only_fetcher(site, refused)
    from weasyprint.urls import fetch  # how WeasyPrint 70 calls a fetcher (it reads _fail_on_errors)

    with fetch(fetcher, (site / "assets" / "dot.png").as_uri()) as response:
        assert response.read().startswith(b"\x89PNG")
    with fetch(fetcher, "data:text/plain,x") as response:
        assert response.read() == b"x"
    for url in ("https://fonts.example.com/font.woff2", (tmp_path / "secret.txt").as_uri(),
                (site / ".." / "secret.txt").as_uri(), (site / "assets" / "none.png").as_uri()):
        with pytest.raises(ValueError, match="does not load"):
            fetcher.fetch(url)
    assert [r.url for r in refused][:1] == ["https://fonts.example.com/font.woff2"] and len(refused) == 4
    assert "network" in refused[0].reason and "outside the built site" in refused[1].reason
    assert "outside the built site" in refused[2].reason and "cannot be read" in refused[3].reason


def test_refused_addresses_are_located_by_page_and_line():
    sources = {"docs/a.md": "# A\n\n![x](https://cdn.example.org/x.png?a=1&b=2)\n",
               "docs/b.md": "# B\n\n<img src=\"https://cdn.example.org/x.png?a=1&amp;b=2\">\n\n![y](../../y.png)\n"}
    assert _pdf.locate("https://cdn.example.org/x.png?a=1&b=2", sources) == ["docs/a.md:3", "docs/b.md:3"]
    assert _pdf.locate("file:///tmp/y.png", sources) == ["docs/b.md:5"]
    assert _pdf.locate("https://elsewhere.example/z.css", sources) == []


# ----------------------------------------------------------------------------- the HTML edition
def test_edition_has_every_page_in_reading_order(edition):
    sections = edition.select("main > section.edition-section")
    titles = [s.get("aria-label") for s in sections if "colophon" not in s["class"]]
    assert titles == nav_titles()
    assert "title-page" in sections[0]["class"]
    assert sections[0].h1.get_text(strip=True).startswith(real_config()["site_name"])
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


# ----------------------------------------------------------------------------- the PDF
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
    # what a print reader needs instead: the photograph's source, the short notes' full notes
    frame = edition.select_one(".source-figure__frame a")
    assert frame is not None and printed.line_breaks(pdf_text, frame["href"])
    assert "Pyrrhic Victory,” 1. See n. 2." in words(pdf_text)


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
    """A page's running head (above the text block) names the section it is in: the chapter, on the
    title page's later pages its part ("At a glance"), the colophon; none above a section's own heading."""
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
            assert head == [on_page[0] if on_page else current], number
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


def test_pdf_can_be_turned_off(fixture_site):
    extra = real_config()["extra"]
    extra["publication"] = {**extra["publication"], "pdf": False}
    result = fixture_site({"index.md": "# Home\n\n<!-- cite-this -->\n", "chapter.md": "# Chapter\n\nText.\n"},
                          extra=extra)
    assert result.ok, result.text()
    assert not list(result.site_dir.glob("*.pdf"))
    assert (result.site_dir / "print" / "index.html").is_file()
    assert "Download PDF" not in result.html()


def test_no_pdf_under_mkdocs_serve_unless_asked(fixture_site, monkeypatch):
    monkeypatch.setitem(_publication.PROCESS, "serving", True)  # what on_startup("serve") sets
    pages = {"index.md": "# Home\n\n<!-- cite-this -->\n", "chapter.md": "# Chapter\n\nText.\n"}
    result = fixture_site(pages)
    assert result.ok, result.text()
    assert not list(result.site_dir.glob("*.pdf")) and "Download PDF" not in result.html()
    assert (result.site_dir / "print" / "index.html").is_file()
    extra = real_config()["extra"]
    extra["publication"] = {**extra["publication"], "pdf_when_serving": True}
    result = fixture_site(pages, extra=extra)
    assert result.ok, result.text()
    assert list(result.site_dir.glob("*.pdf")) and "Download PDF" in result.html()


def test_missing_weasyprint_or_pango_is_a_clear_error(monkeypatch, tmp_path):
    from mkdocs.exceptions import PluginError

    (tmp_path / "print.html").write_text("<p>x</p>", encoding="utf-8")
    monkeypatch.setitem(__import__("sys").modules, "weasyprint", None)  # import fails like a missing Pango
    with pytest.raises(PluginError, match="pdf: false"):
        pe.write_pdf(tmp_path / "print.html", tmp_path, tmp_path / "x.pdf", 60)


# ----------------------------------------------------------------------------- images, deadlines
def png(width: int, height: int, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A small RGB PNG, made here (no binary fixture in the repository)."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def pdf_images(pdf: Path) -> list[list[str]]:
    """The rows of `pdfimages -list` (page, num, type, width, height, ...)."""
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True,
                             timeout=60).stdout
    return [line.split() for line in listing.splitlines()[2:]]


def test_local_images_are_in_the_print_edition_and_the_pdf(fixture_site, tmp_path):
    pages = {"index.md": "# Home\n\n![A red bar](assets/bar.png)\n",
             "chapter.md": "# Chapter\n\nText.\n\n![A blue bar](img/blue.png)\n"}
    (tmp_path / "docs" / "assets").mkdir(parents=True)
    (tmp_path / "docs" / "img").mkdir(parents=True)
    (tmp_path / "docs" / "assets" / "bar.png").write_bytes(png(40, 20))
    (tmp_path / "docs" / "img" / "blue.png").write_bytes(png(30, 10, (20, 40, 200)))
    result = fixture_site(pages)
    assert result.ok, result.text()
    edition = BeautifulSoup((result.site_dir / "print" / "index.html").read_text(encoding="utf-8"), "html.parser")
    sources = [img["src"] for img in edition.select("main img")]
    assert sources == ["../assets/bar.png", "../img/blue.png"]
    assert all((result.site_dir / "print" / src).resolve().is_file() for src in sources)
    (pdf,) = result.site_dir.glob("*.pdf")
    sizes = sorted((row[3], row[4]) for row in pdf_images(pdf))
    assert sizes == [("30", "10"), ("40", "20")]


def test_a_remote_image_fails_naming_page_and_line(fixture_site):
    pages = {"index.md": "# Home\n\nText.\n", "chapter.md": "# Chapter\n\nText.\n\n![far](https://cdn.example.org/x.png)\n"}
    result = fixture_site(pages)
    assert not result.ok
    # the link policy refuses it as the page is built (and takes it out of the page, so neither
    # the print edition nor the PDF ever sees it; the PDF's own fetcher refuses the network too:
    # test_pdf_reads_the_sites_own_files_only)
    message = next(m for m in result.messages if "cdn.example.org/x.png" in m)
    assert "docs/chapter.md:5: third-party request (<img src>)" in message
    assert "cdn.example.org" not in (result.site_dir / "print" / "index.html").read_text(encoding="utf-8")


def test_pdf_timeout_stops_the_renderer(tmp_path):
    """A real bound: the child is killed at the deadline; no PDF, no partial file, no process left."""
    import multiprocessing

    import weasyprint  # noqa: F401 - imported before the clock starts (render imports it first)

    page = tmp_path / "print.html"
    page.write_text("<table>" + "<tr><td>cell text</td><td>more</td></tr>" * 40_000 + "</table>", encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(_pdf.PdfTimeout):
        _pdf.render(page, tmp_path / "out.pdf", tmp_path, timeout=0.5)
    assert time.perf_counter() - started < 5  # the whole table takes far longer
    assert sorted(p.name for p in tmp_path.iterdir()) == ["print.html"]
    assert multiprocessing.active_children() == []


def test_pdf_timeout_is_a_strict_failure_saying_what_to_do(fixture_site):
    extra = real_config()["extra"]
    extra["publication"] = {**extra["publication"], "pdf_timeout": 0.01}
    result = fixture_site({"index.md": "# Home\n\nText.\n"}, extra=extra)
    assert not result.ok
    assert any("stopped after 0.01 s (extra.publication.pdf_timeout)" in m and "pdf: false" in m
               for m in result.messages), result.text()
    assert not list(result.site_dir.glob("*.pdf*")) and not list(result.site_dir.glob(".*.part"))


def test_a_failed_strict_build_spends_no_time_on_the_pdf(fixture_site, monkeypatch):
    calls = []
    monkeypatch.setattr(_pdf, "render", lambda *args, **kwargs: calls.append(args))
    result = fixture_site({"index.md": "# Home\n\nText.[@nosuchkey2020]\n"})
    assert not result.ok and any("nosuchkey2020" in m for m in result.messages)
    assert calls == [] and not list(result.site_dir.glob("*.pdf"))
    assert (result.site_dir / "print" / "index.html").is_file()
