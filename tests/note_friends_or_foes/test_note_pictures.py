"""Paper #2's timeline, migration chart and data downloads: every date is the text's, sourced
by the key figures' rule; the chart's numbers are the figures file's; the data package is
valid; the pieces are in the print edition and the PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from briefing.key_figures import figures as kf
from briefing.pictures import quantities as q

from sitebuild import PAPER

ROOT = Path(__file__).resolve().parents[2]

# Each event's date, as the text words it -> the note its source is (None: the author's own).
# "February 2020", not the 29th: that is the date of note 4's article, which the text does not
# state; the deadline is "the 1st of November 2023" (no October-November date is stated).
DATES = {
    "soviet-invasion": ("1979", 1), "first-wave": ("1979", 6), "hamid-gul-isi": ("1987-1989", 3),
    "warlords-power-struggle": ("between 1989 and 1994", 1), "taliban-capture-kabul": ("1996", 6),
    "september-11": ("9/11", 6), "taliban-regime-falls": ("2002", 6), "hamid-gul-interview": ("2014", 3),
    "doha-agreement": ("February 2020", 4), "last-wave": ("August 2021", 7),
    "last-nato-soldier": ("August 15, 2021", None),  # the abstract cites nothing
    "deportation-deadline": ("the 1st of November 2023", 9),
}


def _soup(site_dir: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site_dir / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_every_event_is_the_text_s_date_with_the_note_that_follows_it(real_site):
    home = _soup(real_site.site_dir, PAPER)  # the note's home page (not the series')
    events = home.select("ol.timeline__events > li.timeline__event")
    assert {e["id"].removeprefix("event-") for e in events} == set(DATES)
    starts = [e.select_one("time")["datetime"] for e in events]
    assert starts == sorted(starts, key=lambda d: (d + "-01-01")[:10])  # in time order
    for event in events:
        date, note = DATES[event["id"].removeprefix("event-")]
        assert " ".join(event.select_one(".timeline__date").get_text().split()) == date
        path, fragment = event.select_one("a.timeline__where")["href"].split("#")
        path = f"{PAPER}/{path}"  # linked from the note's home page
        paragraph = _soup(real_site.site_dir, path).find(id=fragment).parent
        for sup in paragraph.select("sup"):
            sup.decompose()  # "2023.⁹" is not "2023."
        assert paragraph.name == "p" and kf.contains(" ".join(paragraph.get_text().split()), date), date
        marker = event.select_one("sup.note-ref a.footnote-ref")
        if note is None:
            assert marker is None and "Source: the note itself" in event.get_text()
            continue
        assert marker.get_text() == str(note)
        copy = home.find(id=marker["href"].lstrip("#"))
        chapter_note = _soup(real_site.site_dir, path).find(id=f"fn:{note}")
        assert " ".join(copy.p.get_text().split())[:60] == " ".join(chapter_note.p.get_text().split())[:60]


def test_the_chart_s_numbers_are_the_figures_file_s(real_site):
    figures = {f["id"]: f for f in yaml.safe_load((ROOT / "docs" / PAPER / "figures.yml").read_text(encoding="utf-8"))}
    chart = yaml.safe_load((ROOT / "docs" / PAPER / "charts.yml").read_text(encoding="utf-8"))[0]
    expected = [q.parse(figures[bar["figure"]]["value"]).integer for bar in chart["bars"]]
    assert expected == [6_000_000, 3_500_000, 2_000_000, 800_000, 600_000]
    page = _soup(real_site.site_dir, f"{PAPER}/afghan-migration")
    cells = page.select(f"#chart-{chart['id']}-table td[data-value]")
    assert [int(cell["data-value"]) for cell in cells] == expected
    words = [row.select("td")[2].get_text() for row in page.select(f"#chart-{chart['id']}-table tbody tr")]
    assert words == [figures[bar["figure"]]["value"] for bar in chart["bars"]]
    svg = page.select_one(f"figure#chart-{chart['id']} svg")
    assert svg["role"] == "img" and svg.find("desc").get_text().startswith("Horizontal bars")
    labels = [t.get_text() for t in svg.select(".chart__labels text")]
    assert sorted(labels) == sorted(figures[bar["figure"]]["value"] for bar in chart["bars"])
    bars = svg.select(".chart__bars path")
    widths = sorted(float(re.match(r"M[\d.]+,[\d.]+h([\d.]+)", p["d"]).group(1)) for p in bars)
    for width, value in zip(widths, sorted(expected), strict=True):
        assert abs(width / widths[-1] - value / max(expected)) < 0.005
    caption = page.select_one(f"figure#chart-{chart['id']} figcaption")
    assert [a.get_text() for a in caption.select("sup.note-ref a")] == ["6", "7"]


def test_the_data_package_is_valid(real_site):
    from frictionless import validate

    report = validate(str(real_site.site_dir / PAPER / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_timeline_and_the_chart_are_on_paper(real_site):
    edition = BeautifulSoup((real_site.site_dir / PAPER / "print" / "index.html").read_text(encoding="utf-8"),
                            "html.parser")
    assert len(edition.select(".timeline__event")) == len(DATES) and edition.select("figure.chart svg")
    assert not edition.select(".web-only") and not edition.select("[data-paper-href]")
    marker = edition.select_one("#home--event-first-wave sup.note-ref a")
    assert marker["href"] == "#afghan-migration--fn:6"  # the chapter's note, on paper
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: `make test` installs Debian's poppler-utils (make pdf-tools)")
    pdf = next((real_site.site_dir / PAPER).glob("*.pdf"))
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                                   check=True, timeout=60).stdout.split())
    assert "Timeline" in text and "between 1989 and 1994" in text and "The last NATO soldier leaves Kabul" in text
    assert "Waves of migration from Afghanistan, as the note counts them" in text
    assert "To neighbouring countries" in text  # the SVG's own text, drawn by WeasyPrint
    assert "Download the data" not in text and "datapackage" not in text
