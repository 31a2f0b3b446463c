"""Paper #2's own record (its index.md's front matter) and the series' (briefing.series in mkdocs.yml):
cite-this block, .bib/.ris downloads, meta tags on every page of the note, CITATION.cff (the
series'), robots.txt, sitemap, canonical URLs, the 404 page and the old addresses all agree."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rispy
import yaml
from bs4 import BeautifulSoup
from pybtex.database import parse_string

from briefing.publication import record as _publication
from briefing.series.render import series_record

import printed
from sitebuild import PAPER, SEED, build, paper_publication, real_config

ROOT = Path(__file__).resolve().parents[2]
MOVED = ["historical-perspective/", "afghan-migration/", "security-challenge/", "conclusion/", "references/",
         "print/"]  # Paper #2's addresses before the series
MOVED_FILES = [f"{PAPER}.pdf", f"{PAPER}.bib", f"{PAPER}.ris",
               # the data downloads main published at data/ before the series (issue 15)
               "data/key-figures.csv", "data/key-figures.json", "data/timeline.csv", "data/timeline.json",
               "data/datapackage.json"]


def is_redirect(path: Path) -> bool:
    return 'http-equiv="refresh"' in path.read_text(encoding="utf-8")


def site_pages(site_dir: Path) -> list[Path]:
    """Every page of the built site: the pages MkDocs renders (not 404.html, not the print
    editions, not the pages at moved addresses)."""
    return [p for p in sorted(site_dir.rglob("index.html")) if "print" not in p.relative_to(site_dir).parts
            and "search" not in p.relative_to(site_dir).parts and not is_redirect(p)]


def note_pages(site_dir: Path) -> list[Path]:
    """The pages of Paper #2."""
    return [p for p in site_pages(site_dir) if p.relative_to(site_dir).parts[0] == PAPER]


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
    return paper_publication()


def test_record_reads_the_note_as_its_title_page_gives_it(pub):
    """Title, byline (honorific too), series, number and month as the seed's title page prints
    them; the series is the site's name; the note's address is the site's and its folder."""
    config = real_config()
    title_page = " ".join(SEED.read_text(encoding="utf-8").split("Abstract")[0].split())
    assert f"{pub.title} Dr Muhammad Tahir Mahmood*" in title_page and pub.author_display == "Dr Muhammad Tahir Mahmood"
    assert f"{pub.series} Paper #{pub.number}, {pub.date_text}" in title_page
    assert pub.series == config["site_name"] == "Research Note Series"
    assert pub.url == config["site_url"] + f"{PAPER}/" and pub.site_url == config["site_url"]
    assert (pub.year, pub.month, pub.day) == ("2023", 11, None)
    assert pub.date_text == "November 2023"
    assert pub.key == "mahmood2023afghanistan"
    assert pub.files() == {"bib": f"{PAPER}/{PAPER}.bib", "ris": f"{PAPER}/{PAPER}.ris", "print": f"{PAPER}/print/",
                           "pdf": f"{PAPER}/{PAPER}.pdf"}


def test_bibtex_parses_and_agrees(pub, real_site):
    text = (real_site.site_dir / pub.files()["bib"]).read_text(encoding="utf-8")
    assert text == _publication.bibtex(pub)
    data = parse_string(text, "bibtex")
    (key, entry), = data.entries.items()
    assert key == pub.key and entry.type == "techreport"
    (person,) = entry.persons["author"]
    (author,) = pub.authors
    assert " ".join(person.last_names) == author.family
    assert " ".join(person.first_names + person.middle_names) == author.given
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


@pytest.fixture(scope="module")
def series() -> _publication.Series:
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    return series_record(config, config.plugins["briefing"].config.series)


def test_citation_cff_agrees(series):
    """It cites the series' site (a new note leaves it as it is)."""
    cff = citation_cff()
    assert cff["cff-version"] == "1.2.0" and cff["message"]
    assert _publication.citation_cff_problems(series, cff) == []
    assert cff["title"] == real_config()["site_name"] and cff["url"] == real_config()["site_url"]


@pytest.mark.parametrize("path, value", [
    (("url",), "https://elsewhere.example.net/"),
    (("preferred-citation", "url"), "https://elsewhere.example.net/"),
    (("title",), "Another title"),
    (("preferred-citation", "title"), "Another title"),
    (("preferred-citation", "type"), "report"),
    (("preferred-citation", "authors"), []),
])
def test_citation_cff_disagreement_is_found(series, path, value):
    cff = citation_cff()
    target = cff
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    (problem,) = _publication.citation_cff_problems(series, cff)
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
    pub = paper_publication()
    note = address + f"{PAPER}/"
    assert pub.url == note
    home = BeautifulSoup(result.html(PAPER), "html.parser")
    assert all(note in entry.get_text() for entry in home.select(".cite-this__entry"))
    tags = metas(home)
    assert tags["DC.identifier"] == [note] and tags["citation_pdf_url"] == [address + pub.files()["pdf"]]
    assert home.find("link", rel="canonical")["href"] == note
    assert f"url = {{{note}}}" in (site / pub.files()["bib"]).read_text(encoding="utf-8")
    assert f"UR  - {note}" in (site / pub.files()["ris"]).read_text(encoding="utf-8")
    edition = BeautifulSoup((site / PAPER / "print" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert edition.find("link", rel="canonical")["href"] == note + "print/"
    assert printed.line_breaks(printed.text(site / pub.files()["pdf"]), note)
    assert f"<id>{address}</id>" in (site / "feed.xml").read_text(encoding="utf-8")
    for path in site.rglob("*"):
        if path.suffix in (".html", ".xml", ".txt", ".bib", ".ris", ".json"):
            assert placeholder not in path.read_text(encoding="utf-8"), path
    assert placeholder not in printed.text(site / pub.files()["pdf"])


def test_home_page_has_the_cite_this_block_and_working_downloads(pub, real_site):
    soup = BeautifulSoup(real_site.html(PAPER), "html.parser")
    heading = soup.find(id="cite-this-note")
    assert heading is not None and heading.get_text(strip=True).startswith("Cite this note")
    block = soup.select_one(".cite-this")
    entry = " ".join(block.select_one('[data-style="chicago-bibliography"]').get_text().split())
    assert entry == (f"{pub.author_inverted}. {pub.title} {pub.series}, no. {pub.number}. {pub.place}: "
                     f"{pub.publisher}, {pub.date_text}. {pub.url}.")
    assert entry == ("Mahmood, Muhammad Tahir. Afghanistan and Pakistan: Friends or Foes? Research Note Series, no. 2. "
                     f"Buckingham: SSEASRC and BUCSIS, University of Buckingham, November 2023. {pub.url}.")
    links = {a.get_text(strip=True): a["href"] for a in block.find_all("a", href=True)}
    assert links["Download PDF"] == pub.files()["pdf"].removeprefix(f"{PAPER}/")
    for text in ("Download PDF", "Print edition", "BibTeX (.bib)", "RIS (.ris)"):
        target = real_site.site_dir / PAPER / links[text]
        assert (target / "index.html" if links[text].endswith("/") else target).is_file(), text
    # after the contents list, and the author's words around it are untouched
    contents = soup.find(id="contents")
    assert contents.find_next(id="cite-this-note") is not None


def test_every_page_carries_scholarly_and_sharing_tags(pub, real_site):
    """Every page of the note: its record's tags. (The series' own pages: Open Graph only, below.)"""
    pages = note_pages(real_site.site_dir)
    assert len(pages) == 6
    (author,) = pub.authors
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        found = metas(soup)
        where = path.relative_to(real_site.site_dir)
        assert found["citation_title"] == [pub.title], where
        assert found["citation_author"] == [pub.author_inverted], where
        assert found["citation_author_institution"] == [author.affiliation], where
        assert found["citation_publication_date"] == ["2023/11"], where
        assert found["citation_technical_report_institution"] == [pub.publisher], where
        assert found["citation_technical_report_number"] == [pub.number], where
        assert found["citation_pdf_url"] == [pub.site_url + pub.files()["pdf"]], where
        assert found["DC.title"] == [pub.title] and found["DC.creator"] == [pub.author_inverted], where
        assert found["DC.date"] == ["2023-11"] and found["DC.publisher"] == [pub.publisher], where
        assert found["DC.identifier"] == [pub.url], where
        assert found["DC.relation.ispartof"] == [pub.series] and found["author"] == ["Dr Muhammad Tahir Mahmood"], where
        canonical = soup.find("link", rel="canonical")["href"]
        assert canonical.startswith(pub.url), where
        assert canonical == pub.site_url + where.parent.as_posix() + "/", where
        assert found["og:url"] == [canonical], where
        title = soup.title.get_text()
        assert found["og:title"] == [title] == found["twitter:title"], where
        assert title == pub.title if where.parent.as_posix() == PAPER else title.endswith(f" - {pub.title}"), where
        assert found["og:description"] == found["twitter:description"] != [""], where
        assert found["og:type"] == ["article"] and found["twitter:card"] == ["summary"], where
        assert found["og:site_name"] == [pub.series], where
        for name, values in found.items():
            assert len(values) == 1, (where, name)


def test_the_series_own_pages_carry_sharing_tags_only(real_site):
    for path in set(site_pages(real_site.site_dir)) - set(note_pages(real_site.site_dir)):
        found = metas(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser"))
        where = path.relative_to(real_site.site_dir)
        assert not [key for key in found if key.startswith(("citation_", "DC."))], where
        assert found["og:site_name"] == [real_config()["site_name"]] and found["og:type"] == ["website"], where


def test_pdf_url_in_the_tags_is_a_file_of_the_site(pub, real_site):
    assert (real_site.site_dir / pub.files()["pdf"]).stat().st_size > 10_000


def test_footer_claims_no_rights_the_note_does_not_state(pub, real_site):
    assert pub.rights is None  # the note states none
    assert "rights:" not in (ROOT / "docs" / PAPER / "index.md").read_text(encoding="utf-8").replace("# rights:", "")
    for path in site_pages(real_site.site_dir):
        assert footer(path.read_text(encoding="utf-8")) == "", path
    edition = (real_site.site_dir / PAPER / "print" / "index.html").read_text(encoding="utf-8")
    assert "©" not in edition and "&copy;" not in edition and "Copyright" not in edition
    assert "DC.rights" not in real_site.html(PAPER)


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
    assert hrefs[1:] == [base + f"{PAPER}/"]  # the series' notes (one)
    assert "Afghanistan and Pakistan: Friends or Foes?" in block.get_text()
    assert any(re.search(r"assets/briefing\.[0-9a-f]{8}\.css$", link.get("href", ""))
               for link in soup.find_all("link", rel="stylesheet"))


def test_the_old_addresses_keep_working(real_site, pub):
    """Before the series, Paper #2's pages were at the site's root: each old page is a small page
    sending the reader to the new one (a same-site refresh, a visible link, rel=canonical), in
    no nav or sitemap; each old download is the new one's copy."""
    site = real_site.site_dir
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    home_nav = [a["href"] for a in BeautifulSoup(real_site.html(), "html.parser").select("nav.md-nav--primary a[href]")]
    for old in MOVED:
        page = BeautifulSoup((site / old / "index.html").read_text(encoding="utf-8"), "html.parser")
        new = pub.site_url + PAPER + "/" + old
        assert page.find("link", rel="canonical")["href"] == new, old
        assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url=../{PAPER}/{old}", old
        assert page.body.a["href"] == f"../{PAPER}/{old}" and page.body.a.get_text() == new, old
        assert (site / PAPER / old / "index.html").is_file(), old
        assert pub.site_url + old + "<" not in sitemap and old not in home_nav, old
        assert page.find("meta", attrs={"http-equiv": "Content-Security-Policy"}) is not None, old
        # the #fragment of an old link is kept by a script of ours (tests/browser/test_moved.py), none inline
        assert [script.get("src") for script in page.find_all("script")] == ["../assets/javascripts/moved.js"], old
    for old in MOVED_FILES:
        assert (site / old).read_bytes() == (site / PAPER / old).read_bytes(), old
    assert not [m for m in real_site.messages if "moved" in m]
