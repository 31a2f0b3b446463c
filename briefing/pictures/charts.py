"""Pure functions of a note's charts: reading ``charts.yml`` (beside the figures file),
checking that a chart's bars are figures of the figures file that one axis can compare, and
drawing it to static SVG with Vega-Lite (``vl-convert-python``: no script in the reader's
browser, no request anywhere).

A chart is ``id``, ``title``, ``description`` (a text description of what it shows, read by
screen readers and printed), ``measure`` (what every bar counts: a figure's ``measure`` in the
figures file) and ``bars``: each ``figure`` (an id of the figures file: its value is never typed
here), ``group`` (the bars are grouped by it, in the order first given) and ``bar`` (the bar's
name within its group). Optional: ``caption`` (said after the title in the caption) and
``mixed`` (why figures of different measures may share the axis: printed in the caption).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from briefing.key_figures import figures as kf
from briefing.pictures import quantities as q
from briefing.pictures.records import Problem, Record, Schema, load_records

BAR = Schema("bar", ("figure", "group", "bar"))
SCHEMA = Schema("chart", ("id", "title", "description", "measure"), ("caption", "mixed"), {"bars": BAR})
SHORTCODE_RE = re.compile(rf"^[ \t]{{0,3}}<!--[ \t]*chart:[ \t]*(?P<id>{kf.ID})[ \t]*-->[ \t]*$")
LOOKALIKE_RE = re.compile(r"<!--\s*charts?\b[^\n]*?(?:-->|$)", re.I)
WIDTH = 400  # the plot's width in the SVG's own units (the page scales the whole picture)
FONT = "-apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif"  # the site's system font (font: false)
LAYERS = ("exact", "approximate", "label")  # the chart's layers, in the order the spec draws them


@dataclass
class Bar:
    figure: str
    group: str
    bar: str
    line: int


@dataclass
class Chart:
    id: str
    title: str
    description: str
    measure: str
    bars: list[Bar]
    line: int
    lines: dict[str, int] = field(default_factory=dict)
    caption: str = ""
    mixed: str = ""

    @property
    def groups(self) -> list[str]:
        return list(dict.fromkeys(bar.group for bar in self.bars))


def load(text: str, where: str) -> tuple[list[Chart], list[Problem]]:
    """The valid charts of a charts file, and its problems."""
    records, problems = load_records(text, where, SCHEMA)
    charts = []
    for record in records:
        bars = [_bar(bar) for bar in record.values.get("bars", [])]
        if "bars" not in record.values:
            problems.append(Problem(where, record.line, f"chart {record.values['id']!r} is missing field 'bars' "
                                    "(a list of figure, group, bar)", str(record.values["id"])))
            continue
        seen: dict[str, int] = {}
        repeated = False
        for bar in bars:
            if bar.figure in seen:
                problems.append(Problem(where, bar.line, f"figure {bar.figure!r} is a bar of chart "
                                        f"{record.values['id']!r} twice (first at line {seen[bar.figure]})"))
                repeated = True
            seen.setdefault(bar.figure, bar.line)
        if repeated:
            continue
        values = {key: str(value) for key, value in record.values.items() if key != "bars"}
        charts.append(Chart(**values, bars=bars, line=record.line, lines=record.lines))
    return charts, problems


def _bar(record: Record) -> Bar:
    return Bar(str(record.values["figure"]), str(record.values["group"]), str(record.values["bar"]), record.line)


def find_shortcodes(markdown: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(line, chart id) of each ``<!-- chart: id -->`` of a page body, and (line, text) of each
    comment that looks meant as one."""
    found, malformed = [], []
    for number, line in enumerate(kf.mask_code(markdown).splitlines(), start=1):
        if match := SHORTCODE_RE.match(line):
            found.append((number, match.group("id")))
        elif match := LOOKALIKE_RE.search(line):
            malformed.append((number, match.group(0).strip()))
    return found, malformed


@dataclass(frozen=True)
class Point:
    """One bar as drawn: its figure, the text's words and the number on the axis."""

    figure: kf.Figure
    bar: Bar
    quantity: q.Quantity


def check(chart: Chart, figures: dict[str, kf.Figure], where: str, figures_where: str) -> tuple[list[Point], list[str]]:
    """The chart's points, and what is wrong (each 'file:line: message'): an unknown figure, a
    value that is not a number, a figure without a measure, figures of different measures
    (unless the chart says why: ``mixed``) or units (never: a count and a percentage share no
    axis). A figure's measure is its ``measure`` in the figures file."""
    points, problems = [], []
    for bar in chart.bars:
        figure = figures.get(bar.figure)
        at = f"{where}:{bar.line}"
        if figure is None:
            known = ", ".join(sorted(figures)) or "none"
            problems.append(f"{at}: chart {chart.id!r}: unknown figure {bar.figure!r}: give the id of a figure of "
                            f"{figures_where} (known: {known}); its value is read from there, never typed here")
            continue
        quantity = q.parse(figure.value)
        if quantity is None:
            problems.append(f"{at}: chart {chart.id!r}: figure {bar.figure!r} has value {figure.value!r} "
                            f"({figures_where}:{figure.lines['value']}), which is not a number the chart can draw "
                            "(digits or number words, then million, thousand or %)")
            continue
        if not figure.measure:
            problems.append(f"{at}: chart {chart.id!r}: figure {bar.figure!r} has no measure: add 'measure:' "
                            f"(what it counts, e.g. {chart.measure!r}) to it in {figures_where}:{figure.line}")
            continue
        points.append(Point(figure, bar, quantity))
    units = {point.quantity.unit for point in points}
    if len(units) > 1:
        listed = "; ".join(f"{p.figure.id} ({p.figure.value!r}: {p.quantity.unit})" for p in points)
        problems.append(f"{where}:{chart.line}: chart {chart.id!r} puts counts and percentages on one axis "
                        f"({listed}): one chart, one unit")
    other = [p for p in points if p.figure.measure != chart.measure]
    if other and not chart.mixed:
        listed = "; ".join(f"{p.figure.id} measures {p.figure.measure!r}" for p in other)
        problems.append(f"{where}:{chart.lines.get('measure', chart.line)}: chart {chart.id!r} measures "
                        f"{chart.measure!r}, but {listed}: those are not comparable on one axis. Leave them out, "
                        "or say why they may share it with 'mixed:' (the caption prints it)")
    return points, problems


def spec(chart: Chart, points: list[Point]) -> dict:
    """The chart as a Vega-Lite specification: horizontal bars, one block per ``group`` (its
    name above it), each bar named and labelled with the text's words; approximations and
    bounds drawn lighter (layer "approximate"). Static: no interaction, no data loaded."""
    rows = [{"group": p.bar.group, "bar": p.bar.bar, "value": p.quantity.integer, "words": p.figure.value,
             "kind": "exact" if not p.quantity.approximate else "approximate"} for p in points]
    percent = bool(points) and points[0].quantity.unit == q.PERCENT
    y = {"field": "bar", "type": "nominal", "title": None, "sort": list(dict.fromkeys(p.bar.bar for p in points)),
         "axis": {"labelLimit": 170, "labelFontSize": 13, "labelPadding": 6, "ticks": False, "domain": False}}
    x = {"field": "value", "type": "quantitative", "title": "Per cent" if percent else "People",
         "axis": {"format": "~s", "labelExpr": "datum.value === 0 ? '0' : datum.label", "labelFontSize": 12,
                  "titleFontSize": 12, "tickCount": 6},
         "scale": {"domainMin": 0}}

    def bars(kind: str) -> dict:
        return {"transform": [{"filter": {"field": "kind", "equal": kind}}],
                "mark": {"type": "bar", "opacity": 1 if kind == "exact" else 0.5},
                "encoding": {"x": x, "y": y}}

    label = {"mark": {"type": "text", "align": "left", "dx": 5, "fontSize": 13},
             "encoding": {"x": x, "y": y, "text": {"field": "words"}}}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": rows},
        "background": None,
        "padding": 4,
        "facet": {"row": {"field": "group", "type": "nominal", "sort": chart.groups, "title": None,
                          "header": {"labelAngle": 0, "labelOrient": "top", "labelAnchor": "start",
                                     "labelFontSize": 13, "labelFontWeight": "bold", "labelPadding": 4}}},
        "spec": {"width": WIDTH, "height": {"step": 24}, "layer": [bars("exact"), bars("approximate"), label]},
        "resolve": {"scale": {"y": "independent"}},
        "spacing": 10,
        "config": {"font": FONT, "view": {"stroke": None}, "axis": {"grid": True},
                   "bar": {"color": "#3f51b5"}, "text": {"color": "#000"}},
    }


def render_svg(vega_lite: dict, cache: Path | None = None) -> str:
    """Vega-Lite to SVG (vl-convert-python: Vega's own renderer in a library, offline). With
    ``cache`` (a folder), the SVG drawn from the same specification by the same vl-convert is
    reused (drawing one costs 0.7 s, most of a small note's build: issue 14)."""
    spec = json.dumps(vega_lite, sort_keys=True)
    kept = None
    if cache is not None:  # vl-convert itself is loaded only to draw (9 MB of a small note's build)
        kept = cache / (hashlib.sha256(f"{metadata.version('vl-convert-python')}\0{spec}".encode()).hexdigest()
                        + ".svg")
        try:
            return kept.read_text(encoding="utf-8")
        except OSError:
            pass
    import vl_convert

    svg = vl_convert.vegalite_to_svg(json.loads(spec))
    if kept is not None:
        with contextlib.suppress(OSError):
            kept.parent.mkdir(parents=True, exist_ok=True)
            partial = kept.with_suffix(f".{os.getpid()}.part")
            partial.write_text(svg, encoding="utf-8")
            os.replace(partial, kept)
    return svg


def accessible_svg(svg: str, chart_id: str, title: str, description: str) -> str:
    """The SVG for a page: ``role="img"`` named by its own ``<title>`` and ``<desc>`` (the
    chart's title and text description), Vega's per-mark ARIA taken out (the HTML table beside
    it gives the numbers), no fixed size (the page scales it), each layer's bars classed by what
    they draw (``chart__bars--exact``, ``--approximate``) so the site's CSS colours them."""
    from lxml import etree

    root = etree.fromstring(svg.encode("utf-8"))
    ns = "{http://www.w3.org/2000/svg}"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in [a for a in element.attrib if a == "role" or a.startswith("aria-")]:
            del element.attrib[name]
        classes = element.get("class", "").split()
        for index, layer in enumerate(LAYERS):
            if f"layer_{index}_marks" in classes or f"child_layer_{index}_marks" in classes:  # faceted: child_
                element.set("class", " ".join([*classes, f"chart__{'bars' if layer != 'label' else 'labels'}"
                                               + (f" chart__bars--{layer}" if layer != "label" else "")]))
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    root.set("class", "chart__svg")
    root.set("role", "img")
    root.set("aria-labelledby", f"chart-{chart_id}-svg-title chart-{chart_id}-svg-desc")
    desc = etree.Element(f"{ns}desc", id=f"chart-{chart_id}-svg-desc")
    desc.text = description
    heading = etree.Element(f"{ns}title", id=f"chart-{chart_id}-svg-title")
    heading.text = title
    root.insert(0, desc)
    root.insert(0, heading)
    out = etree.tostring(root, encoding="unicode")
    return out.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "")
