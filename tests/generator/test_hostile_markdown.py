"""Markdown that is not a citation stays literal: code (inline, fenced, indented), link text
starting with @, and hand-written footnotes, which fail the build (the notes are numbered in
one sequence across the briefing)."""

from __future__ import annotations

import markdown
import pytest
from bs4 import BeautifulSoup

from briefing.citations import library as lib

from sitebuild import ONE_ENTRY

EXTENSIONS = ["admonition", "footnotes", "md_in_html", "attr_list"]


def convert(text: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS).convert(text)


def in_code(text, spans):
    return lib.spans_in_code(text, spans, convert)


# ----------------------------------------------------------------------------- pure functions


def test_indented_code_is_told_from_other_indented_text():
    text = (
        "Para.[@a]\n\n"
        "    [@incode]\n\n"  # an indented code block
        "!!! note\n    In a note.[@b]\n\n"  # an admonition's body, indented the same way
        "1. An item.\n\n    More of the item.[@c]\n\n"  # a list item's second paragraph
        "> quoted\n>\n>     [@quotedcode]\n\n"  # code inside a block quote
        "End.[@d]\n"
    )
    assert [c.keys for c in lib.find_citations(text, in_code)] == [["a"], ["b"], ["c"], ["d"]]


def test_spans_in_code_only_converts_when_a_span_is_indented():
    calls = []

    def counting(text, spans):
        calls.append(spans)
        return in_code(text, spans)

    assert [c.keys for c in lib.find_citations("a[@x] `[@y]`\n\n```\n[@z]\n```\n", counting)] == [["x"]]
    assert calls == []


def test_find_footnotes_outside_code():
    text = "Text.[^1] and `[^2]`\n\n    [^3]\n\n[^1]: The note.\n"
    assert lib.find_footnotes(text, in_code) == [
        lib.Footnote("1", 1, False), lib.Footnote("1", 5, True),
    ]


# ----------------------------------------------------------------------------- strict builds
CODE_PAGE = (
    "# Home\n\n"
    "Text.[@smith2020title]\n\n"
    "Inline `[@smith2020title]` code.\n\n"
    "```\n[@smith2020title] fenced\n```\n\n"
    "    [@smith2020title] indented\n\n"
    "After.[@smith2020title]\n"
)


def test_citations_in_code_stay_literal_and_take_no_note_number(fixture_site):
    result = fixture_site({"index.md": CODE_PAGE}, bib=ONE_ENTRY)
    assert result.ok, result.text()
    soup = BeautifulSoup(result.html(), "html.parser")
    codes = [code.get_text() for code in soup.select("article code")]
    assert codes == ["[@smith2020title]", "[@smith2020title] fenced\n", "[@smith2020title] indented\n"]
    assert [sup.get_text() for sup in soup.select("article sup.note-ref")] == ["1", "2"]
    assert [li["value"] for li in soup.select("div.briefing-notes li")] == ["1", "2"]
    assert "[^" not in result.html()


def test_link_text_starting_with_at_is_a_link(fixture_site):
    result = fixture_site(
        {"index.md": "# Home\n\nSee [@SSEASRC](https://example.org/sseasrc) here.[@smith2020title]\n"},
        bib=ONE_ENTRY,
    )
    assert result.ok, result.text()
    link = BeautifulSoup(result.html(), "html.parser").select_one('article a[href="https://example.org/sseasrc"]')
    assert link is not None and link.get_text() == "@SSEASRC"


@pytest.mark.parametrize(
    ("page", "line"),
    [
        ("# Home\n\nText.[@smith2020title] Mine.[^1]\n\n[^1]: My own note.\n", 3),
        ("---\ndescription: x\n---\n# Home\n\nText.\n\n[^own]: A definition alone.\n", 8),
    ],
)
def test_a_hand_written_footnote_fails_with_file_line_and_fix(fixture_site, page, line):
    result = fixture_site({"index.md": page}, bib=ONE_ENTRY)
    assert not result.ok
    assert any(f"docs/index.md:{line}: hand-written footnote [^" in m and "Cite a source with [@key]" in m
               for m in result.messages), result.text()


def test_footnote_syntax_in_code_is_no_footnote(fixture_site):
    result = fixture_site({"index.md": "# Home\n\nWrite `[^1]` and:\n\n    [^1]: a definition\n"}, bib=ONE_ENTRY)
    assert result.ok, result.text()
    assert "[^1]: a definition" in result.html()


def test_the_per_page_bibliography_command_is_refused(fixture_site):
    result = fixture_site({"index.md": "# Home\n\nText.[@smith2020title]\n\n\\bibliography\n"}, bib=ONE_ENTRY)
    assert not result.ok
    assert any("docs/index.md:5: \\bibliography" in m for m in result.messages), result.text()


def test_a_second_full_bibliography_is_refused(fixture_site):
    pages = {"index.md": "# Home\n\nText.[@smith2020title]\n", "references.md": "# References\n\n\\full_bibliography\n",
             "again.md": "# Again\n\n\\full_bibliography\n"}
    result = fixture_site(pages, bib=ONE_ENTRY, nav=["index.md", "references.md", "again.md"])
    assert not result.ok
    assert any("docs/again.md:3: a second \\full_bibliography (the first is in docs/references.md)" in m
               for m in result.messages), result.text()


def test_inline_citations_are_refused_in_the_settings(fixture_site):
    from sitebuild import minimal_config

    plugins = minimal_config()["plugins"]
    for plugin in plugins:
        if isinstance(plugin, dict) and "bibtex" in plugin:
            plugin["bibtex"]["enable_inline_citations"] = True
    result = fixture_site({"index.md": "# Home\n\nText.[@smith2020title]\n"}, bib=ONE_ENTRY, plugins=plugins)
    assert not result.ok
    assert any("enable_inline_citations: true is not supported" in m for m in result.messages), result.text()
