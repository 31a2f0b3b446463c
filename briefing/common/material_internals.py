"""What the generator relies on in Material for MkDocs 9.8 beyond its documented options, in one
place (so an upgrade of Material is checked here):

- ``PRINTED_CONFIG``: the mkdocs.yml settings Material's templates print without escaping
  (``briefing.site_policy.escaping`` makes them text);
- ``valid_toggles``: Material's two toggle checkboxes carry ``autocomplete``, which HTML allows
  on text inputs only (the Nu HTML Checker's one complaint about Material's pages);
- ``SEARCH_INDEX``, ``name_notes``: Material's search index (``search/search_index.json``,
  written by its search plugin in ``on_post_build``), whose ``docs`` each have a ``location``
  and a ``title`` the results show as HTML (a page's own entry, the one without ``#``, as the
  result's heading). A series names each hit's note there: the note's short title before the
  page's, "Note › Page". (Material 9.8 shows no path or breadcrumb in a result; its tags
  would show as chips, but each in a ``<nav>`` of its own, landmarks no reader can tell
  apart: axe's landmark-unique.)

Pure functions only: no MkDocs events here.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

# mkdocs.yml settings Material prints (copyright is HTML by design: Material's docs say so).
PRINTED_CONFIG = ("site_name", "site_description", "site_author", "repo_name")
_TOGGLE = re.compile(r'(<input class="md-toggle"[^>]*?) autocomplete="off"')
SEARCH_INDEX = Path("search") / "search_index.json"
NOTE_SEPARATOR = " › "


def valid_toggles(output: str) -> str:
    return _TOGGLE.sub(r"\1", output)


def name_notes(site_dir: Path, notes: dict[str, str]) -> bool:
    """Each page's own entry in the search index titled "Note › Page" (``notes``: a note's
    folder, the first part of its pages' addresses, -> its short title, as text); False when the
    site has no index."""
    path = site_dir / SEARCH_INDEX
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    for doc in index.get("docs", []):
        location = doc.get("location", "")
        note = notes.get(location.split("/", 1)[0]) if "/" in location else None
        if note is not None and "#" not in location and isinstance(doc.get("title"), str):
            doc["title"] = html.escape(note) + NOTE_SEPARATOR + doc["title"]
    path.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")
    return True
