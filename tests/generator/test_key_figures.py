"""Key-figure callouts (briefing/key_figures/): parsing and checking as pure functions; each
bad input failing a strict fixture build with file and line; callouts and "At a glance" cards
of fixture notes."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from briefing.key_figures import figures as kf

from sitebuild import ONE_ENTRY

# Not imported from conftest: with tests/browser/conftest.py in the same run, the name
# `conftest` may resolve to that one.
ROOT = Path(__file__).resolve().parents[2]



# ----------------------------------------------------------------------------- pure functions

GOOD = """# comment
- id: killed
  value: nearly 2,300
  label: Pakistanis killed
  as_of: 2023-11-08
  source: smith2020title

- id: expelled
  value: "1.7 million"
  label: Afghans to be expelled
  as_of: 2023-10
  source: smith2020title
"""


def test_load_figures_reads_fields_and_lines():
    figures, problems = kf.load_figures(GOOD, "data/figures.yml")
    assert problems == []
    assert [f.id for f in figures] == ["killed", "expelled"]
    killed = figures[0]
    assert (killed.value, killed.label, killed.as_of, killed.source) == (
        "nearly 2,300", "Pakistanis killed", "2023-11-08", "smith2020title")
    assert killed.line == 2 and killed.lines["value"] == 3 and killed.lines["source"] == 6
    assert figures[1].value == "1.7 million" and figures[1].as_of_text == "October 2023"


def test_duplicate_id_names_second_line_and_first():
    text = GOOD + GOOD.split("\n", 1)[1].split("\n\n")[0] + "\n"
    figures, problems = kf.load_figures(text, "data/figures.yml")
    assert [f.id for f in figures] == ["killed", "expelled"]
    assert len(problems) == 1
    assert problems[0].line == 13 and "duplicate figure id 'killed'" in problems[0].message
    assert "data/figures.yml:2" in problems[0].message
    assert str(problems[0]).startswith("data/figures.yml:13: ")


@pytest.mark.parametrize("drop", ["value", "label", "source"])
def test_missing_field_names_the_entry(drop):
    lines = GOOD.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(f"  {drop}:"))
    text = "\n".join(lines[:first] + lines[first + 1:]) + "\n"
    figures, problems = kf.load_figures(text, "f.yml")
    assert [f.id for f in figures] == ["expelled"]
    assert [(p.line, p.figure) for p in problems] == [(2, "killed")]
    assert f"missing field {drop!r}" in problems[0].message


def test_optional_fields_may_be_left_out_but_not_empty():
    figures, problems = kf.load_figures("- id: a\n  value: 1\n  label: x\n  source: author\n", "f.yml")
    assert problems == [] and figures[0].own and figures[0].as_of == "" and figures[0].as_of_text == ""
    figures, problems = kf.load_figures("- id: a\n  value: 1\n  label: x\n  source: k\n  period: ''\n", "f.yml")
    assert figures == [] and "missing field 'period' (or it is empty)" in problems[0].message


def test_the_file_may_say_the_order_of_at_a_glance():
    loaded = kf.load("order: file\nfigures:\n" + "".join("  " + line + "\n" for line in GOOD.splitlines()), "f.yml")
    assert loaded.order == "file" and [f.id for f in loaded.figures] == ["killed", "expelled"]
    assert kf.load(GOOD, "f.yml").order == "reading"
    loaded = kf.load("order: random\nfigure: []\n", "f.yml")
    assert [(p.line, p.message.split(";")[0]) for p in loaded.problems] == [
        (2, "unknown key 'figure'"), (1, 'order must be reading or file (the order of "At a glance")')]


def test_missing_id_and_empty_value():
    figures, problems = kf.load_figures("- value: ''\n  label: x\n  as_of: 2023\n  source: k\n", "f.yml")
    assert figures == []
    messages = [str(p) for p in problems]
    assert "f.yml:1: a figure is missing field 'id' (or it is empty)" in messages
    assert "f.yml:1: a figure is missing field 'value' (or it is empty)" in messages


def test_unknown_field_bad_id_and_bad_date():
    text = "- id: Bad_Id\n  value: 1\n  label: x\n  as_of: 2023-13-01\n  source: k\n  sauce: k\n"
    figures, problems = kf.load_figures(text, "f.yml")
    assert figures == []
    by_line = {p.line: p.message for p in problems}
    assert "lower-case" in by_line[1]
    assert "not a date" in by_line[4]
    assert "unknown field 'sauce'" in by_line[6]


@pytest.mark.parametrize(
    ("text", "line"),
    [("figures: {}\n", 1), ("- id: a\n  value: [1,\n", 3), ("- id: a\n\tvalue: 1\n", 2)],
)
def test_unreadable_file_raises_with_line(text, line):
    with pytest.raises(kf.FiguresFileError) as error:
        kf.load_figures(text, "f.yml")
    assert error.value.line == line


def test_empty_file_has_no_figures():
    assert kf.load_figures("# nothing yet\n", "f.yml") == ([], [])


@pytest.mark.parametrize(
    ("iso", "text"), [("2023-11-08", "8 November 2023"), ("2023-11", "November 2023"), ("1979", "1979")]
)
def test_format_as_of(iso, text):
    assert kf.format_as_of(iso) == text


PAGE = """# Chapter

First paragraph says 60% and
nearly 2,300 people.[@smith2020title]

<!-- key-figure: a -->
<!-- key-figure: b -->

## Heading

<!-- key-figure: c -->

```
<!-- key-figure: in-code -->
<!-- key-figure -->
```

Some `<!-- key-figure: inline -->` code.

<!-- at-a-glance -->
"""


def test_find_shortcodes_skips_code():
    found, malformed = kf.find_shortcodes(PAGE)
    assert [(s.kind, s.id, s.line) for s in found] == [
        ("figure", "a", 6), ("figure", "b", 7), ("figure", "c", 11), ("glance", "", 20)]
    assert malformed == []


@pytest.mark.parametrize(
    "line",
    [
        "<!-- key-figure -->",
        "<!-- key-figure: -->",
        "<!-- key-figure: Bad_Id -->",
        "<!-- key-figure: a b -->",
        "<!-- keyfigure: a -->",
        "<!-- key figure: a -->",
        "<!-- figure: a -->",
        "<!-- at-a-glance: all -->",
        "<!-- key-figure: a",
        "Text before <!-- key-figure: a -->",
    ],
)
def test_malformed_shortcodes(line):
    found, malformed = kf.find_shortcodes(f"# T\n\nText.\n\n{line}\n")
    assert found == []
    assert [number for number, _text in malformed] == [5]


def test_group_callouts_and_paragraphs():
    found, _ = kf.find_shortcodes(PAGE)
    groups = kf.group_callouts(PAGE, found)
    assert [(g.ids, g.paragraph) for g in groups] == [(["a", "b"], (3, 4)), (["c"], None)]
    assert groups[0].anchor == "stated-a"


def test_shortcodes_separated_by_text_form_two_groups():
    page = "Para one 1.\n\n<!-- key-figure: a -->\n\nPara two 2.\n\n<!-- key-figure: b -->\n"
    groups = kf.group_callouts(page, kf.find_shortcodes(page)[0])
    assert [(g.ids, g.paragraph) for g in groups] == [(["a"], (1, 1)), (["b"], (5, 5))]


def test_prose_drops_markup_citations_and_comments():
    text = kf.prose('He said "*60% increase* in\nattacks".[@key; @other] <!-- x --> <sup>9</sup> **done**')
    assert text == 'He said "60% increase in attacks". 9 done'


@pytest.mark.parametrize(
    ("value", "found"),
    [("1.7 million", True), ("7 million", False), ("600,000", True), ("1,600", False), ("00,000", False),
     ("at least 600,000", True), ("60%", True), ("0%", False), ("nearly 2,300", True), ("nearly 2,30", False),
     ("In the region", True)],
)
def test_contains_is_verbatim_on_word_boundaries(value, found):
    text = "In the region 11.7 million and 1.7 million; at least 600,000 or 1,600,000; 60% rise, nearly 2,300."
    assert kf.contains(text, value) is found


def test_block_stating_and_title():
    assert kf.block_stating(PAGE, "nearly 2,300") == 3
    assert kf.block_stating(PAGE, "9,999") is None
    assert kf.title_of("---\n\n# The Title #\n\n## Other\n") == "The Title"


PARAGRAPH = ('Early on, 60% rose.[@a] The minister said "*nearly 2,300 died*".[@b; @c] '
             "Since 1979, about four million [moved](https://example.org/x) here.")


@pytest.mark.parametrize(
    ("value", "note_index", "sentence"),
    [("60%", 0, "Early on, 60% rose."), ("nearly 2,300", 1, 'The minister said "nearly 2,300 died".'),
     ("about four million", None, "Since 1979, about four million moved here.")],
)
def test_statement_finds_the_marker_that_next_follows_a_figure(value, note_index, sentence):
    """A note covers the passage before its marker back to the previous one: the source of a
    figure is the next marker in its paragraph; none after it, the author's own statement."""
    found = kf.statement(PARAGRAPH, value)
    assert (found.note_index, found.sentence) == (note_index, sentence)
    assert kf.statement(PARAGRAPH, "9,999") is None


def test_attribution_cues_periods_and_dates():
    assert kf.attribution_cue('The minister said "nearly 2,300 died".') == "said"
    assert kf.attribution_cue("According to officials, 200 left.") == "According to"
    assert kf.attribution_cue("Since 1979, four million settled in the United States.") is None
    assert kf.states(PARAGRAPH, "Since 1979") and not kf.states(PARAGRAPH, "since 1980")
    assert kf.date_covers("2023-11", (2023, 11, 8)) and kf.date_covers("2023-11-08", (2023, 11, 8))
    assert not kf.date_covers("2023-11-08", (2023, 11, None)) and not kf.date_covers("2023", None)


def test_notes_in_a_paragraph_are_its_citations_in_order():
    note = lambda number, line: SimpleNamespace(number=number, line=line)  # noqa: E731
    notes = [note(1, 3), note(2, 7), note(3, 7), note(4, 12)]
    assert [n.number for n in kf.notes_in(notes, (7, 8))] == [2, 3]


def test_strip_links_keeps_text():
    assert kf.strip_links('Gul, <a href="x">“<em>T</em>”</a>.') == "Gul, “<em>T</em>”."


def test_body_offset_counts_front_matter():
    source = "---\ntitle: x\n---\n\n# T\n"
    assert kf.body_offset(source, "# T\n") == 4
    assert kf.body_offset("# T\n", "# T\n") == 0


# ----------------------------------------------------------------------------- the real figures file



# What the text gives as each figure's source: the note whose marker next follows it in its
# paragraph (its number on the site), or none: the author's own statement.




# ----------------------------------------------------------------------------- fixture builds

BIB = ONE_ENTRY + """
@article{jones2021other,
  author = {Jones, Ann},
  title = {Another Title},
  journaltitle = {The Journal},
  date = {2021-01-02},
  url = {https://example.org/b},
  urldate = {2023-11-14},
}
"""

FIGURES = """- id: killed
  value: nearly 2,300
  label: Pakistanis killed
  as_of: 2020-01-02
  source: smith2020title
"""

CHAPTER = """---
description: A chapter.
---

# Chapter

Intro.[@jones2021other]

The attacks killed nearly 2,300 Pakistanis.[@smith2020title]

<!-- key-figure: killed -->
"""
HOME = "# Home\n\nAbstract.\n\n<!-- at-a-glance -->\n"


@pytest.fixture
def build_with(tmp_path, fixture_site):
    """Build a fixture site with a figures file: build_with(figures, pages=None, bib=BIB)."""

    def _build(figures: str | None, pages: dict | None = None, bib: str = BIB):
        if figures is not None:
            (tmp_path / "data").mkdir(exist_ok=True)
            (tmp_path / "data" / "figures.yml").write_text(figures, encoding="utf-8")
        pages = pages if pages is not None else {"index.md": HOME, "chapter.md": CHAPTER}
        return fixture_site(pages, bib=bib, nav=list(pages))

    return _build


def _fails_at(result, where: str, *words: str) -> None:
    assert not result.ok, result.text()
    assert any(where in m and all(w in m for w in words) for m in result.messages + [result.error]), result.text()


def test_valid_fixture_renders_callout_and_card(build_with):
    result = build_with(FIGURES)
    assert result.ok, result.text()
    chapter = BeautifulSoup(result.html("chapter"), "html.parser")
    paragraph = chapter.find(id="stated-killed")
    assert paragraph.name == "p" and "nearly 2,300" in paragraph.get_text()
    aside = chapter.select_one("aside.key-figure#key-figure-killed")
    assert aside.select_one(".key-figure__value").get_text() == "nearly 2,300"
    assert "Key figure" in aside.get_text() and "As of 2 January 2020" in aside.get_text()
    source = aside.select_one("a.key-figure__source")
    assert source["href"] == "#fn:2" and "Smith" in source.get_text()
    for part in aside["aria-labelledby"].split():
        assert chapter.find(id=part) is not None
    assert [li["id"] for li in chapter.select("li[id^='fn:']")] == ["fn:1", "fn:2"]  # no new notes
    assert "[@" not in str(aside) and not aside.select("sup")
    home = BeautifulSoup(result.html(), "html.parser")
    assert home.find(id="at-a-glance").get_text().startswith("At a glance")
    card = home.select_one("li.at-a-glance__card")
    assert card.select_one("a.at-a-glance__link")["href"] == "chapter/#stated-killed"
    assert card.select_one("a.key-figure__source")["href"] == "chapter/#fn:2"


def test_unknown_id_fails(build_with):
    result = build_with(FIGURES, {"index.md": HOME, "chapter.md": CHAPTER + "\n<!-- key-figure: nosuch -->\n"})
    _fails_at(result, "docs/chapter.md:13", "unknown figure 'nosuch'", "data/figures.yml")


def test_duplicate_id_fails(build_with):
    result = build_with(FIGURES + "\n" + FIGURES)
    _fails_at(result, "data/figures.yml:7", "duplicate figure id 'killed'", "data/figures.yml:1")


def test_missing_field_fails(build_with):
    result = build_with(FIGURES.replace("  label: Pakistanis killed\n", ""))
    _fails_at(result, "data/figures.yml:1", "missing field 'label'")


def test_value_not_in_text_fails(build_with):
    result = build_with(FIGURES.replace("nearly 2,300", "nearly 2,400"))
    _fails_at(result, "docs/chapter.md:11", "'nearly 2,400'", "does not contain", "data/figures.yml:2")


def test_value_elsewhere_in_chapter_fails(build_with):
    chapter = CHAPTER.replace("Intro.", "Intro: nearly 2,300.").replace("killed nearly 2,300", "killed many")
    result = build_with(FIGURES, {"index.md": HOME, "chapter.md": chapter})
    _fails_at(result, "docs/chapter.md:11", "does not state 'nearly 2,300'", "line 7 does")


def test_callout_not_after_a_paragraph_fails(build_with):
    chapter = CHAPTER.replace("<!-- key-figure: killed -->", "## Heading\n\n<!-- key-figure: killed -->")
    result = build_with(FIGURES, {"index.md": HOME, "chapter.md": chapter})
    _fails_at(result, "docs/chapter.md:13", "right after the paragraph")


def test_source_not_in_bib_fails(build_with):
    result = build_with(FIGURES.replace("source: smith2020title", "source: nosuch2020"))
    _fails_at(result, "data/figures.yml:5", "'nosuch2020'", "references.bib")


def test_source_not_cited_in_chapter_fails(build_with):
    other = "# Other\n\nCited here.[@smith2020title]\n"
    chapter = CHAPTER.replace("[@smith2020title]", "")
    result = build_with(FIGURES, {"index.md": HOME, "chapter.md": chapter, "other.md": other})
    _fails_at(result, "docs/chapter.md:11", "'smith2020title'", "not cited in docs/chapter.md")


def test_malformed_shortcode_fails(build_with):
    result = build_with(FIGURES, {"index.md": HOME, "chapter.md": CHAPTER + "\n<!-- key-figure killed -->\n"})
    _fails_at(result, "docs/chapter.md:13", "malformed shortcode")


def test_figure_stated_twice_fails(build_with):
    result = build_with(FIGURES, {"index.md": HOME, "chapter.md": CHAPTER + "<!-- key-figure: killed -->\n"})
    _fails_at(result, "docs/chapter.md:12", "already has a callout at docs/chapter.md:11")


def test_figure_without_callout_fails(build_with):
    result = build_with(FIGURES, {"index.md": HOME, "chapter.md": CHAPTER.replace("<!-- key-figure: killed -->", "")})
    _fails_at(result, "data/figures.yml:1", "'killed' has no callout")


def test_unreadable_figures_file_fails(build_with):
    result = build_with("- id: killed\n  value: [1,\n")
    _fails_at(result, "data/figures.yml:3", "not valid YAML")


def test_missing_figures_file_is_fine_without_shortcodes(build_with):
    result = build_with(None, {"index.md": "# Home\n\nText.[@smith2020title]\n"})
    assert result.ok, result.text()
    result = build_with(None, {"index.md": HOME, "chapter.md": CHAPTER})
    _fails_at(result, "docs/chapter.md:11", "does not exist")


def test_unknown_option_is_reported(fixture_site):
    result = fixture_site({"index.md": "# Home\n"}, bib=BIB, options={"key_figures": {"fiel": "x"}})
    _fails_at(result, "", "mkdocs.yml: briefing.key_figures.fiel")


# ----------------------------------------------------------------------------- the real site




















# ----------------------------------------------------------------------------- the attribution rule, built

RULE_BIB = BIB + """
@article{khan2021dated,
  author = {Khan, Sara},
  title = {Dated Piece},
  journaltitle = {The Journal},
  date = {2021-05-06},
  url = {https://example.org/c},
  urldate = {2023-11-14},
}

@online{undated2022,
  title = {Undated Page},
  organization = {Some Agency},
  url = {https://example.org/d},
  urldate = {2023-11-14},
}
"""


def rule_site(build_with, figures: str, paragraph: str):
    chapter = f"# Chapter\n\n{paragraph}\n\n<!-- key-figure: f -->\n"
    return build_with(figures, {"index.md": HOME, "chapter.md": chapter}, bib=RULE_BIB)


def figure(source: str, value: str = "nearly 2,300", **more) -> str:
    lines = [f"- id: f\n  value: {value}\n  label: people\n  source: {source}"]
    lines += [f"  {name}: {text}" for name, text in more.items()]
    return "\n".join(lines) + "\n"


BEFORE_A_MARKER = "Intro.[@jones2021other] Then nearly 2,300 people left.[@khan2021dated] Later.[@smith2020title]"


def test_a_figure_before_a_marker_has_that_note_as_its_source(build_with):
    result = rule_site(build_with, figure("khan2021dated", as_of="2021-05"), BEFORE_A_MARKER)
    assert result.ok, result.text()
    aside = BeautifulSoup(result.html("chapter"), "html.parser").select_one("aside.key-figure")
    assert aside.select_one("a.key-figure__source")["href"] == "#fn:2" and "Khan" in aside.get_text()
    assert "As of May 2021" in aside.get_text()


@pytest.mark.parametrize("named", ["jones2021other", "smith2020title", "author"])
def test_naming_another_source_than_the_next_marker_fails(build_with, named):
    result = rule_site(build_with, figure(named), BEFORE_A_MARKER)
    _fails_at(result, "docs/chapter.md:5", "figure 'f' ('nearly 2,300')", f"'{named}'", "note 2",
              "khan2021dated", "data/figures.yml:4")


AFTER_THE_LAST_MARKER = "Intro.[@jones2021other] It is evident that since 1979 nearly 2,300 people left."


def test_a_figure_after_the_last_marker_is_the_author_s_own(build_with):
    result = rule_site(build_with, figure("author", period="since 1979"), AFTER_THE_LAST_MARKER)
    assert result.ok, result.text()
    aside = BeautifulSoup(result.html("chapter"), "html.parser").select_one("aside.key-figure")
    assert aside.select_one("a.key-figure__source") is None
    assert "Source: the note itself (it cites no source for this figure)." in aside.get_text()
    card = BeautifulSoup(result.html(), "html.parser").select_one("li.at-a-glance__card")
    assert card.select_one("a.key-figure__source") is None and "the note itself" in card.get_text()


def test_crediting_a_source_to_the_author_s_own_statement_fails(build_with):
    result = rule_site(build_with, figure("jones2021other"), AFTER_THE_LAST_MARKER)
    _fails_at(result, "docs/chapter.md:5", "figure 'f'", "'jones2021other'", "no note marker follows it",
              "line 3", "source: author")


ATTRIBUTED = "Intro.[@jones2021other] The minister said that nearly 2,300 people left.[@khan2021dated]"


def test_an_attributed_claim_is_shown_as_the_text_attributes_it(build_with):
    result = rule_site(build_with, figure("khan2021dated", attribution="The minister said"), ATTRIBUTED)
    assert result.ok, result.text()
    aside = BeautifulSoup(result.html("chapter"), "html.parser").select_one("aside.key-figure")
    claim = aside.select_one(".key-figure__claim")
    assert claim.get_text() == "“The minister said …”" and claim["id"] in aside["aria-labelledby"].split()


def test_an_attributed_claim_without_its_attribution_fails(build_with):
    result = rule_site(build_with, figure("khan2021dated"), ATTRIBUTED)
    _fails_at(result, "docs/chapter.md:5", "figure 'f'", "'said'", "attribution:")


def test_an_attribution_the_paragraph_does_not_make_fails(build_with):
    result = rule_site(build_with, figure("khan2021dated", attribution="The general said"), ATTRIBUTED)
    _fails_at(result, "docs/chapter.md:5", "'The general said'", "does not say", "data/figures.yml:5")


PERIOD = "After the war, nearly 2,300 people left.[@undated2022]"


def test_a_period_figure_shows_its_period_in_the_text_s_words(build_with):
    result = rule_site(build_with, figure("undated2022", period="After the war"), PERIOD)
    assert result.ok, result.text()
    meta = BeautifulSoup(result.html("chapter"), "html.parser").select_one("aside .key-figure__meta")
    assert " ".join(meta.get_text().split()).startswith("Period: After the war. Source:")
    assert meta.find("time") is None


@pytest.mark.parametrize(
    ("more", "needles"),
    [
        ({"as_of": "2023-11"}, ["as_of '2023-11'", "'undated2022' gives no date", "period:"]),
        ({"period": "Before the war"}, ["period 'Before the war'", "does not say"]),
    ],
)
def test_a_period_or_date_the_text_and_source_do_not_give_fails(build_with, more, needles):
    result = rule_site(build_with, figure("undated2022", **more), PERIOD)
    _fails_at(result, "docs/chapter.md:5", *needles)


def test_as_of_must_be_the_date_the_source_gives(build_with):
    result = rule_site(build_with, figure("khan2021dated", as_of="2023-11-08", attribution="The minister said"),
                       ATTRIBUTED)
    _fails_at(result, "docs/chapter.md:5", "as_of '2023-11-08'", "is dated 2021-05-06")
    result = rule_site(build_with, figure("author", as_of="2023-11"), AFTER_THE_LAST_MARKER)
    _fails_at(result, "docs/chapter.md:5", "no outside source to date it")


TWO = """# Chapter

First 60% rose.[@smith2020title]

<!-- key-figure: a -->

Then nearly 2,300 left.[@smith2020title]

<!-- key-figure: b -->
"""
TWO_FIGURES = """- id: b
  value: nearly 2,300
  label: left
  source: smith2020title
- id: a
  value: 60%
  label: rose
  source: smith2020title
"""


@pytest.mark.parametrize(("text", "order"), [(TWO_FIGURES, ["a", "b"]),
                                             ("order: file\nfigures:\n" + TWO_FIGURES, ["b", "a"])])
def test_at_a_glance_is_in_reading_order_unless_the_file_says_otherwise(build_with, text, order):
    result = build_with(text, {"index.md": HOME, "chapter.md": TWO})
    assert result.ok, result.text()
    cards = BeautifulSoup(result.html(), "html.parser").select("li.at-a-glance__card")
    assert [card["id"].removeprefix("glance-") for card in cards] == order
