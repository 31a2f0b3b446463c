"""The note's own record (briefing.publication): cite-this block, .bib/.ris downloads, meta tags on
every page, CITATION.cff, robots.txt, sitemap, canonical URLs and the 404 page all agree with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rispy
import yaml
from bs4 import BeautifulSoup
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from pybtex.database import parse_string

from briefing.publication import record as _publication

from sitebuild import MINIMAL

ROOT = Path(__file__).resolve().parents[2]








def metas(soup: BeautifulSoup) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("name") or tag.get("property")
        if key:
            found.setdefault(key, []).append(tag.get("content", ""))
    return found




# ----------------------------------------------------------------------------- the record


def _config_with(tmp_path: Path, publication, **site):
    (tmp_path / "docs").mkdir(exist_ok=True)
    data = {"site_name": "A Note", "site_url": "https://example.org/note/",
            "plugins": [{"briefing": {"publication": publication}}], **site}
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return load_config(str(path))


GOOD = {"title": "A Note", "author": {"given": "Jane", "family": "Smith", "affiliation": "Uni"},
        "series": "Notes", "number": "7", "date": "2024-02-03", "publisher": "Press"}


def test_full_date_and_defaults(tmp_path):
    record, warnings = _publication.load(_config_with(tmp_path, GOOD))
    assert warnings == []
    assert record.date_text == "February 3, 2024" and record.iso_date == "2024-02-03"
    assert record.url == "https://example.org/note/" and record.pdf is True and record.language == "en"


@pytest.mark.parametrize("bad, message", [
    ({**GOOD, "date": "Nov 2023"}, "YYYY-MM"),
    ({k: v for k, v in GOOD.items() if k != "title"}, "title"),
    ({**GOOD, "author": {"given": "Jane", "family": "Smith"}}, "affiliation"),
    ({**GOOD, "number": 7}, "number"),
])
def test_bad_record_is_an_error_naming_mkdocs_yml(tmp_path, bad, message, caplog):
    """A wrong type or a missing field fails as the configuration is read (its messages
    logged), a date that is not one as the record is made (a PluginError)."""
    from mkdocs.exceptions import Abort

    try:
        _publication.load(_config_with(tmp_path, bad))
        raise AssertionError("the record was accepted")
    except PluginError as error:
        text = str(error)
    except Abort:
        text = caplog.text
    assert "mkdocs.yml" in text and message in text


def test_unknown_key_and_disagreeing_site_settings_are_warnings(tmp_path, caplog):
    _record, warnings = _publication.load(_config_with(tmp_path, {**GOOD, "titel": "x"}, site_name="Other",
                                                       site_author="Someone"))
    text = "\n".join(warnings) + caplog.text  # the unknown key: a warning of the configuration
    assert "titel" in text and "site_name" in text and "site_author" in text


def test_typo_in_the_record_fails_a_strict_build(fixture_site):
    result = fixture_site({"index.md": "# Home\n\nText.\n"}, options={"publication": {"serie": "x"}})
    assert not result.ok
    assert any("serie" in m and "mkdocs.yml" in m for m in result.messages), result.text()


def test_site_without_a_record_builds_and_cite_this_without_one_warns(fixture_site):
    result = fixture_site({"index.md": "# Home\n\nText.\n"}, options={"publication": None})
    assert result.ok, result.text()
    assert not (result.site_dir / "print").exists()
    result = fixture_site({"index.md": "# Home\n\n<!-- cite-this -->\n"}, options={"publication": None})
    assert not result.ok
    assert any("index.md" in m and "cite-this" in m for m in result.messages), result.text()


# ----------------------------------------------------------------------------- downloads










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
    return {"publication": {"deploy": True, **publication}}


def test_deploy_build_refuses_the_placeholder_address(fixture_site):
    result = fixture_site({"index.md": "# Home\n\n<!-- cite-this -->\n"}, options=_deploy_options(),
                          site_url="https://example.github.io/briefing/")
    assert not result.ok
    text = result.text()
    assert "example.github.io is a placeholder" in text and "SITE_URL" in text and "mkdocs.yml" in text, text
    assert "Traceback" not in text


def test_deploy_build_with_the_real_address_builds_and_checks_citation_cff(fixture_site, tmp_path):
    address = "https://owner.github.io/briefing/"
    pages = {"index.md": "# Home\n\n<!-- cite-this -->\n"}
    result = fixture_site(pages, options=_deploy_options(), site_url=address)
    assert result.ok, result.text()
    assert address in result.html()
    minimal_cff = (MINIMAL / "CITATION.cff").read_text(encoding="utf-8")  # agrees with the minimal record
    (tmp_path / "CITATION.cff").write_text(minimal_cff, encoding="utf-8")
    result = fixture_site(pages, options=_deploy_options(), site_url=address)
    assert not result.ok and "CITATION.cff: url is" in result.text() and address in result.text(), result.text()
    text = minimal_cff.replace(yaml.safe_load(minimal_cff)["url"], address)
    (tmp_path / "CITATION.cff").write_text(text, encoding="utf-8")
    result = fixture_site(pages, options=_deploy_options(), site_url=address)
    assert result.ok, result.text()


def test_a_local_build_keeps_the_fallback_address(fixture_site):
    result = fixture_site({"index.md": "# Home\n\n<!-- cite-this -->\n"},
                          site_url="https://example.github.io/briefing/")
    assert result.ok, result.text()




# ----------------------------------------------------------------------------- pages






# ----------------------------------------------------------------------------- rights
def footer(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").select_one(".md-copyright").get_text().split())




def test_rights_the_record_states_reach_footer_edition_and_tags_escaped(fixture_site):
    rights = "© 2023 <b>The Author</b> & Press. All rights reserved."
    result = fixture_site({"index.md": "# Home\n\nText.\n"}, options={"publication": {"rights": rights}})
    assert result.ok, result.text()
    html = result.html()
    assert footer(html) == rights and "<b>The Author</b>" not in html
    assert metas(BeautifulSoup(html, "html.parser"))["DC.rights"] == [rights]
    edition = BeautifulSoup((result.site_dir / "print" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert edition.select_one(".colophon__rights").get_text() == rights and not edition.select(".colophon b")


def test_a_copyright_setting_beside_the_record_fails_a_strict_build(fixture_site):
    result = fixture_site({"index.md": "# Home\n\nText.\n"}, copyright="Text &copy; 2023 Someone.")
    assert not result.ok
    assert any("copyright" in m and "briefing.publication.rights" in m and "mkdocs.yml" in m
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
    """The minimal note's record (tests/fixtures/minimal/mkdocs.yml)."""
    record, warnings = _publication.load(load_config(str(MINIMAL / "mkdocs.yml")))
    assert warnings == [] and record is not None
    return record


@pytest.fixture
def hostile(pub) -> _publication.Publication:
    import dataclasses

    return dataclasses.replace(pub, **HOSTILE)


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
