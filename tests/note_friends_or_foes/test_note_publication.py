"""Paper #2's own record (briefing.publication in mkdocs.yml): cite-this block, .bib/.ris downloads, meta tags on
every page, CITATION.cff, robots.txt, sitemap, canonical URLs and the 404 page all agree with it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rispy
import yaml
from bs4 import BeautifulSoup
from mkdocs.config import load_config
from pybtex.database import parse_string

from briefing.publication import record as _publication

import printed
from sitebuild import build, plugin_options, real_config

ROOT = Path(__file__).resolve().parents[2]

def site_pages(site_dir: Path) -> list[Path]:
    """Every page of the built site: the pages MkDocs renders (not 404.html, not the print edition)."""
    return [p for p in sorted(site_dir.rglob("index.html")) if "print" not in p.relative_to(site_dir).parts
            and "search" not in p.relative_to(site_dir).parts]


def _unbrace(text: str) -> str:
    return text.replace("{", "").replace("}", "")


def metas(soup: BeautifulSoup) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("name") or tag.get("property")
        if key:
            found.setdefault(key, []).append(tag.get("content", ""))
    return found


def footer(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").select_one(".md-copyright").get_text().split())



@pytest.fixture(scope="module")
def pub() -> _publication.Publication:
    config = load_config(str(ROOT / "mkdocs.yml"))
    record, warnings = _publication.load(config)
    assert warnings == []
    assert record is not None
    return record


def test_record_reads_the_real_config(pub):
    config = real_config()
    assert pub.title == config["site_name"]
    assert pub.author_display == config["site_author"]
    assert pub.url == config["site_url"]
    assert (pub.year, pub.month, pub.day) == ("2023", 11, None)
    assert pub.date_text == "November 2023"
    assert pub.key == "mahmood2023afghanistan"


def test_bibtex_parses_and_agrees(pub, real_site):
    text = (real_site.site_dir / pub.files()["bib"]).read_text(encoding="utf-8")
    assert text == _publication.bibtex(pub)
    data = parse_string(text, "bibtex")
    (key, entry), = data.entries.items()
    assert key == pub.key and entry.type == "techreport"
    (person,) = entry.persons["author"]
    assert " ".join(person.last_names) == pub.family and " ".join(person.first_names + person.middle_names) == pub.given
    fields = {name.lower(): _unbrace(str(value)) for name, value in entry.fields.items()}
    assert fields["title"] == pub.title
    assert fields["institution"] == pub.publisher
    assert fields["type"] == pub.series and fields["number"] == pub.number
    assert fields["year"] == pub.year and fields["month"].lower().startswith("nov")
    assert fields["url"] == pub.url and fields["address"] == pub.place


def test_ris_parses_and_agrees(pub, real_site):
    raw = (real_site.site_dir / pub.files()["ris"]).read_bytes()
    assert raw.decode("utf-8") == _publication.ris(pub)
    assert raw.endswith(b"ER  -\r\n")
    (record,) = rispy.loads(raw.decode("utf-8"))
    assert record["type_of_reference"] == "RPRT"
    assert record["authors"] == [pub.author_inverted]
    assert record["title"] == pub.title
    assert record["tertiary_title"] == pub.series
    assert record["volume"] == pub.number
    assert record["year"] == pub.year and record["date"] == "2023/11//"
    assert record["publisher"] == pub.publisher and record["place_published"] == pub.place
    assert record["urls"] == [pub.url]


def citation_cff() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_cff_agrees(pub):
    cff = citation_cff()
    assert cff["cff-version"] == "1.2.0" and cff["message"]
    assert _publication.citation_cff_problems(pub, cff) == []


@pytest.mark.parametrize("path, value", [
    (("url",), "https://elsewhere.example.net/"),
    (("preferred-citation", "url"), "https://elsewhere.example.net/"),
    (("title",), "Another title"),
    (("preferred-citation", "month"), 12),
    (("preferred-citation", "authors"), []),
])
def test_citation_cff_disagreement_is_found(pub, path, value):
    cff = citation_cff()
    target = cff
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    (problem,) = _publication.citation_cff_problems(pub, cff)
    assert problem.startswith(".".join(path) + " is ")


def test_every_form_carries_the_address_the_build_is_given(tmp_path, monkeypatch):
    """site_url comes from SITE_URL (deploy.yml: the address Pages serves): every citation form,
    download, meta tag, the print edition and the PDF carry it, and nothing the placeholder."""
    address = "https://owner.github.io/briefing/"
    placeholder = citation_cff()["url"]
    monkeypatch.setenv("SITE_URL", address)
    result = build(ROOT / "mkdocs.yml", tmp_path / "site")
    assert result.ok, result.text()
    site = result.site_dir
    pub = _publication.load(load_config(str(ROOT / "mkdocs.yml")))[0]
    assert pub.url == address
    home = BeautifulSoup(result.html(), "html.parser")
    assert all(address in entry.get_text() for entry in home.select(".cite-this__entry"))
    tags = metas(home)
    assert tags["DC.identifier"] == [address] and tags["citation_pdf_url"] == [address + pub.files()["pdf"]]
    assert home.find("link", rel="canonical")["href"] == address
    assert f"url = {{{address}}}" in (site / pub.files()["bib"]).read_text(encoding="utf-8")
    assert f"UR  - {address}" in (site / pub.files()["ris"]).read_text(encoding="utf-8")
    edition = BeautifulSoup((site / "print" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert edition.find("link", rel="canonical")["href"] == address + "print/"
    assert printed.line_breaks(printed.text(site / pub.files()["pdf"]), address)
    for path in site.rglob("*"):
        if path.suffix in (".html", ".xml", ".txt", ".bib", ".ris", ".json"):
            assert placeholder not in path.read_text(encoding="utf-8"), path
    assert placeholder not in printed.text(site / pub.files()["pdf"])


def test_home_page_has_the_cite_this_block_and_working_downloads(pub, real_site):
    soup = BeautifulSoup(real_site.html(), "html.parser")
    heading = soup.find(id="cite-this-note")
    assert heading is not None and heading.get_text(strip=True).startswith("Cite this note")
    block = soup.select_one(".cite-this")
    entry = " ".join(block.select_one('[data-style="chicago-bibliography"]').get_text().split())
    assert entry == (f"{pub.author_inverted}. {pub.title} {pub.series}, no. {pub.number}. {pub.place}: "
                     f"{pub.publisher}, {pub.date_text}. {pub.url}.")
    links = {a.get_text(strip=True): a["href"] for a in block.find_all("a", href=True)}
    assert links["Download PDF"] == pub.files()["pdf"]
    for text in ("Download PDF", "Print edition", "BibTeX (.bib)", "RIS (.ris)"):
        target = real_site.site_dir / links[text]
        assert (target / "index.html" if links[text].endswith("/") else target).is_file(), text
    # after the contents list, and the author's words around it are untouched
    contents = soup.find(id="contents")
    assert contents.find_next(id="cite-this-note") is not None


def test_every_page_carries_scholarly_and_sharing_tags(pub, real_site):
    pages = site_pages(real_site.site_dir)
    assert len(pages) >= 6
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        found = metas(soup)
        where = path.relative_to(real_site.site_dir)
        assert found["citation_title"] == [pub.title], where
        assert found["citation_author"] == [pub.author_inverted], where
        assert found["citation_author_institution"] == [pub.affiliation], where
        assert found["citation_publication_date"] == ["2023/11"], where
        assert found["citation_technical_report_institution"] == [pub.publisher], where
        assert found["citation_technical_report_number"] == [pub.number], where
        assert found["citation_pdf_url"] == [pub.url + pub.files()["pdf"]], where
        assert found["DC.title"] == [pub.title] and found["DC.creator"] == [pub.author_inverted], where
        assert found["DC.date"] == ["2023-11"] and found["DC.publisher"] == [pub.publisher], where
        assert found["DC.identifier"] == [pub.url], where
        canonical = soup.find("link", rel="canonical")["href"]
        assert canonical.startswith(pub.url), where
        assert canonical == pub.url + str(where.parent).replace(".", "").strip("/") + (
            "/" if str(where.parent) != "." else ""), where
        assert found["og:url"] == [canonical], where
        title = soup.title.get_text()
        assert found["og:title"] == [title] == found["twitter:title"], where
        assert found["og:description"] == found["twitter:description"] != [""], where
        assert found["og:type"] == ["article"] and found["twitter:card"] == ["summary"], where
        assert found["og:site_name"] == [pub.title], where
        for name, values in found.items():
            assert len(values) == 1, (where, name)


def test_pdf_url_in_the_tags_is_a_file_of_the_site(pub, real_site):
    assert (real_site.site_dir / pub.files()["pdf"]).stat().st_size > 10_000


def test_footer_claims_no_rights_the_note_does_not_state(real_site):
    assert "rights" not in plugin_options(real_config())["publication"]  # the note states none
    for path in site_pages(real_site.site_dir):
        assert footer(path.read_text(encoding="utf-8")) == "", path
    edition = (real_site.site_dir / "print" / "index.html").read_text(encoding="utf-8")
    assert "©" not in edition and "&copy;" not in edition and "Copyright" not in edition
    assert "DC.rights" not in real_site.html()


def test_robots_txt_names_the_sitemap(real_site):
    text = (real_site.site_dir / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in text
    assert f"Sitemap: {real_config()['site_url']}sitemap.xml" in text.splitlines()


def test_sitemap_lists_every_page_by_its_canonical_url(real_site):
    tree = ET.parse(real_site.site_dir / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {loc.text.strip() for loc in tree.getroot().findall("s:url/s:loc", ns)}
    canonicals = set()
    for path in site_pages(real_site.site_dir):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        canonicals.add(soup.find("link", rel="canonical")["href"])
    assert canonicals == locs
    assert all(loc.startswith(real_config()["site_url"]) for loc in locs)


def test_404_page_is_styled_and_links_into_the_site(real_site):
    soup = BeautifulSoup((real_site.site_dir / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.title.get_text().startswith("Page not found")
    block = soup.select_one(".not-found")
    assert block.h1.get_text(strip=True) == "Page not found"
    base = "/" + real_config()["site_url"].split("/", 3)[3]  # "/briefing/": links work at any depth
    hrefs = [a["href"] for a in block.find_all("a", href=True)]
    assert hrefs[0] == base
    chapters = [next(iter(item.values())) for item in real_config()["nav"]][1:]
    assert hrefs[1:] == [base + re.sub(r"\.md$", "/", page) for page in chapters]
    assert any("publication.css" in link.get("href", "") for link in soup.find_all("link", rel="stylesheet"))
