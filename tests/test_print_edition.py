"""The print edition (print/index.html) and its PDF: the whole note, the chapters in reading
order, notes 1-15 with the numbers they carry on the website, the bibliography; built offline."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import _publication
import print_edition as pe
import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parent.parent


def real_config() -> dict:
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


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


def test_section_html_prefixes_ids_and_drops_web_only_parts():
    html = ('<h2 id="a">A<a class="headerlink" href="#a">¶</a></h2><div class="cite-this">x</div>'
            '<p><label for="f">L</label><sup id="fnref:1"><a href="#fn:1">1</a></sup></p>')
    out = pe.section_html(pe.Section("chapter.md", "chapter/", "C", html), ANCHORS, "")
    assert 'id="chapter--a"' in out and 'for="chapter--f"' in out and 'href="#chapter--fn:1"' in out
    assert "headerlink" not in out and "cite-this" not in out


def test_pdf_build_never_goes_online():
    with pytest.raises(ValueError, match="local files only"):
        pe.local_only_fetcher("https://fonts.example.com/font.woff2")


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
        for link in li.select(".note-link, .footnote-backref"):
            link.decompose()
        in_edition.append((int(li["value"]), words(li.get_text())))
    assert in_edition == on_site
    # each marker in the text points at its note in the edition
    for number in range(1, 16):
        marker = edition.find("sup", id=re.compile(rf"--fnref:{number}$"))
        assert marker is not None, number
        target = marker.a["href"].lstrip("#")
        assert edition.find(id=target).get("value") == str(number)


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


def test_pdf_metadata(real_site, pub):
    info = subprocess.run(["pdfinfo", str(real_site.site_dir / pub.files()["pdf"])], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    assert fields["Title"].strip() == pub.title
    assert fields["Author"].strip() == pub.author_display


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

    monkeypatch.setitem(__import__("sys").modules, "weasyprint", None)  # import fails like a missing Pango
    with pytest.raises(PluginError, match="pdf: false"):
        pe.write_pdf("<p>x</p>", tmp_path, tmp_path / "x.pdf")
