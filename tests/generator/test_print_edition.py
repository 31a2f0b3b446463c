"""A note's print edition (<note>/print/index.html) and its PDF: the whole note, the chapters in
reading order, its notes with the numbers they carry on the website, its bibliography; built offline;
and a print document: nothing only a screen can use, URLs broken where Chicago allows, the
bibliography with hanging indents and whole entries, the author note on the byline's page,
running heads naming the section, the record's date in the metadata."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.config import load_config

from briefing.publication import edition as pe
from briefing.publication import pdf as _pdf
from briefing.publication import print_edition

import printed
from sitebuild import MINIMAL, NOTE, as_note, series_options

ROOT = Path(__file__).resolve().parents[2]




def words(text: str) -> str:
    return " ".join(text.split())








@pytest.fixture(scope="module")
def paper():
    """The on-paper wording (partials/print-edition/paper.html) from the generator's templates."""
    from briefing.common import theme

    config = load_config(str(MINIMAL / "mkdocs.yml"))
    theme.add_template_dirs(config)
    return pe.paper_macros(config.theme.get_env())










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


def _rewrite_href_by_urljoin(href, section, anchors, site_url, root="../"):
    """rewrite_href as it was before its fast paths: every link through urljoin and urlsplit."""
    import posixpath
    from urllib.parse import urljoin, urlsplit

    if href.startswith("#"):
        return f"#{anchors[section.url]}--{href[1:]}" if len(href) > 1 else f"#{anchors[section.url]}"
    absolute = urljoin(pe._BASE + section.url, href)
    if not absolute.startswith(pe._BASE):
        return href
    parts = urlsplit(absolute)
    path = posixpath.normpath(parts.path.lstrip("/")) if parts.path.strip("/") else ""
    path = "" if path in (".", "index.html") else path
    for candidate in (path, path + "/", path.removesuffix("index.html")):
        if candidate in anchors:
            return f"#{anchors[candidate]}--{parts.fragment}" if parts.fragment else f"#{anchors[candidate]}"
    target = path + ("#" + parts.fragment if parts.fragment else "")
    return site_url + target if site_url else root + target


@pytest.mark.parametrize("href", [
    "../references/#ref-key", "../references/?q=1#ref-key", "../references/#", "references/#x", "./#a", "..#a",
    "/chapter/#b", "//site.invalid/chapter/", "../file.pdf?v=2", "?x#y", "index.html",
    "https://www.example.com/a#b", "http://site.invalid/chapter/#c", "http://site.invalid", "HTTP://site.invalid/x",
    "https://site.invalid/chapter/", "http://SITE.INVALID/chapter/", "http://site.in\tvalid/chapter/#d",
    " http://site.invalid/chapter/", "http:chapter/#e", "http:///chapter/", "ftp://example.org/x", "mailto:a@b.org",
])
def test_rewrite_href_says_what_urljoin_says(href):
    """The fast paths (absolute URLs to other sites; one resolution per page address, whatever its
    fragment) give what resolving every link with urljoin gave, odd addresses included."""
    section = pe.Section("chapter.md", "chapter/", "Chapter", "")
    for site_url in ("", "https://example.org/note/"):
        assert pe.rewrite_href(href, section, ANCHORS, site_url) == _rewrite_href_by_urljoin(
            href, section, ANCHORS, site_url)


def test_rewrite_href_resolves_each_page_address_once(monkeypatch):
    """A note's links to one page differ in their fragment: the address is resolved once; a link to
    another site is not resolved at all."""
    pe._site_path.cache_clear()
    joined = []
    real = pe.urljoin
    monkeypatch.setattr(pe, "urljoin", lambda base, url: joined.append(url) or real(base, url))
    section = pe.Section("chapter.md", "chapter/", "Chapter", "")
    out = [pe.rewrite_href(f"../references/#ref-k{n}", section, ANCHORS, "") for n in range(50)]
    out.append(pe.rewrite_href("https://www.example.com/a#b", section, ANCHORS, ""))
    assert out[:2] == ["#references--ref-k0", "#references--ref-k1"] and out[-1] == "https://www.example.com/a#b"
    assert joined == ["../references/"]


def test_section_html_prefixes_ids_and_drops_web_only_parts(paper):
    html = ('<h2 id="a">A<a class="headerlink" href="#a">¶</a></h2><div class="cite-this">x</div>'
            '<p><label for="f">L</label><sup id="fnref:1"><a href="#fn:1">1</a></sup></p>')
    out = pe.section_html(pe.Section("chapter.md", "chapter/", "C", html), ANCHORS, "", paper)
    assert 'id="chapter--a"' in out and 'for="chapter--f"' in out and 'href="#chapter--fn:1"' in out
    assert "headerlink" not in out and "cite-this" not in out


def test_paper_words_replace_the_web_words_on_paper(paper):
    """paper.html's web_or_paper: the web words on the website, the paper words (hidden there, and
    out of the search index) in the edition."""
    on_web = str(paper.web_or_paper("a link to the paragraph", "the chapter"))
    web = BeautifulSoup(on_web, "html.parser")
    assert words(web.select_one(".web-only").get_text()) == "a link to the paragraph"
    hidden = web.select_one(".paper-only")
    assert hidden.has_attr("hidden") and hidden.has_attr("data-search-exclude")
    out = pe.section_html(pe.Section("chapter.md", "chapter/", "C", f"<p>and {on_web}.</p>"), ANCHORS, "", paper)
    assert words(soup_of(out).get_text()) == "and the chapter."
    assert "hidden" not in out and "data-search-exclude" not in out


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


def test_a_file_name_with_a_percent_sign_is_the_file_the_pdf_loaded(tmp_path):
    """A URL's %-escapes are decoded once, as WeasyPrint's loader decodes them: the file
    "a%41.png" is "a%2541.png" in its URL, not "aA.png" (the PDF cache checks each file it
    loaded)."""
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "a%41.png").write_bytes(png(2, 2))
    (site / "assets" / "aA.png").write_bytes(png(2, 2))
    url = (site / "assets" / "a%41.png").as_uri()
    assert url.endswith("/assets/a%2541.png")
    assert _pdf.site_path(url, site) == "assets/a%41.png"
    assert _pdf.refusal((site / "%2E%2E" / "x").as_uri(), site) is None  # a folder named "%2E%2E", in the site
    assert "outside the built site" in _pdf.refusal(site.as_uri() + "/%2E%2E/x", site)  # "..": outside
    loaded: list[str] = []
    fetcher = _pdf.local_only_fetcher(site, [], loaded=loaded)
    from weasyprint.urls import fetch

    with fetch(fetcher, url) as response:
        assert response.read().startswith(b"\x89PNG")
    assert loaded == ["assets/a%41.png"]


def test_refused_addresses_are_located_by_page_and_line():
    sources = {"docs/a.md": "# A\n\n![x](https://cdn.example.org/x.png?a=1&b=2)\n",
               "docs/b.md": "# B\n\n<img src=\"https://cdn.example.org/x.png?a=1&amp;b=2\">\n\n![y](../../y.png)\n"}
    assert _pdf.locate("https://cdn.example.org/x.png?a=1&b=2", sources) == ["docs/a.md:3", "docs/b.md:3"]
    assert _pdf.locate("file:///tmp/y.png", sources) == ["docs/b.md:5"]
    assert _pdf.locate("https://elsewhere.example/z.css", sources) == []


# ----------------------------------------------------------------------------- the HTML edition












# ----------------------------------------------------------------------------- the PDF














def test_pdf_can_be_turned_off(fixture_site):
    result = fixture_site(as_note({"index.md": "# Home\n\n<!-- cite-this -->\n", "chapter.md": "# Chapter\n\nText.\n"}),
                          options={**series_options(), "publication": {"pdf": False}})
    assert result.ok, result.text()
    assert not list(result.site_dir.rglob("*.pdf"))
    assert (result.site_dir / NOTE / "print" / "index.html").is_file()
    assert "Download PDF" not in result.html(NOTE)


def test_each_edition_is_written_after_its_last_page_and_the_pages_let_go(fixture_site, monkeypatch):
    """A note's edition is written as soon as its last page is rendered (not at the end of the build)
    and its pages are not kept after that: the build holds one note's pages at a time."""
    import inspect

    written = []
    real = print_edition.write_edition

    def write_edition(build, note):
        written.append((note, inspect.stack()[1].function, sorted(note.sections)))
        return real(build, note)

    monkeypatch.setattr(print_edition, "write_edition", write_edition)
    result = fixture_site(as_note({"index.md": "# Home\n\n<!-- cite-this -->\n", "chapter.md": "# Chapter\n\nText.\n"}),
                          options={**series_options(), "publication": {"pdf": False}})
    assert result.ok, result.text()
    assert [(caller, pages) for _note, caller, pages in written] == [
        ("on_page_context", [f"{NOTE}/chapter.md", f"{NOTE}/index.md", f"{NOTE}/references.md"])]
    assert written[0][0].sections == {} and written[0][0].edition == result.site_dir / NOTE / "print" / "index.html"
    assert "Chapter" in (result.site_dir / NOTE / "print" / "index.html").read_text(encoding="utf-8")


def test_no_pdf_under_mkdocs_serve_unless_asked(fixture_site):
    pages = as_note({"index.md": "# Home\n\n<!-- cite-this -->\n", "chapter.md": "# Chapter\n\nText.\n"})
    result = fixture_site(pages, options={**series_options(), "publication": {"pdf": True}}, command="serve")
    assert result.ok, result.text()
    assert not list(result.site_dir.rglob("*.pdf")) and "Download PDF" not in result.html(NOTE)
    assert (result.site_dir / NOTE / "print" / "index.html").is_file()
    result = fixture_site(pages, options={**series_options(), "publication": {"pdf": True, "pdf_when_serving": True}},
                          command="serve")
    assert result.ok, result.text()
    assert list((result.site_dir / NOTE).glob("*.pdf")) and "Download PDF" in result.html(NOTE)


def test_missing_weasyprint_or_pango_is_a_clear_error(monkeypatch, tmp_path):
    from mkdocs.exceptions import PluginError

    (tmp_path / "print.html").write_text("<p>x</p>", encoding="utf-8")
    monkeypatch.setitem(__import__("sys").modules, "weasyprint", None)  # import fails like a missing Pango
    with pytest.raises(PluginError, match="pdf: false"):
        print_edition.write_pdf(tmp_path / "print.html", tmp_path, tmp_path / "x.pdf", 60)


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
    pages = as_note({"index.md": "# Home\n\n![A red bar](assets/bar.png)\n",
                     "chapter.md": "# Chapter\n\nText.\n\n![A blue bar](../img/blue.png)\n"})
    (tmp_path / "docs" / NOTE / "assets").mkdir(parents=True)
    (tmp_path / "docs" / "img").mkdir(parents=True)
    (tmp_path / "docs" / NOTE / "assets" / "bar.png").write_bytes(png(40, 20))
    (tmp_path / "docs" / "img" / "blue.png").write_bytes(png(30, 10, (20, 40, 200)))
    result = fixture_site(pages, options={**series_options(), "publication": {"pdf": True}})
    assert result.ok, result.text()
    edition = (result.site_dir / NOTE / "print" / "index.html").read_text(encoding="utf-8")
    sources = [img["src"] for img in BeautifulSoup(edition, "html.parser").select("main img")]
    assert sources == ["../assets/bar.png", "../../img/blue.png"]  # the note's own image and the site's
    assert all((result.site_dir / NOTE / "print" / src).resolve().is_file() for src in sources)
    (pdf,) = (result.site_dir / NOTE).glob("*.pdf")
    sizes = sorted((row[3], row[4]) for row in pdf_images(pdf))
    assert sizes == [("30", "10"), ("40", "20")]


def test_a_remote_image_fails_naming_page_and_line(fixture_site):
    pages = as_note({"index.md": "# Home\n\n## Abstract\n\nText.\n",
                     "chapter.md": "# Chapter\n\nText.\n\n![far](https://cdn.example.org/x.png)\n"})
    result = fixture_site(pages, options=series_options())
    assert not result.ok
    # the link policy refuses it as the page is built (and takes it out of the page, so neither
    # the print edition nor the PDF ever sees it; the PDF's own fetcher refuses the network too:
    # test_pdf_reads_the_sites_own_files_only)
    message = next(m for m in result.messages if "cdn.example.org/x.png" in m)
    assert f"docs/{NOTE}/chapter.md:5: third-party request (<img src>)" in message
    assert "cdn.example.org" not in (result.site_dir / NOTE / "print" / "index.html").read_text(encoding="utf-8")


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
    result = fixture_site(as_note({"index.md": "# Home\n\n## Abstract\n\nText.\n"}),
                          options={**series_options(), "publication": {"pdf": True, "pdf_timeout": 0.01}})
    assert not result.ok
    assert any("stopped after 0.01 s (briefing.publication.pdf_timeout)" in m and "pdf: false" in m
               for m in result.messages), result.text()
    assert not list(result.site_dir.rglob("*.pdf*")) and not list(result.site_dir.rglob(".*.part"))


def test_a_failed_strict_build_spends_no_time_on_the_pdf(fixture_site, monkeypatch):
    calls = []
    monkeypatch.setattr(_pdf, "render", lambda *args, **kwargs: calls.append(args))
    result = fixture_site(as_note({"index.md": "# Home\n\n## Abstract\n\nText.[@nosuchkey2020]\n"}),
                          options={**series_options(), "publication": {"pdf": True}})
    assert not result.ok and any("nosuchkey2020" in m for m in result.messages)
    assert calls == [] and not list(result.site_dir.rglob("*.pdf"))
    assert (result.site_dir / NOTE / "print" / "index.html").is_file()


def test_a_broken_link_stops_the_pdf(fixture_site, monkeypatch):
    """The link check runs before the PDF: its warning fails the strict build, and the PDF is
    not rendered for nothing."""
    calls = []
    monkeypatch.setattr(_pdf, "render", lambda *args, **kwargs: calls.append(args))
    result = fixture_site(as_note({"index.md": "# Home\n\n<!-- cite-this -->\n\n<a href=\"nowhere/\">x</a>\n"}),
                          options={**series_options(), "publication": {"pdf": True}})
    assert not result.ok and any("broken link" in m and "nowhere/" in m for m in result.messages), result.text()
    assert calls == []


def test_links_to_a_pdf_not_rendered_are_not_reported_broken(fixture_site, caplog):
    """A strict build that has already failed renders no PDF: the links to it (Download PDF,
    the alternate link of every page) are not reported as broken; that is said once."""
    import logging

    caplog.set_level(logging.INFO, logger="mkdocs")
    result = fixture_site(as_note({"index.md": "# Home\n\nText.[@nosuchkey2020]\n\n<!-- cite-this -->\n",
                                   "chapter.md": "# Chapter\n\nText.\n"}),
                          options={**series_options(), "publication": {"pdf": True}})
    assert not result.ok and any("nosuchkey2020" in m for m in result.messages)
    assert not [m for m in result.messages if "a-minimal-note.pdf" in m], result.text()
    said = [r.getMessage() for r in caplog.records if "a-minimal-note.pdf not checked" in r.getMessage()]
    assert len(said) == 1 and "not rendered" in said[0]


# ----------------------------------------------------------------------------- the PDF kept between builds
def counting_renders(monkeypatch) -> list[Path]:
    """The real renderer, counting the PDFs it renders (the targets)."""
    calls: list[Path] = []
    real = _pdf.render

    def render(html_path, target, root, timeout):
        calls.append(target)
        return real(html_path, target, root, timeout)

    monkeypatch.setattr(_pdf, "render", render)
    return calls


def test_a_build_in_which_nothing_changed_reuses_the_pdf(fixture_site, tmp_path, monkeypatch, caplog):
    """Issue 14: the PDF is kept in .cache/plugin/pdf/, keyed by the print edition's HTML and the
    code digest; the next build with nothing changed puts it in the site without WeasyPrint (not
    even imported)."""
    caplog.set_level("INFO", logger="mkdocs")
    renders = counting_renders(monkeypatch)
    pages = as_note({"index.md": "# Home\n\n<!-- cite-this -->\n", "chapter.md": "# Chapter\n\nText.\n"})
    options = {**series_options(), "publication": {"pdf": True}}
    first = fixture_site(pages, options=options)
    assert first.ok, first.text()
    (pdf,) = (first.site_dir / NOTE).glob("*.pdf")
    made = pdf.read_bytes()
    assert len(renders) == 1 and list((tmp_path / ".cache" / "plugin" / "pdf" / pdf.name).glob("*.pdf"))
    # nor imports it (47 MB, for nothing): its version, part of the key, read from its metadata
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` raises ImportError
    second = fixture_site(pages, options=options)
    assert second.ok, second.text()
    assert len(renders) == 1, "the second build rendered the PDF again"
    assert pdf.read_bytes() == made
    assert any(f"PDF edition: {NOTE}/{pdf.name}" in r.getMessage() and "reused" in r.getMessage()
               for r in caplog.records)


def test_a_changed_page_or_image_renders_the_pdf_again(fixture_site, tmp_path, monkeypatch):
    renders = counting_renders(monkeypatch)
    (tmp_path / "docs" / NOTE / "img").mkdir(parents=True)
    image = tmp_path / "docs" / NOTE / "img" / "bar.png"
    image.write_bytes(png(40, 20))
    plain = {"index.md": "# Home\n\nText.\n", "chapter.md": "# Chapter\n\nText.\n\n![A bar](img/bar.png)\n"}
    pages = as_note(plain)
    options = {**series_options(), "publication": {"pdf": True}}
    assert fixture_site(pages, options=options).ok
    changed = as_note({**plain, "chapter.md": plain["chapter.md"].replace("Text.", "Other text.")})
    assert fixture_site(changed, options=options).ok
    assert len(renders) == 2, "a changed chapter must render the PDF anew"
    image.write_bytes(png(40, 20, (20, 200, 30)))  # the same name, other pixels: the edition's HTML is the same
    result = fixture_site(changed, options=options)
    assert result.ok and len(renders) == 3, "a changed image must render the PDF anew"
    (pdf,) = (result.site_dir / NOTE).glob("*.pdf")
    assert len(list((tmp_path / ".cache" / "plugin" / "pdf" / pdf.name).glob("*.pdf"))) == 1  # older entries go


def test_the_pdf_cache_key_covers_the_edition_the_code_and_the_renderer():
    from briefing.publication import pdf_cache

    base = pdf_cache.key(b"<p>x</p>", "code", "70")
    assert base == pdf_cache.key(b"<p>x</p>", "code", "70")
    assert len({base, pdf_cache.key(b"<p>y</p>", "code", "70"), pdf_cache.key(b"<p>x</p>", "code2", "70"),
                pdf_cache.key(b"<p>x</p>", "code", "71")}) == 4


def test_a_reused_pdf_reports_what_it_refused_again(tmp_path):
    from briefing.publication import pdf_cache

    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    (site / "style.css").write_text("p{}")
    made = tmp_path / "made.pdf"
    made.write_bytes(b"%PDF-1.7 x")
    pdf_cache.store(cache, "n.pdf", "k", made, pdf_cache.digests(["style.css"], site), [("https://x.org/a.png", "no")])
    entry = pdf_cache.lookup(cache, "n.pdf", "k", site)
    assert entry is not None and entry.refused == [("https://x.org/a.png", "no")]
    (site / "style.css").write_text("p{color:red}")
    assert pdf_cache.lookup(cache, "n.pdf", "k", site) is None
    assert pdf_cache.lookup(cache, "n.pdf", "other", site) is None


# ----------------------------------------------------------------------------- the sections kept between builds
def counting_sections(monkeypatch) -> list[str]:
    """The real section_html, counting the pages (src_uri) it makes a section of."""
    from briefing.publication import edition

    calls: list[str] = []
    real = edition.section_html

    def section_html(section, *args, **kwargs):
        calls.append(section.src_uri)
        return real(section, *args, **kwargs)

    monkeypatch.setattr(edition, "section_html", section_html)
    return calls


def test_each_print_edition_section_is_kept_and_made_again_only_when_its_page_changed(fixture_site, tmp_path,
                                                                                   monkeypatch):
    """Issue 14: a section of the print edition is kept in .cache/plugin/publication/sections/ by
    its inputs; a build with nothing changed makes none and writes the same edition, a changed
    page makes its own section again, and the note's file keeps only the sections in use."""
    made = counting_sections(monkeypatch)
    plain = {"index.md": "# Home\n\n<!-- cite-this -->\n", "chapter.md": "# Chapter\n\nText.\n",
             "other.md": "# Other\n\nMore [text](chapter.md#chapter).\n"}
    options = {**series_options(), "publication": {"pdf": False}}
    first = fixture_site(as_note(plain), options=options)
    assert first.ok, first.text()
    edition_file = first.site_dir / NOTE / "print" / "index.html"
    before = edition_file.read_text(encoding="utf-8")
    assert sorted(made) == [f"{NOTE}/chapter.md", f"{NOTE}/index.md", f"{NOTE}/other.md", f"{NOTE}/references.md"]
    (kept,) = (tmp_path / ".cache" / "plugin" / "publication" / "sections").glob("*.json")
    assert len(json.loads(kept.read_text(encoding="utf-8"))["sections"]) == 4

    made.clear()
    again = fixture_site(as_note(plain), options=options)
    assert again.ok, again.text()
    assert made == [], "a build with nothing changed made print-edition sections again"
    assert edition_file.read_text(encoding="utf-8") == before

    made.clear()
    changed = fixture_site(as_note({**plain, "chapter.md": "# Chapter\n\nOther words.\n"}), options=options)
    assert changed.ok, changed.text()
    assert made == [f"{NOTE}/chapter.md"]
    after = edition_file.read_text(encoding="utf-8")
    assert "Other words." in after and "Text." not in after
    assert 'href="#chapter--chapter"' in after  # the kept section's link into the edition still holds
    assert len(json.loads(kept.read_text(encoding="utf-8"))["sections"]) == 4  # the old chapter's went


def test_a_print_edition_section_key_covers_every_input():
    from briefing.build import Section
    from briefing.publication import section_cache as sc

    anchors = {"note/": "home", "note/chapter/": "chapter"}
    shared = sc.inputs_key("code", "{% macro x() %}{% endmacro %}", "https://example.org/", "note/print", anchors)
    section = Section("note/chapter.md", "note/chapter/", "Chapter", "<p>x</p>")
    keys = {
        sc.section_key(shared, section),
        sc.section_key(shared, Section("note/chapter.md", "note/chapter/", "Chapter", "<p>y</p>")),
        sc.section_key(shared, Section("note/chapter.md", "note/chapter-2/", "Chapter", "<p>x</p>")),
        sc.section_key(shared, Section("note/other.md", "note/chapter/", "Chapter", "<p>x</p>")),
        sc.section_key(shared, Section("note/chapter.md", "note/chapter/", "Chap", "<p>x</p>")),
        *(sc.section_key(other, section) for other in (
            sc.inputs_key("code2", "{% macro x() %}{% endmacro %}", "https://example.org/", "note/print", anchors),
            sc.inputs_key("code", "{% macro y() %}{% endmacro %}", "https://example.org/", "note/print", anchors),
            sc.inputs_key("code", "{% macro x() %}{% endmacro %}", "https://example.com/", "note/print", anchors),
            sc.inputs_key("code", "{% macro x() %}{% endmacro %}", "https://example.org/", "other/print", anchors),
            sc.inputs_key("code", "{% macro x() %}{% endmacro %}", "https://example.org/", "note/print",
                          {**anchors, "note/new/": "new"}),
        )),
    }
    assert len(keys) == 10
    assert sc.section_key(shared, section) == sc.section_key(
        sc.inputs_key("code", "{% macro x() %}{% endmacro %}", "https://example.org/", "note/print", dict(anchors)),
        Section("note/chapter.md", "note/chapter/", "Chapter", "<p>x</p>"))


@pytest.mark.parametrize("content", ["not json", '{"version": "sections-1", "sections": {"k": 1}}',
                                     '{"version": "sections-0", "sections": {}}', '["sections"]'])
def test_an_unreadable_kept_sections_file_is_ignored_and_written_again(fixture_site, tmp_path, monkeypatch, content):
    made = counting_sections(monkeypatch)
    pages = as_note({"index.md": "# Home\n\n<!-- cite-this -->\n", "chapter.md": "# Chapter\n\nText.\n"})
    options = {**series_options(), "publication": {"pdf": False}}
    assert fixture_site(pages, options=options).ok
    (kept,) = (tmp_path / ".cache" / "plugin" / "publication" / "sections").glob("*.json")
    kept.write_text(content, encoding="utf-8")
    made.clear()
    result = fixture_site(pages, options=options)
    assert result.ok, result.text()
    assert len(made) == 3 and "Text." in (result.site_dir / NOTE / "print" / "index.html").read_text(encoding="utf-8")
    assert len(json.loads(kept.read_text(encoding="utf-8"))["sections"]) == 3


def test_a_kept_section_edited_to_hold_a_script_link_fails_the_strict_build(fixture_site, tmp_path):
    """What is read from .cache/ reaches the site through the same policy as every page: the
    print edition is scanned as written, so a javascript: link put into a kept section stops
    the strict build, naming the edition."""
    pages = as_note({"index.md": "# Home\n\n<!-- cite-this -->\n", "chapter.md": "# Chapter\n\nText.\n"})
    options = {**series_options(), "publication": {"pdf": False}}
    assert fixture_site(pages, options=options).ok
    (kept,) = (tmp_path / ".cache" / "plugin" / "publication" / "sections").glob("*.json")
    document = json.loads(kept.read_text(encoding="utf-8"))
    document["sections"] = {key: html.replace("Text.", '<a href="javascript:alert(1)">Text.</a>')
                            for key, html in document["sections"].items()}
    kept.write_text(json.dumps(document), encoding="utf-8")
    result = fixture_site(pages, options=options)
    assert not result.ok
    assert any("print/index.html" in m and "javascript:" in m for m in result.messages), result.text()
