"""A note's own record (its index.md's front matter) as every output needs it: Chicago forms of
its authors, cite-this block, .bib/.ris downloads, meta tags, the footer's rights, CITATION.cff
(which cites the series), the deploy checks; and what an old record in mkdocs.yml says."""

from __future__ import annotations

import dataclasses
import re

import pytest
import rispy
import yaml
from bs4 import BeautifulSoup
from pybtex.database import parse_string

from briefing.publication import record as _publication
from briefing.series.record import Author, parse

from sitebuild import MINIMAL, NOTE, as_note, series_options


def metas(soup: BeautifulSoup) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("name") or tag.get("property")
        if key:
            found.setdefault(key, []).append(tag.get("content", ""))
    return found


SERIES = _publication.Series(name="Notes", publisher="Press", place="Town", address="1 Road, Town",
                             url="https://example.org/site/")


class _Options:
    deploy, pdf, pdf_when_serving, pdf_timeout = False, True, False, 60


def record_of(front_matter: str):
    record, problems = parse(f"---\n{front_matter}---\n\n# T\n", "a-note", "docs/a-note/index.md")
    assert problems == [] and record is not None, problems
    return _publication.from_note(record, SERIES, _Options())


GOOD = """note:
  title: A Note
  authors:
    - {given: Jane, family: Smith, affiliation: Uni, honorific: Dr}
  number: 7
  date: 2024-02-03
  chapters: []
"""


# ----------------------------------------------------------------------------- the record


def test_full_date_address_and_defaults():
    record = record_of(GOOD)
    assert record.date_text == "February 3, 2024" and record.iso_date == "2024-02-03"
    assert record.url == "https://example.org/site/a-note/" and record.pdf is True and record.language == "en"
    assert record.files() == {"bib": "a-note/a-note.bib", "ris": "a-note/a-note.ris", "print": "a-note/print/",
                              "pdf": "a-note/a-note.pdf"}
    assert record.publisher == "Press" and record.series == "Notes" and record.number == "7"
    assert record.author_display == "Dr Jane Smith" and record.note_authors == "Jane Smith"


def author(n: int) -> Author:
    return Author(given=f"Given{n}", family=f"Family{n}", affiliation="Uni")


@pytest.mark.parametrize("count, note, bibliography", [
    (1, "Given1 Family1", "Family1, Given1"),
    (2, "Given1 Family1 and Given2 Family2", "Family1, Given1, and Given2 Family2"),
    (3, "Given1 Family1 et al.", "Family1, Given1, Given2 Family2, and Given3 Family3"),
    (6, "Given1 Family1 et al.",
     "Family1, Given1, Given2 Family2, Given3 Family3, Given4 Family4, Given5 Family5, and Given6 Family6"),
    (7, "Given1 Family1 et al.", "Family1, Given1, Given2 Family2, Given3 Family3, et al."),
])
def test_chicago_forms_of_several_authors(count, note, bibliography):
    """CMOS 18 (14.76): a note names two in full, of three or more the first and et al.; a
    bibliography entry lists up to six, of seven or more the first three and et al."""
    pub = dataclasses.replace(record_of(GOOD), authors=tuple(author(n) for n in range(1, count + 1)))
    assert pub.note_authors == note and pub.bibliography_authors == bibliography
    assert [name.split(", ")[0] for name in pub.bibliography_authors.split(" and ")][:1] == ["Family1"]


def test_several_authors_in_every_download_and_tag():
    pub = dataclasses.replace(record_of(GOOD), authors=(author(1), author(2)))
    (entry,) = parse_string(_publication.bibtex(pub), "bibtex").entries.values()
    assert [" ".join(p.last_names) for p in entry.persons["author"]] == ["Family1", "Family2"]
    (ris,) = rispy.loads(_publication.ris(pub))
    assert ris["authors"] == ["Family1, Given1", "Family2, Given2"]
    tags = [(t["key"], t["content"]) for t in _publication.meta_tags(pub, page_title=None, description="d",
                                                                     page_url="", site_name="S", pdf_url=None)]
    assert [value for key, value in tags if key in ("citation_author", "citation_author_institution")] == [
        "Family1, Given1", "Uni", "Family2, Given2", "Uni"]
    assert [value for key, value in tags if key == "DC.creator"] == ["Family1, Given1", "Family2, Given2"]


def test_issn_and_keywords_reach_the_downloads_and_tags():
    pub = dataclasses.replace(record_of(GOOD), issn="2049-3630", keywords=("rivers", "borders"))
    (entry,) = parse_string(_publication.bibtex(pub), "bibtex").entries.values()
    assert str(entry.fields["issn"]) == "2049-3630" and str(entry.fields["keywords"]) == "rivers, borders"
    (ris,) = rispy.loads(_publication.ris(pub))
    assert ris["issn"] == "2049-3630" and ris["keywords"] == ["rivers", "borders"]
    tags = {t["key"]: t["content"] for t in _publication.meta_tags(pub, page_title=None, description="d",
                                                                   page_url="", site_name="S", pdf_url=None)}
    assert tags["citation_issn"] == "2049-3630" and tags["citation_keywords"] == "rivers; borders"


def test_an_old_record_in_mkdocs_yml_says_where_the_record_went(fixture_site):
    result = fixture_site({"index.md": "# Home\n\nText.\n"}, options={"publication": {"title": "x", "serie": "y"}})
    assert not result.ok
    assert any("mkdocs.yml: briefing.publication.title:" in m and "index.md's front matter under note:" in m
               for m in result.messages), result.text()
    assert any("serie" in m and "mkdocs.yml" in m for m in result.messages), result.text()


def test_site_name_and_site_author_repeat_the_series(fixture_site):
    result = fixture_site(as_note({}), options=series_options(), site_name="Other", site_author="Someone")
    assert not result.ok
    text = result.text()
    assert "site_name 'Other' differs from briefing.series.name 'A Minimal Series'" in text
    assert "site_author 'Someone' differs from briefing.series.publisher" in text


def test_cite_this_on_a_page_of_no_note_is_refused(fixture_site):
    result = fixture_site({"index.md": "# Home\n\nText.\n"})
    assert result.ok, result.text()
    assert not list(result.site_dir.rglob("print"))
    result = fixture_site({"index.md": "# Home\n\n<!-- cite-this -->\n"})
    assert not result.ok
    assert any("docs/index.md:3:" in m and "cite-this" in m and "page of no note" in m
               for m in result.messages), result.text()


# ----------------------------------------------------------------------------- the citable address
@pytest.mark.parametrize("url, placeholder", [
    ("https://example.github.io/briefing/", True),
    ("https://www.example.org/note/", True),
    ("https://briefing.test/", True),
    ("http://localhost:8000/", True),
    ("http://127.0.0.1:8000/briefing/", True),
    ("", True),
    ("ftp://owner.github.io/repo/", True),
    ("https://owner.github.io/briefing/", False),
    ("https://notes.think-tank.org.uk/", False),
    ("https://examples.github.io/briefing/", False),
])
def test_placeholder_addresses(url, placeholder):
    assert (_publication.placeholder_address(url) is not None) is placeholder


def _deploy_options(**publication) -> dict:
    return {**series_options(), "publication": {"deploy": True, **publication}}


PAGES = as_note({"index.md": "# Home\n\n## Abstract\n\nA note.\n\n<!-- cite-this -->\n"})


def test_deploy_build_refuses_the_placeholder_address(fixture_site):
    result = fixture_site(PAGES, options=_deploy_options(), site_url="https://example.github.io/briefing/")
    assert not result.ok
    text = result.text()
    assert "example.github.io is a placeholder" in text and "SITE_URL" in text and "mkdocs.yml" in text, text
    assert "Traceback" not in text


def test_a_deploy_build_of_plain_pages_refuses_the_placeholder_address_too(fixture_site):
    result = fixture_site({"index.md": "# Home\n\nText.\n"}, options={"publication": {"deploy": True}},
                          site_url="https://example.github.io/briefing/")
    assert not result.ok and "example.github.io is a placeholder" in result.text(), result.text()


def test_deploy_build_with_the_real_address_builds_and_checks_citation_cff(fixture_site, tmp_path):
    """CITATION.cff cites the series' site: its name, its publisher, the address published."""
    address = "https://owner.github.io/briefing/"
    result = fixture_site(PAGES, options=_deploy_options(), site_url=address)
    assert result.ok, result.text()
    assert address + f"{NOTE}/" in result.html(NOTE)
    minimal_cff = (MINIMAL / "CITATION.cff").read_text(encoding="utf-8")  # agrees with the minimal series
    (tmp_path / "CITATION.cff").write_text(minimal_cff, encoding="utf-8")
    result = fixture_site(PAGES, options=_deploy_options(), site_url=address)
    assert not result.ok and "CITATION.cff: url is" in result.text() and address in result.text(), result.text()
    text = minimal_cff.replace(yaml.safe_load(minimal_cff)["url"], address)
    (tmp_path / "CITATION.cff").write_text(text, encoding="utf-8")
    result = fixture_site(PAGES, options=_deploy_options(), site_url=address)
    assert result.ok, result.text()
    (tmp_path / "CITATION.cff").write_text(text.replace('title: "A Minimal Series"', 'title: "Another"', 1),
                                           encoding="utf-8")
    result = fixture_site(PAGES, options=_deploy_options(), site_url=address)
    assert not result.ok and "title is 'Another', the series' record says 'A Minimal Series'" in result.text()


def test_citation_cff_of_the_minimal_series_agrees():
    series = dataclasses.replace(SERIES, name="A Minimal Series", publisher="Some University",
                                 url="https://example.github.io/briefing/")
    cff = yaml.safe_load((MINIMAL / "CITATION.cff").read_text(encoding="utf-8"))
    assert _publication.citation_cff_problems(series, cff) == []
    assert _publication.citation_cff_problems(dataclasses.replace(series, issn="2049-3630"), cff) == [
        "preferred-citation.issn is None, the series' record says '2049-3630'"]


def test_a_local_build_keeps_the_fallback_address(fixture_site):
    result = fixture_site(PAGES, options=series_options(), site_url="https://example.github.io/briefing/")
    assert result.ok, result.text()




# ----------------------------------------------------------------------------- pages






# ----------------------------------------------------------------------------- rights
def footer(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").select_one(".md-copyright").get_text().split())




def test_rights_the_record_states_reach_footer_edition_and_tags_escaped(fixture_site):
    """On the note's pages only: the series' home claims no rights for it."""
    rights = "© 2023 <b>The Author</b> & Press. All rights reserved."
    pages = as_note({"index.md": "# Home\n\nText.\n", "chapter.md": "# Chapter\n\nText.\n"}, rights=rights)
    result = fixture_site(pages, options=series_options())
    assert result.ok, result.text()
    for page in (NOTE, f"{NOTE}/chapter"):
        html = result.html(page)
        assert footer(html) == rights and "<b>The Author</b>" not in html
        assert metas(BeautifulSoup(html, "html.parser"))["DC.rights"] == [rights]
    assert footer(result.html()) == "" and "DC.rights" not in result.html()
    edition = BeautifulSoup((result.site_dir / NOTE / "print" / "index.html").read_text(encoding="utf-8"),
                            "html.parser")
    assert edition.select_one(".colophon__rights").get_text() == rights and not edition.select(".colophon b")


def test_a_copyright_setting_beside_the_record_fails_a_strict_build(fixture_site):
    result = fixture_site({"index.md": "# Home\n\nText.\n"}, copyright="Text &copy; 2023 Someone.")
    assert not result.ok
    assert any("copyright" in m and "note.rights" in m and "mkdocs.yml" in m
               for m in result.messages), result.text()


# ----------------------------------------------------------------------------- crawlers, 404






# ----------------------------------------------------------------------------- hostile records
# A record written by someone hostile (or careless): field and record injection, LaTeX commands,
# every kind of line break, terminal escapes and bidirectional controls.
HOSTILE = {
    "title": "Friends}, note = {\\input{/etc/passwd}}, x = {@misc{evil, title={y} \\ ^ ~ $ & % # _ end",
    "family": "Smith and Jones, Jr\r\nER  - \r\nTY  - JOUR\r\nTI  - Injected",
    "given": "Jane\u2028Q.\x0bR.\x1c\x85\x0cS.",
    "publisher": "Press\x1b[31m\u202eevil\u202c}",
    "place": "Buck\ningham\r",
    "series": "Notes\rAU  - Someone Else",
    "url": "https://example.org/a%20b/{x}\\y z/",
}
_OUR_ESCAPES = re.compile(r"\\textbackslash\{\}|\\textbraceleft\{\}|\\textbraceright\{\}|\\textasciicircum\{\}"
                          r"|\\textasciitilde\{\}|\\[$&%#_]|\{,\}|\{and\}")
_UNESCAPE = {r"\textbackslash{}": "\\", r"\textbraceleft{}": "{", r"\textbraceright{}": "}",
             r"\textasciicircum{}": "^", r"\textasciitilde{}": "~", "{,}": ",", "{and}": "and"}


def _decode(bibtex_value: str) -> str:
    """A value of our .bib, read back: our escapes undone (and nothing else may remain)."""
    rest = _OUR_ESCAPES.sub("", bibtex_value)
    assert not re.search(r"[\\{}]", rest), f"unescaped LaTeX in {bibtex_value!r}"
    return _OUR_ESCAPES.sub(lambda m: _UNESCAPE.get(m.group(0), m.group(0)[-1:]), bibtex_value)


def _one_line(text: str) -> str:
    """What a value should read as: one line, without control or bidirectional characters."""
    text = re.sub("[\u202a-\u202e\u2066-\u2069]", "", text)
    return " ".join(re.sub("[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", text).split())


@pytest.fixture(scope="module")
def pub() -> _publication.Publication:
    """A note's record (see GOOD)."""
    return record_of(GOOD)


@pytest.fixture
def hostile(pub) -> _publication.Publication:
    fields = {key: value for key, value in HOSTILE.items() if key not in ("given", "family")}
    return dataclasses.replace(pub, authors=(Author(HOSTILE["given"], HOSTILE["family"], "Uni"),), **fields)


def test_hostile_record_reads_back_from_the_bib_as_one_entry_with_its_own_fields(hostile):
    text = _publication.bibtex(hostile)
    data = parse_string(text, "bibtex")
    (key, entry), = data.entries.items()
    assert key == hostile.key and entry.type == "techreport"
    assert set(entry.fields) == {"title", "type", "number", "institution", "address", "year", "month", "url",
                                 "language"}
    assert _decode(str(entry.fields["title"]).removeprefix("{").removesuffix("}")) == _one_line(HOSTILE["title"])
    assert _decode(str(entry.fields["institution"])) == "Press [31mevil}"
    assert _decode(str(entry.fields["address"])) == "Buck ingham"
    (person,) = entry.persons["author"]  # "and" and the comma did not make more authors
    assert _decode(" ".join(person.last_names)) == _one_line(HOSTILE["family"])
    assert _decode(" ".join(person.first_names + person.middle_names)) == "Jane Q. R. S."
    assert str(entry.fields["url"]) == "https://example.org/a%20b/%7Bx%7D%5Cy%20z/"
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f\u2028\u202e]", text)


def test_hostile_record_reads_back_from_the_ris_as_one_record(hostile):
    text = _publication.ris(hostile)
    records = rispy.loads(text)
    assert len(records) == 1
    (record,) = records
    assert record["authors"] == [_one_line(f"{HOSTILE['family']}, {HOSTILE['given']}")]
    assert record["title"] == _one_line(HOSTILE["title"]) and record["publisher"] == "Press [31mevil}"
    assert record["tertiary_title"] == "Notes AU - Someone Else" and record["place_published"] == "Buck ingham"
    lines = text.split("\r\n")
    assert lines[-1] == "" and all(re.fullmatch(r"[A-Z][A-Z0-9]  -( \S.*)?", line) for line in lines[:-1]), lines
    assert [line[:2] for line in lines[:-1]].count("ER") == 1 and lines[-2] == "ER  -"
    assert not re.search(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\u202e]", text)


def test_one_line_text():
    assert _publication.plain_line(" a\r\nb\u2028c\x1b[0m\u202ed\t e ") == "a b c [0md e"


@pytest.mark.parametrize("timeout", [0, -5, True, "60"])
def test_a_pdf_timeout_that_is_no_bound_fails_naming_mkdocs_yml(fixture_site, timeout):
    result = fixture_site({"index.md": "# Home\n\nText.\n"}, options={"publication": {"pdf_timeout": timeout}})
    assert not result.ok
    assert any("mkdocs.yml: briefing.publication.pdf_timeout:" in m and "above 0" in m
               for m in result.messages), result.text()
