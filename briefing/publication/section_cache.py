"""Each print-edition section kept between builds (issue 14): turning a page's HTML into its
section of the note's print edition (``edition.section_html``: lxml's parse, the ids prefixed,
the links rewritten, the paper wording put in) took 3.4 s of a 22 s build of the 600-page series,
whether or not any page changed.

``section_html`` is a pure function of its inputs, so a section is kept under the digest of all
of them: the page's HTML, address, source and title, the addresses of every section of its
edition (``anchors``: links between them become links inside the edition), the site's address,
the edition's folder, the source of the on-paper wording (``partials/print-edition/paper.html``,
which a theme override may change), the generator's code (``briefing.CODE_DIGEST``) and lxml's and
libxml2's versions (their serialisation).

One JSON file per note under ``.cache/plugin/publication/sections/`` (named by the digest of
the note's folder): key -> section HTML. Each build that writes a note's edition writes the file
again with the sections it used, so those of earlier versions of the note go. A file that is
missing, unreadable or not a mapping of strings to strings is ignored, and every section is made
again. The cache is trusted as far as ``.cache/plugin/pdf`` is (whoever can write ``.cache/`` can
write ``docs/``); the written print edition is scanned by the link check and its policy like
every other page of the site.

Pure functions over files; no MkDocs events (``print_edition.write_edition`` uses them).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from briefing.build import Section
from briefing.citations import library as lib

VERSION = "sections-1"  # bump when what is kept changes


def cache_dir(config_dir: Path) -> Path:
    return config_dir / ".cache" / "plugin" / "publication" / "sections"


def file_name(folder: str) -> str:
    """The note's file: named by its folder ("" for a one-note site)."""
    return f"{lib.cache_key(VERSION, folder)[:32]}.json"


def renderer() -> str:
    from lxml import etree

    return f"lxml {etree.LXML_VERSION} libxml2 {etree.LIBXML_VERSION}"


def inputs_key(code_digest: str, paper_source: str, site_url: str, print_dir: str, anchors: dict[str, str]) -> str:
    """The digest of what every section of one edition shares."""
    return lib.cache_key(VERSION, code_digest, renderer(), paper_source, site_url or "", print_dir,
                         json.dumps(sorted(anchors.items())))


def section_key(shared: str, section: Section) -> str:
    return lib.cache_key(shared, section.src_uri, section.url, section.title, section.html)


class Kept:
    """One note's kept sections: ``get`` what an earlier build kept, ``put`` what this one made,
    ``save`` exactly the sections this build used."""

    def __init__(self, folder: Path, name: str):
        self.folder, self.name = folder, name
        self.earlier = _load(folder / name)
        self.used: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        html = self.used.get(key)
        if html is None:
            html = self.earlier.get(key)
            if html is not None:
                self.used[key] = html
        return html

    def put(self, key: str, html: str) -> None:
        self.used[key] = html

    def save(self) -> None:
        if self.used != self.earlier:
            lib.write_json(self.folder, self.name, {"version": VERSION, "sections": self.used})


def _load(path: Path) -> dict[str, str]:
    try:
        document: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    sections = document.get("sections") if isinstance(document, dict) and document.get("version") == VERSION else None
    if not isinstance(sections, dict):
        return {}
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in sections.items()):
        return {}
    return sections
