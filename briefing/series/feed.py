"""The series' Atom feed (RFC 4287), ``feed.xml``: one entry per note, newest first, each with
its title, authors, date, abstract as its summary, keywords as categories, and links to the
note and its PDF. Written with ElementTree, which escapes every text and attribute the XML way.

Pure functions only: no MkDocs events here.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from briefing.publication.record import Publication, Series

ATOM = "http://www.w3.org/2005/Atom"
PATH = "feed.xml"


@dataclass(frozen=True)
class Entry:
    publication: Publication
    abstract: str


def timestamp(pub: Publication) -> str:
    """The note's date as an Atom date-time (RFC 3339): a month counts as its first day."""
    return f"{pub.year}-{pub.month or 1:02d}-{pub.day or 1:02d}T00:00:00Z"


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = text
    return element


def feed_xml(series: Series, entries: list[Entry], language: str = "en") -> str:
    """The feed of ``entries`` (newest first). Its id and links are the site's address
    (``series.url``); without one, the feed's id is a tag URI of the series' name."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language})
    site = series.url
    _text(root, "id", site or f"tag:briefing,2026:{series.name}")
    _text(root, "title", series.name)
    if series.issn:
        _text(root, "subtitle", f"ISSN {series.issn}")
    _text(root, "updated", max((timestamp(entry.publication) for entry in entries), default="1970-01-01T00:00:00Z"))
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", series.publisher)
    if site:
        ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml", "href": site + PATH})
        ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": site})
    for entry in entries:
        pub = entry.publication
        item = ET.SubElement(root, f"{{{ATOM}}}entry")
        _text(item, "id", pub.url or f"tag:briefing,2026:{series.name}:{pub.number}")
        _text(item, "title", pub.title)
        _text(item, "published", timestamp(pub))
        _text(item, "updated", timestamp(pub))
        for person in pub.authors:
            element = ET.SubElement(item, f"{{{ATOM}}}author")
            _text(element, "name", person.name)
            if person.orcid:
                _text(element, "uri", person.orcid)
        if pub.url:
            ET.SubElement(item, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": pub.url})
            if pub.pdf:
                ET.SubElement(item, f"{{{ATOM}}}link", {"rel": "enclosure", "type": "application/pdf",
                                                       "href": pub.site_url + pub.files()["pdf"],
                                                       "title": f"{pub.title} (PDF)"})
        for keyword in pub.keywords:
            ET.SubElement(item, f"{{{ATOM}}}category", {"term": keyword})
        _text(item, "summary", entry.abstract or pub.title, type="text")
        rights = pub.rights
        if rights:
            _text(item, "rights", rights)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
