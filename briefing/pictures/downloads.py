"""Pure functions of a note's data downloads: its key figures and its timeline as CSV and JSON,
described by a Frictionless data package (``datapackage.json``: fields, types, sources).

Each value is escaped in its format's own way: CSV by the ``csv`` module (quotes, commas,
line breaks) and, against CSV injection, a text cell starting with ``= + - @``, a tab or a
carriage return is prefixed with ``'`` (a spreadsheet would otherwise run it as a formula);
JSON by ``json.dumps``. Numbers and dates stay typed.

Rights: a data package may name a licence (``licenses``). The note states none, and the
site claims none for it: the package names no licence and says so in its description (with
the rights the note states, when its record gives them).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

INJECTION = ("=", "+", "-", "@", "\t", "\r")
FOLDER = "data"  # beside the note's home page


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type: string, integer, number
    description: str
    required: bool = False


FIGURE_COLUMNS = (
    Column("id", "string", "The figure's id (the site's callout is key-figure-<id>).", True),
    Column("value", "string", "The figure exactly as the note words it.", True),
    Column("number", "number", "The number the value gives (blank where it gives none), for sorting and charts."),
    Column("unit", "string", "count or percent (blank where the value gives no number)."),
    Column("qualifier", "string", "How the note qualifies the number: exact (none), about, nearly, at least, at most."),
    Column("label", "string", "What the figure counts (reads on from the value); the site's words.", True),
    Column("measure", "string", "What kind of quantity it is (emigrated, hosted...): charts compare one measure."),
    Column("period", "string", "The period the figure covers, in the note's words."),
    Column("attribution", "string", "Who the note says gives the figure, in the note's words."),
    Column("as_of", "string", "The date its source gives the figure (YYYY, YYYY-MM or YYYY-MM-DD)."),
    Column("source_key", "string", "The citation key of its source, or 'author': the note's own statement.", True),
    Column("source_note", "integer", "The number of the note that gives its source (blank: the note's own)."),
    Column("source", "string", "Its source as the note's short form cites it (blank: the note's own)."),
    Column("chapter", "string", "The chapter that states it.", True),
    Column("url", "string", "The paragraph that states it.", True),
)
EVENT_COLUMNS = (
    Column("id", "string", "The event's id (the paragraph's mark is when-<id>).", True),
    Column("date", "string", "The date exactly as the note words it.", True),
    Column("start", "string", "The date as ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD); the range's start.", True),
    Column("end", "string", "The range's end (ISO 8601); the same as start for a single date.", True),
    Column("label", "string", "What happened; the site's short words.", True),
    Column("attribution", "string", "Who the note says gives it, in the note's words."),
    Column("source_key", "string", "The citation key of its source, or 'author': the note's own statement.", True),
    Column("source_note", "integer", "The number of the note that gives its source (blank: the note's own)."),
    Column("source", "string", "Its source as the note's short form cites it (blank: the note's own)."),
    Column("chapter", "string", "The chapter (or page) that states it.", True),
    Column("url", "string", "The paragraph that states it.", True),
)
TABLES = {"key-figures": FIGURE_COLUMNS, "timeline": EVENT_COLUMNS}


def csv_cell(value: object, column: Column) -> str:
    """One CSV cell: a number as it is, text neutralised against formula injection."""
    if value is None or value == "":
        return ""
    if column.type != "string":
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(INJECTION) else text


def to_csv(rows: list[dict], columns: tuple[Column, ...]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.name for column in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(column.name), column) for column in columns])
    return out.getvalue()


def to_json(rows: list[dict], columns: tuple[Column, ...]) -> str:
    """The rows as a JSON array of objects (blank values as null), keys in the columns' order."""
    records = [{column.name: (row.get(column.name) if row.get(column.name) not in ("", None) else None)
                for column in columns} for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def schema(columns: tuple[Column, ...]) -> dict:
    return {"fields": [{"name": c.name, "type": c.type, "description": c.description,
                        **({"constraints": {"required": True}} if c.required else {})} for c in columns],
            "primaryKey": ["id"]}


@dataclass(frozen=True)
class Source:
    title: str
    path: str = ""  # its address, if it has one


def datapackage(*, name: str, title: str, note_url: str, author: str, date: str, rights: str | None,
                sources: list[Source]) -> dict:
    """The Frictionless data package (Data Package v1) describing the four files of ``FOLDER``."""
    rights_text = (f"The note states these rights: {rights}" if rights else
                   "The note states no licence, so this package names none and grants none: the figures and "
                   "dates are the note's and, where a note gives one, its source's.")
    resources = []
    for table, columns in TABLES.items():
        for fmt, media in (("csv", "text/csv"), ("json", "application/json")):
            resource = {"name": table if fmt == "csv" else f"{table}-json", "path": f"{table}.{fmt}",
                        "profile": "tabular-data-resource", "format": fmt, "mediatype": media,
                        "encoding": "utf-8", "schema": schema(columns)}
            if fmt == "csv":
                resource["dialect"] = {"delimiter": ",", "lineTerminator": "\r\n", "header": True}
            resources.append(resource)
    package = {
        "profile": "tabular-data-package",
        "name": name,
        "title": f"Key figures and timeline of “{title}”",
        "description": (f"The key figures and the dates that “{title}” ({author}, {date}) states, as the site "
                        "shows them: each with the note's own words, the source the note gives (the note whose "
                        "marker next follows it in its paragraph, else the author's own statement) and the "
                        f"paragraph that states it. Made by the site from the note's text. {rights_text}"),
        "contributors": [{"title": author, "role": "author"}],
        "sources": [{"title": s.title, **({"path": s.path} if s.path else {})} for s in sources],
        "resources": resources,
    }
    if note_url:
        package["homepage"] = note_url
    return package


def paths() -> list[str]:
    """The files the downloads of one note are, from the note's folder (``data/timeline.csv``...)."""
    return [f"{FOLDER}/{name}.{fmt}" for name in TABLES for fmt in ("csv", "json")] + [f"{FOLDER}/datapackage.json"]
