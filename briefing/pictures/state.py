"""What one build knows of one note's pictures (``NoteBuild.pictures``): plain dataclasses, so
that ``briefing.build`` can hold them without importing the pictures' events."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from briefing.pictures import charts as ch
from briefing.pictures import timeline as tl


@dataclass
class PlacedEvent:
    """An event and the paragraph that states it."""

    event: tl.Event
    page: str  # src_uri
    prefix: str  # what the rendered paragraph's text begins with
    note: object | None  # the citations' Note whose marker next follows the date (None: the author's own)
    chapter: str  # the page's title


@dataclass
class NotePictures:
    """One note's timeline, charts and data downloads in this build."""

    folder: Path | None = None  # the folder of the note's figures file, where its data files are
    timeline_where: str = ""  # the timeline file as messages name it ("" when there is none)
    events: list[tl.Event] = field(default_factory=list)
    placed: dict[str, PlacedEvent] = field(default_factory=dict)  # event id -> where it is stated
    timeline_page: str | None = None  # src_uri of the page with <!-- timeline -->
    charts_where: str = ""
    charts: dict[str, ch.Chart] = field(default_factory=dict)
    points: dict[str, list[ch.Point]] = field(default_factory=dict)  # chart id -> its bars, checked
    svgs: dict[str, str] = field(default_factory=dict)  # chart id -> its SVG for the page
    chart_pages: dict[str, tuple[str, int]] = field(default_factory=dict)  # chart id -> (page label, line)
    home: str | None = None  # src_uri of the note's home page
    scanned: set[str] = field(default_factory=set)  # src_uri of the pages whose shortcodes on_nav checked
    marks: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # src_uri -> (mark id, prefix)
    copies: dict[str, list] = field(default_factory=dict)  # src_uri -> notes repeated there
