"""The pictures and data (briefing/pictures/): the quantity parser, the timeline's and charts'
checks and the data downloads' escaping as pure functions; fixture notes built strict with a
timeline, a chart and downloads (each author mistake failing with file and line)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from bs4 import BeautifulSoup

from briefing.key_figures import figures as kf
from briefing.pictures import charts as ch
from briefing.pictures import downloads as dl
from briefing.pictures import quantities as q
from briefing.pictures import timeline as tl

from sitebuild import ONE_ENTRY


# ----------------------------------------------------------------------------- quantities
@pytest.mark.parametrize(("words", "number", "unit", "qualifier"), [
    ("six million", 6_000_000, q.COUNT, q.EXACT),
    ("In the region of six million", 6_000_000, q.COUNT, "about"),
    ("3.5 million", 3_500_000, q.COUNT, q.EXACT),
    ("nearly 800,000", 800_000, q.COUNT, "nearly"),
    ("at least 600,000", 600_000, q.COUNT, "at least"),
    ("approximately seven million", 7_000_000, q.COUNT, "about"),
    ("circa four million", 4_000_000, q.COUNT, "about"),
    ("around 200,000", 200_000, q.COUNT, "about"),
    ("two million", 2_000_000, q.COUNT, q.EXACT),
    ("a million", 1_000_000, q.COUNT, q.EXACT),
    ("60%", 60, q.PERCENT, q.EXACT),
    ("nearly 2,300", 2_300, q.COUNT, "nearly"),
])
def test_quantities_read_the_text_s_words(words, number, unit, qualifier):
    quantity = q.parse(words)
    assert (quantity.integer, quantity.unit, quantity.qualifier) == (number, unit, qualifier)
    assert quantity.approximate == (qualifier != q.EXACT)


@pytest.mark.parametrize("words", ["", "a", "many", "seven million people", "1,00", "million"])
def test_what_is_not_one_quantity_is_none(words):
    assert q.parse(words) is None


def test_quantities_print_as_readers_check_them():
    assert q.formatted(q.parse("In the region of six million")) == "6,000,000"
    assert q.formatted(q.parse("3.5 million")) == "3,500,000"
    assert q.formatted(q.parse("60%")) == "60%"


# ----------------------------------------------------------------------------- downloads
def test_csv_neutralises_formulas_and_keeps_numbers():
    columns = (dl.Column("id", "string", ""), dl.Column("number", "number", ""), dl.Column("text", "string", ""))
    rows = [{"id": "=HYPERLINK(\"http://x\")", "number": -5, "text": "+1"},
            {"id": "@SUM(A1)", "number": 3.5, "text": "a, \"quoted\"\nline"},
            {"id": "-2", "number": None, "text": "\tx"}]
    parsed = list(csv.reader(io.StringIO(dl.to_csv(rows, columns))))
    assert parsed[0] == ["id", "number", "text"]
    assert parsed[1] == ["'=HYPERLINK(\"http://x\")", "-5", "'+1"]
    assert parsed[2] == ["'@SUM(A1)", "3.5", "a, \"quoted\"\nline"]
    assert parsed[3] == ["'-2", "", "'\tx"]


def test_json_is_json_dumps_with_nulls_for_blanks():
    columns = (dl.Column("id", "string", ""), dl.Column("note", "integer", ""))
    text = dl.to_json([{"id": "</script><b>\"x\"", "note": None}], columns)
    assert json.loads(text) == [{"id": "</script><b>\"x\"", "note": None}]


def test_the_data_package_grants_no_licence_the_note_does_not_state():
    package = dl.datapackage(name="n", title="T", note_url="https://example.org/", author="A", date="2023",
                             rights=None, sources=[dl.Source("T", "https://example.org/")])
    assert "licenses" not in package and "states no licence" in package["description"]
    stated = dl.datapackage(name="n", title="T", note_url="", author="A", date="2023", rights="CC BY 4.0",
                            sources=[dl.Source("T")])
    assert "licenses" not in stated and "CC BY 4.0" in stated["description"]
    assert [r["path"] for r in package["resources"]] == ["key-figures.csv", "key-figures.json", "timeline.csv",
                                                         "timeline.json"]


# ----------------------------------------------------------------------------- timeline
def test_when_is_an_iso_date_or_a_range():
    assert tl.when_problem("1979") is None and tl.when_problem("2021-08-15") is None
    assert tl.when_problem("1989/1994") is None
    assert "not a date" in tl.when_problem("August 2021")
    assert "not a date" in tl.when_problem("2021-02-30")
    assert "ends before it starts" in tl.when_problem("1994/1989")


def test_the_machine_date_must_agree_with_the_words():
    assert tl.date_problems("between 1989 and 1994", "1989/1994") == []
    assert tl.date_problems("August 15, 2021", "2021-08-15") == []
    assert tl.date_problems("9/11", "2001-09-11") == []  # no year in the words: nothing to compare
    assert "gives the year(s) 2020" in tl.date_problems("February 2020", "2021-02")[0]
    assert "names the month(s) February" in tl.date_problems("February 2020", "2020-03")[0]


def test_dates_become_time_elements_in_the_text_s_words():
    assert str(tl.date_html("between 1989 and 1994", "1989/1994")) == (
        'between <time datetime="1989">1989</time> and <time datetime="1994">1994</time>')
    assert str(tl.date_html("August 15, 2021", "2021-08-15")) == '<time datetime="2021-08-15">August 15, 2021</time>'
    assert str(tl.date_html("<b>9/11</b>", "2001-09-11")) == (
        '<time datetime="2001-09-11">&lt;b&gt;9/11&lt;/b&gt;</time>')


BODY = """# Chapter

In 1979 it began.[@a] Later, in 1996, more.[@b]

It was said in 1979 again.

> A quotation of 1979.

He said "it was 2014 then".[@a]
"""


def test_find_paragraph_needs_the_opening_words_when_several_state_the_date():
    found = tl.paragraphs(BODY)
    assert [p.first for p in found] == [3, 5, 9]  # the heading and the blockquote are not prose
    paragraph, why = tl.find_paragraph(found, "1979")
    assert paragraph is None and "2 paragraphs state '1979' (lines 3, 5)" in why and "paragraph:" in why
    paragraph, why = tl.find_paragraph(found, "1979", "It was said")
    assert paragraph.first == 5 and why == ""
    assert "does not state '1996'" in tl.find_paragraph(found, "1996", "It was said")[1]
    assert "begins with 'Nothing'" in tl.find_paragraph(found, "1979", "Nothing")[1]
    assert tl.find_paragraph(found, "1996")[0].first == 3


def test_a_date_inside_a_quotation_is_found_so():
    assert tl.in_quotation('He said "it was 2014 then".[@a]', "2014")
    assert tl.in_quotation("He said \u201cit was 2014\u201d.", "2014")
    assert not tl.in_quotation("In 2014 he said \u201cno\u201d.", "2014")
    assert not tl.in_quotation("Ghani\u2019s fall in 2021.", "2021")


def test_events_sort_by_their_machine_dates():
    events, problems = tl.load(
        "- {id: b, date: '2002', when: '2002', label: x, page: p.md, source: author}\n"
        "- {id: a, date: '9/11', when: 2001-09-11, label: x, page: p.md, source: author}\n"
        "- {id: c, date: 'between 1989 and 1994', when: 1989/1994, label: x, page: p.md, source: author}\n", "t.yml")
    assert problems == [] and [e.id for e in tl.sorted_events(events)] == ["c", "a", "b"]


def test_the_timeline_file_names_each_mistake_and_line():
    events, problems = tl.load("- id: a\n  date: '1979'\n  when: soon\n  label: x\n  page: p.md\n  source: author\n"
                               "- id: a\n  date: '1979'\n  when: '1979'\n  label: x\n  page: p.md\n  source: author\n"
                               "- id: b\n  dat: '1979'\n", "t.yml")
    messages = [str(p) for p in problems]
    assert any(m.startswith("t.yml:3: event 'a': when 'soon' is not a date") for m in messages)
    assert any(m.startswith("t.yml:14: unknown field 'dat'") for m in messages)
    assert any(m.startswith("t.yml:13: event 'b' is missing field 'date'") for m in messages)
    assert any(m.startswith("t.yml:7: duplicate event id 'a' (first defined at t.yml:1)") for m in messages)
    assert events == []


def test_marks_go_at_the_start_of_the_paragraph_that_states_the_event():
    html = ('<h1>T</h1>\n<p id="stated-x">The former Director-General (<abbr title="I">ISI</abbr>), 1987-1989, '
            '\ue000\ue011\ue001 said.</p>\n<p>Another paragraph.</p>')
    marked, missing = tl.mark_paragraphs(html, [("when-a", "The former Director-General (ISI), 1987-1989,"),
                                                ("when-b", "Another paragraph."), ("when-c", "Nowhere")])
    assert missing == ["when-c"]
    assert '<p id="stated-x"><span class="timeline-mark" id="when-a"></span>The former' in marked
    assert '<p><span class="timeline-mark" id="when-b"></span>Another' in marked


# ----------------------------------------------------------------------------- charts
def _figure(fid, value, measure="emigrated", line=1):
    return kf.Figure(id=fid, value=value, label="x", source="author", line=line, lines={"value": line + 1},
                     measure=measure)


def _chart(*figures, mixed=""):
    return ch.Chart(id="c", title="T", description="D", measure="emigrated", line=1, lines={"measure": 5},
                    mixed=mixed, bars=[ch.Bar(f, "g", f, 10 + i) for i, f in enumerate(figures)])


FIGS = {"six": _figure("six", "In the region of six million"), "host": _figure("host", "circa four million", "hosted"),
        "pct": _figure("pct", "60%"), "none": _figure("none", "many", "emigrated"),
        "bare": _figure("bare", "3.5 million", "")}


def test_a_chart_refuses_figures_that_one_axis_cannot_compare():
    points, problems = ch.check(_chart("six", "host"), FIGS, "c.yml", "f.yml")
    assert len(points) == 2 and len(problems) == 1
    assert problems[0].startswith("c.yml:5: chart 'c' measures 'emigrated', but host measures 'hosted'")
    assert ch.check(_chart("six", "host", mixed="both are people"), FIGS, "c.yml", "f.yml")[1] == []
    problems = ch.check(_chart("six", "pct", mixed="never"), FIGS, "c.yml", "f.yml")[1]
    assert any("counts and percentages on one axis" in p for p in problems)


def test_a_chart_names_each_bar_it_cannot_draw():
    problems = ch.check(_chart("nosuch", "none", "bare"), FIGS, "c.yml", "f.yml")[1]
    assert problems[0].startswith("c.yml:10: chart 'c': unknown figure 'nosuch'") and "never typed here" in problems[0]
    assert problems[1].startswith("c.yml:11:") and "'many'" in problems[1] and "f.yml:2" in problems[1]
    assert problems[2].startswith("c.yml:12:") and "has no measure" in problems[2]


def test_the_svg_is_one_named_image_without_vega_s_aria():
    points, _ = ch.check(_chart("six"), FIGS, "c.yml", "f.yml")
    svg = ch.accessible_svg(ch.render_svg(ch.spec(_chart("six"), points)), "c", "A <title>", "What it shows")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="chart-c-svg-title chart-c-svg-desc"' in svg
    assert '<title id="chart-c-svg-title">A &lt;title&gt;</title>' in svg and "What it shows</desc>" in svg
    assert svg.count("role=") == 1 and "aria-roledescription" not in svg and "aria-label=" not in svg
    assert "<script" not in svg and "href" not in svg and " width=" not in svg.split(">")[0]
    assert "chart__bars--approximate" in svg and "In the region of six million" in svg



def test_a_chart_drawn_from_the_same_specification_is_reused(tmp_path, monkeypatch):
    """Drawing costs 0.7 s a chart (issue 14): the SVG is kept by specification and vl-convert's
    version; the next build reuses it, a changed specification draws anew."""
    import vl_convert

    drawn = []
    real = vl_convert.vegalite_to_svg
    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda spec: drawn.append(spec) or real(spec))
    points, _ = ch.check(_chart("six"), FIGS, "c.yml", "f.yml")
    spec = ch.spec(_chart("six"), points)
    first = ch.render_svg(spec, tmp_path)
    assert ch.render_svg(spec, tmp_path) == first and len(drawn) == 1
    assert ch.render_svg({**spec, "padding": 30}, tmp_path) != first and len(drawn) == 2
    assert len(list(tmp_path.glob("*.svg"))) == 2 and not list(tmp_path.glob("*.part"))


def test_a_kept_chart_is_read_without_loading_vl_convert(tmp_path):
    """vl-convert (9 MB of a small note's build) is loaded only to draw: a kept SVG is found by
    the package's version from its metadata."""
    import json
    import subprocess
    import sys

    points, _ = ch.check(_chart("six"), FIGS, "c.yml", "f.yml")
    spec = ch.spec(_chart("six"), points)
    first = ch.render_svg(spec, tmp_path)
    script = ("import json, sys\nfrom briefing.pictures import charts\n"
              f"svg = charts.render_svg(json.loads({json.dumps(json.dumps(spec))}), __import__('pathlib').Path("
              f"{str(tmp_path)!r}))\nprint(json.dumps([svg, 'vl_convert' in sys.modules]))\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [first, False]

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
FIGURES = """- id: first
  value: In the region of six million
  label: left in the first wave
  measure: emigrated
  source: smith2020title
- id: second
  value: nearly 800,000
  label: left in the second wave
  measure: emigrated
  source: smith2020title
- id: hosted
  value: circa four million
  label: hosted
  measure: hosted
  source: author
"""
CHAPTER = """# Chapter

The first wave came in 1979: In the region of six million left, and later nearly 800,000 left in 1989.[@smith2020title]

<!-- key-figure: first -->
<!-- key-figure: second -->

Another source.[@jones2021other] The country hosted circa four million people for decades by 2002.

<!-- key-figure: hosted -->

<!-- chart: waves -->
"""
HOME = "# Home\n\nAbstract, written in 2023.\n\n<!-- at-a-glance -->\n\n<!-- timeline -->\n"
TIMELINE = """- id: first-wave
  date: "1979"
  when: "1979"
  label: The first wave
  page: chapter.md
  source: smith2020title
- id: abstract
  date: "2023"
  when: "2023"
  label: "=HYPERLINK(\\"x\\") written"
  page: index.md
  source: author
"""
CHARTS = """- id: waves
  title: The waves
  description: Two bars.
  measure: emigrated
  bars:
    - {figure: first, group: First, bar: All}
    - {figure: second, group: Second, bar: All}
"""


@pytest.fixture
def build_note(tmp_path, fixture_site):
    """build_note(timeline=TIMELINE, charts=CHARTS, figures=FIGURES, chapter=CHAPTER, home=HOME)."""

    def _build(timeline=TIMELINE, charts=CHARTS, figures=FIGURES, chapter=CHAPTER, home=HOME, options=None):
        data = tmp_path / "data"
        data.mkdir(exist_ok=True)
        for name, text in (("figures.yml", figures), ("timeline.yml", timeline), ("charts.yml", charts)):
            if text is not None:
                (data / name).write_text(text, encoding="utf-8")
        pages = {"index.md": home, "chapter.md": chapter}
        return fixture_site(pages, bib=BIB, nav=list(pages), options=options)

    return _build


def _fails_at(result, where: str, *words: str) -> None:
    assert not result.ok, result.text()
    assert any(where in m and all(w in m for w in words) for m in result.messages + [result.error]), result.text()


def test_the_timeline_lists_time_elements_linking_to_their_paragraphs(build_note):
    result = build_note()
    assert result.ok, result.text()
    home = BeautifulSoup(result.html(), "html.parser")
    assert home.find(id="timeline").name == "h2"
    events = home.select("ol.timeline__events > li.timeline__event")
    assert [e["id"] for e in events] == ["event-first-wave", "event-abstract"]
    first = events[0]
    assert first.select_one("time")["datetime"] == "1979" and first.select_one("time").get_text() == "1979"
    link = first.select_one("a.timeline__where")
    assert link["href"] == "chapter/#when-first-wave" and link.get_text() == "Stated in Chapter"
    chapter = BeautifulSoup(result.html("chapter"), "html.parser")
    mark = chapter.find(id="when-first-wave")
    assert mark.name == "span" and mark.parent.name == "p" and mark.parent.get_text().startswith("The first wave")
    # its note, repeated under the timeline so that notes.js opens it as the text's markers
    marker = first.select_one("sup.note-ref a.footnote-ref")
    assert marker["href"] == "#timeline-fn:1" and marker.get_text() == "1"
    assert marker["data-paper-href"] == "chapter/#fn:1"
    copy = home.find(id="timeline-fn:1")
    assert copy.find_parent(class_="footnote") is not None and "Smith" in copy.get_text()
    assert "\ue007" not in str(home) and "\ue003" not in str(home)
    own = events[1]
    assert own.select_one("sup") is None and "Source: the note itself" in own.get_text()
    assert own.select_one("a.timeline__where")["href"] == "#when-abstract"


def test_the_chart_is_inline_svg_with_the_figures_numbers_and_sources(build_note):
    result = build_note()
    assert result.ok, result.text()
    chapter = BeautifulSoup(result.html("chapter"), "html.parser")
    figure = chapter.select_one("figure.chart#chart-waves")
    svg = figure.select_one("svg")
    assert svg["role"] == "img" and svg.find("title").get_text() == "The waves"
    marker = figure.select_one("figcaption sup.note-ref a")
    assert marker["href"] == "#fn:1"  # the chapter's own note: no copy
    values = [int(td["data-value"]) for td in chapter.select("#chart-waves-table td[data-value]")]
    assert values == [6_000_000, 800_000]
    assert [td.get_text() for td in chapter.select("#chart-waves-table td[data-value]")] == [
        "6,000,000 (about)", "800,000 (nearly)"]
    widths = [float(re.match(r"M[\d.]+,[\d.]+h([\d.]+)", path["d"]).group(1))
              for path in svg.select(".chart__bars path")]
    assert len(widths) == 2 and abs(widths[0] / widths[1] - 6_000_000 / 800_000) < 0.01


def test_the_downloads_are_a_valid_data_package(build_note):
    from frictionless import validate

    result = build_note()
    assert result.ok, result.text()
    folder = result.site_dir / "data"
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    figures = list(csv.DictReader(io.StringIO((folder / "key-figures.csv").read_text(encoding="utf-8"))))
    assert [row["id"] for row in figures] == ["first", "second", "hosted"]
    assert figures[0]["number"] == "6000000" and figures[0]["qualifier"] == "about"
    assert figures[2]["source_note"] == "" and figures[2]["source_key"] == "author"
    events = json.loads((folder / "timeline.json").read_text(encoding="utf-8"))
    assert events[1]["label"] == "=HYPERLINK(\"x\") written"  # JSON keeps it as text
    rows = list(csv.DictReader(io.StringIO((folder / "timeline.csv").read_text(encoding="utf-8"))))
    assert rows[1]["label"] == "'=HYPERLINK(\"x\") written"  # CSV: never a formula
    assert events[0]["url"] == "https://example.github.io/briefing/chapter/#when-first-wave"
    home = BeautifulSoup(result.html(), "html.parser")
    links = home.select(".at-a-glance .data-downloads a")
    assert [a["href"] for a in links][:2] == ["data/key-figures.csv", "data/key-figures.json"]
    assert home.select(".timeline .data-downloads a")


def test_without_downloads_the_build_writes_and_links_none(build_note):
    result = build_note(options={"pictures": {"downloads": False}})
    assert result.ok, result.text()
    assert not (result.site_dir / "data").exists() and "data-downloads" not in result.html()


def test_an_event_s_source_follows_the_key_figures_rule(build_note):
    result = build_note(timeline=TIMELINE.replace("  source: smith2020title", "  source: jones2021other"))
    _fails_at(result, "data/timeline.yml:6", "names source 'jones2021other'", "note 1",
              "write 'source: smith2020title'")
    result = build_note(timeline=TIMELINE.replace("  source: author", "  source: smith2020title"))
    _fails_at(result, "data/timeline.yml:12", "'smith2020title'", "is not cited in docs/index.md")
    after = "- {id: hosted, date: '2002', when: '2002', label: x, page: chapter.md, source: jones2021other}\n"
    _fails_at(build_note(timeline=TIMELINE + after), "data/timeline.yml:13", "no note marker follows it",
              "write 'source: author'")


def test_an_event_s_date_must_be_stated_by_its_paragraph(build_note):
    result = build_note(timeline=TIMELINE.replace('  date: "1979"', '  date: "1978"'))
    _fails_at(result, "data/timeline.yml:2", "no paragraph of the page states '1978'", "docs/chapter.md")
    result = build_note(timeline=TIMELINE.replace('  when: "1979"', '  when: "1980"'))
    _fails_at(result, "data/timeline.yml:2", "gives the year(s) 1979", "when '1980'")
    result = build_note(timeline=TIMELINE.replace("  page: chapter.md", "  page: nosuch.md"))
    _fails_at(result, "data/timeline.yml:5", "no page 'nosuch.md'")


def test_a_date_only_in_a_quotation_is_the_author_s(build_note):
    chapter = CHAPTER + '\nHe said "it ended in 2014".[@jones2021other]\n'
    event = ("- id: quoted\n  date: '2014'\n  when: '2014'\n  label: x\n  page: chapter.md\n"
             "  attribution: He said\n  source: jones2021other\n")
    result = build_note(timeline=TIMELINE + event, chapter=chapter)
    _fails_at(result, "data/timeline.yml:19", "only inside a quotation", "write 'source: author'")
    assert build_note(timeline=TIMELINE + event.replace("jones2021other", "author"), chapter=chapter).ok


def test_a_chart_of_figures_not_comparable_fails(build_note):
    result = build_note(charts=CHARTS + "    - {figure: hosted, group: Hosted, bar: All}\n")
    _fails_at(result, "data/charts.yml:4", "measures 'emigrated', but hosted measures 'hosted'", "mixed:")
    mixed = CHARTS.replace("  measure: emigrated\n", "  measure: emigrated\n  mixed: both count people\n")
    result = build_note(charts=mixed + "    - {figure: hosted, group: Hosted, bar: All}\n")
    assert result.ok, result.text()
    assert "The bars count different things: both count people" in result.html("chapter")


def test_shortcodes_must_name_what_exists(build_note):
    result = build_note(chapter=CHAPTER.replace("<!-- chart: waves -->", "<!-- chart: nosuch -->"))
    _fails_at(result, "docs/chapter.md:12", "unknown chart 'nosuch'", "data/charts.yml")
    _fails_at(result, "data/charts.yml:1", "chart 'waves' is shown nowhere")
    result = build_note(home=HOME.replace("<!-- timeline -->", "<!-- timeline: x -->"))
    _fails_at(result, "docs/index.md:7", "malformed shortcode")
    result = build_note(timeline="- {id: a, date: '1979', when: '1979', label: x, page: chapter.md, sourc: a}\n")
    _fails_at(result, "data/timeline.yml:1", "unknown field 'sourc'")


# ----------------------------------------------------------------------------- in a series: per note
@pytest.fixture
def build_series(tmp_path):
    """A series of two notes: "note" with the pictures' files beside its index.md (``changes``
    replace or add its files, None drops one), and the minimal "second-note", which has none."""
    from sitebuild import MINIMAL, as_note, build, make_site, note_pages, series_options

    def _build(changes=None, extra_pages=None):
        files = {"index.md": HOME, "chapter.md": CHAPTER, "figures.yml": FIGURES, "timeline.yml": TIMELINE,
                 "charts.yml": CHARTS}
        for name, text in (changes or {}).items():
            if text is None:
                files.pop(name)
            else:
                files[name] = text
        pages = {**as_note(files), **note_pages("second-note"), **(extra_pages or {})}
        bib = (MINIMAL / "bib" / "references.bib").read_text(encoding="utf-8") + BIB.removeprefix(ONE_ENTRY)
        return build(make_site(tmp_path, pages, bib=bib, options=series_options()), tmp_path / "site")

    return _build


def test_in_a_series_the_pictures_are_the_note_s(build_series):
    result = build_series()
    assert result.ok, result.text()
    site = result.site_dir
    home = BeautifulSoup(result.html("note"), "html.parser")
    assert [e["id"] for e in home.select("li.timeline__event")] == ["event-first-wave", "event-abstract"]
    assert home.select_one("#event-first-wave a.timeline__where")["href"] == "chapter/#when-first-wave"
    assert not BeautifulSoup(result.html(), "html.parser").select(".timeline")  # not on the series' home
    assert BeautifulSoup(result.html("note/chapter"), "html.parser").select_one("figure#chart-waves svg")
    links = [a["href"] for a in home.select(".data-downloads a")]
    assert links[:2] == ["data/key-figures.csv", "data/key-figures.json"]  # the note's own folder
    for name in ("key-figures.csv", "timeline.json", "datapackage.json"):
        assert (site / "note" / "data" / name).is_file(), name
    assert not (site / "data").exists() and not (site / "second-note" / "data").exists()
    rows = list(csv.DictReader(io.StringIO((site / "note" / "data" / "timeline.csv").read_text(encoding="utf-8"))))
    assert rows[0]["url"] == "https://example.github.io/briefing/note/chapter/#when-first-wave"
    package = json.loads((site / "note" / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["title"] == "Key figures and timeline of “A Minimal Note”"
    assert package["sources"][0] == {"title": "A Minimal Note", "path": "https://example.github.io/briefing/note/"}
    for name in ("figures.yml", "timeline.yml", "charts.yml"):  # the sources of the downloads, not published
        assert not (site / "note" / name).exists(), name


def test_in_a_series_a_timeline_names_pages_of_its_own_note(build_series):
    result = build_series({"timeline.yml": TIMELINE.replace("page: chapter.md", "page: second-note/only-chapter.md")})
    _fails_at(result, "docs/note/timeline.yml:5", "no page 'second-note/only-chapter.md' under docs/note/",
              "chapter.md")


def test_a_picture_on_a_page_of_no_note_fails(build_series):
    series_home = "# A Minimal Series\n\n<!-- timeline -->\n\n<!-- notes -->\n"
    result = build_series(extra_pages={"index.md": series_home})
    _fails_at(result, "docs/index.md:3", "<!-- timeline --> on a page of no note")


def test_a_note_without_pictures_files_builds_as_before(build_series):
    result = build_series({"timeline.yml": None, "charts.yml": None,
                           "index.md": HOME.replace("<!-- timeline -->\n", ""),
                           "chapter.md": CHAPTER.replace("<!-- chart: waves -->\n", "")})
    assert result.ok, result.text()
    assert not BeautifulSoup(result.html("note"), "html.parser").select(".timeline")
    assert (result.site_dir / "note" / "data" / "key-figures.csv").is_file()  # the figures still have theirs
