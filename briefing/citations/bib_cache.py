"""Each .bib file's parse kept on disk between builds (issue 14): at series size pybtex's parse
of the 2,000-entry library and the checks before it took 0.9 s of every build, whether or not
the file changed.

One JSON file per .bib under ``.cache/plugin/citations/bib/``, named by the digest of what the
result depends on: the file's path and bytes, the generator's code (its checks) and pybtex's
version (its parse). It holds each entry's line and the parsed entries (type, fields, names by
their parts), never code: loading it runs no pickle. A file that is missing, unreadable or not
exactly what ``dump`` writes is ignored, and the .bib is parsed again. What the build reports
from the parse (cross-references, non-http(s) urls) is worked out again from the loaded entries
on every build; only a file that passed every check is kept.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from briefing.citations import library as lib

VERSION = "bib-1"  # bump when what is kept changes
_NAME_PARTS = ("first", "middle", "prelast", "last", "lineage")


def key(path: Path, raw: bytes, code_digest: str) -> str:
    import pybtex

    return lib.cache_key(VERSION, code_digest, getattr(pybtex, "__version__", "?"), str(path.resolve()), raw)


def dump(lines: dict[str, int], data) -> dict[str, Any]:
    """What is kept of one parse: each entry's line and every entry, in the library's order."""
    entries = []
    for name, entry in data.entries.items():
        persons = [[role, [{part: list(getattr(person, f"{part}_names")) for part in _NAME_PARTS}
                           for person in people]] for role, people in entry.persons.items()]
        entries.append([name, entry.type, [[field, str(value)] for field, value in entry.fields.items()], persons])
    return {"version": VERSION, "lines": lines, "entries": entries, "preamble": list(data.preamble_list)}


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def load(document: Any):
    """(lines, BibliographyData) from what ``dump`` wrote, or None for anything else."""
    from pybtex.database import BibliographyData, Entry, Person

    try:
        if document.get("version") != VERSION or not _strings(document["preamble"]):
            return None
        lines = document["lines"]
        if not (isinstance(lines, dict) and all(isinstance(v, int) for v in lines.values())):
            return None
        entries = {}
        for name, kind, fields, persons in document["entries"]:
            if not (isinstance(name, str) and isinstance(kind, str)) or name in entries:
                return None
            if not all(isinstance(pair, list) and len(pair) == 2 and _strings(pair) for pair in fields):
                return None
            people = {}
            for role, names in persons:
                if not isinstance(role, str):
                    return None
                people[role] = []
                for parts in names:
                    person = Person()
                    for part in _NAME_PARTS:
                        if not _strings(parts[part]):
                            return None
                        setattr(person, f"{part}_names", list(parts[part]))
                    people[role].append(person)
            entries[name] = Entry(kind, fields=[tuple(pair) for pair in fields], persons=people)
    except (AttributeError, KeyError, TypeError, ValueError):
        return None
    return lines, BibliographyData(entries=entries, preamble=document["preamble"])


def read(folder: Path, name: str):
    try:
        return load(json.loads((folder / f"{name}.json").read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def write(folder: Path, name: str, lines: dict[str, int], data) -> None:
    """Keep one parse (``library.prune_cache`` removes those no build uses now)."""
    lib.write_json(folder, f"{name}.json", dump(lines, data))
