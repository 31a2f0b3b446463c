"""A .bib library an author got wrong, or one made to attack the site, fails the strict build
with the file and line (and the entry), never a traceback; nothing of it reaches a page raw."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from briefing.citations import library as lib

ENTRY = """@online{{k1,
  author = {{Smith, Jane}},
  title = {{{title}}},{extra}
  date = {{2020-01-02}},
  url = {{{url}}},
  urldate = {{2023-11-14}},
}}
"""
PAGE = {"index.md": "# Home\n\nText.[@k1]\n"}


def entry(title="A Title", url="https://example.org/a", extra=""):
    return ENTRY.format(title=title, url=url, extra=extra)


def failing(result, *parts):
    assert not result.ok
    assert any(all(part in message for part in parts) for message in result.text().splitlines()), result.text()
    assert "Traceback" not in result.text()


# ----------------------------------------------------------------------------- pure functions


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://example.org/a?b=c#d", ""),
        ("http://[::1]:8080/x", ""),
        ("http://[::1", "is not a valid URL"),
        ("https://example.org:port/", "is not a valid URL"),
        ("https://example.org/\x01x", "control character U+0001"),
        ("https://example.org/\u202egnp.exe", "control character U+202E"),
        ("https://exa mple.org/", "white space"),
        ("https:///path", "has no host name"),
        ("javascript:alert(1)", "only http:// and https://"),
    ],
)
def test_url_problem(url, problem):
    assert lib.url_problem(url) == problem if not problem else problem in lib.url_problem(url)
    assert lib.is_http_url(url) is (problem == "")


def test_a_syntax_error_is_placed_in_the_entry_left_open():
    text = "@book{k0,\n title={x},\n}\n\n@online{k1,\n  title = {A {Title},\n}\n\n@book{k2,\n  title = {B},\n}\n"
    offset = text.index("@book{k2")  # where pybtex notices the missing brace
    assert lib.syntax_error_entry(text, offset) == ("k1", 5)
    assert lib.syntax_error_entry(text, len(text)) == ("k2", 9)
    assert lib.syntax_error_entry("junk", 2) is None


def test_an_entry_closed_early_is_found_at_its_stray_brace():
    text = entry(title="A Title}") + "\n% a comment may say note = {x}\n@string{s = {x}}\n"
    text += "@book{k2,\n  title = {B},\n}\n"
    assert [str(p) for p in lib.closed_early(Path("x.bib"), text)] == [
        "x.bib:3: entry 'k1' ends here, before its field 'date' (line 4): a '}' too many closes the entry "
        "early and BibTeX drops every field after it; delete the extra '}'"]
    assert lib.closed_early(Path("x.bib"), entry() + "\nFree text = words, and % note = {x}\n@comment{a = {b}}\n") == []
    assert lib.closed_early(Path("x.bib"), entry(title="A {Title")) == []  # left open: pybtex's error


def test_character_problems_name_line_and_entry():
    text = "@online{k1,\n  title = {A \u202eB},\n}\n@book{k2,\n title = {x\x07}}\n"
    assert [str(p) for p in lib.character_problems(Path("x.bib"), text)] == [
        "x.bib:2: bidi control character U+202E in entry 'k1': delete it (it hides or reorders what a reader sees)",
        "x.bib:5: control character U+0007 in entry 'k2': delete it (it hides or reorders what a reader sees)",
    ]
    assert lib.character_problems(Path("x.bib"), "@book{k, title = {\u0627\u200f\u0628}}") == []  # a mark is fine


# ----------------------------------------------------------------------------- strict builds


def test_a_bib_that_is_not_utf8_names_the_line(fixture_site, tmp_path):
    from sitebuild import build, make_site

    config = make_site(tmp_path, PAGE, entry())
    (tmp_path / "bib" / "references.bib").write_bytes(entry(title="Caf\xe9").encode("latin-1"))
    result = build(config, tmp_path / "site")
    failing(result, "references.bib:3: not UTF-8 (byte 0xE9)", "save the file as UTF-8")


@pytest.mark.parametrize(
    ("url", "problem"),
    [("http://[::1", "is not a valid URL (Invalid IPv6 URL)"), ("https://exa mple.org/", "white space")],
)
def test_a_url_that_does_not_parse_names_the_entry(fixture_site, url, problem):
    failing(fixture_site(PAGE, bib=entry(url=url)), "references.bib:1: entry 'k1' has url", problem)


@pytest.mark.parametrize(
    ("field", "character"),
    [("url", "\x01"), ("title", "\x1b"), ("title", "\u202e"), ("title", "\u2066")],
)
def test_control_and_bidi_characters_are_refused(fixture_site, field, character):
    bib = entry(url="https://example.org/" + character) if field == "url" else entry(title="A " + character + "T")
    line = 5 if field == "url" else 3
    failing(fixture_site(PAGE, bib=bib), f"references.bib:{line}:", f"U+{ord(character):04X} in entry 'k1'")


def test_a_dangling_crossref_names_the_entry(fixture_site):
    failing(fixture_site(PAGE, bib=entry(extra="\n  crossref = {nosuch},")),
            "references.bib:1: entry 'k1' has crossref 'nosuch', which names no entry")


@pytest.mark.parametrize(
    ("bib", "line", "key"),
    [
        (entry(title="A {Title") + "\n@book{k2,\n  title = {B},\n}\n", 1, "k1"),  # runs into the next entry
        (entry() + "\n@book{k2,\n  title = {B {x},\n}\n", 9, "k2"),  # runs to the end of the file
    ],
)
def test_a_brace_error_names_the_entry_left_open(fixture_site, bib, line, key):
    failing(fixture_site(PAGE, bib=bib), f"references.bib:{line}: malformed entry {key!r}", "check its braces")


def test_an_entry_closed_early_fails_instead_of_losing_its_fields(fixture_site):
    # pybtex reads `title = {A Title}},` as the end of k1 and drops date, url and urldate unsaid
    failing(fixture_site(PAGE, bib=entry(title="A Title}")), "references.bib:3: entry 'k1' ends here, before its "
            "field 'date' (line 4)", "delete the extra '}'")


def test_an_unknown_key_is_shown_escaped(fixture_site):
    result = fixture_site({"index.md": "# Home\n\nText.[@a<b>c]\n"}, bib=entry(), strict=False)
    assert result.ok, result.text()
    note = BeautifulSoup(result.html(), "html.parser").select_one("div.briefing-notes li p")
    assert note.get_text().startswith("Unknown source: a<b>c") and note.find("b") is None
