"""Answers of pure functions kept between builds (issue 14), as JSON data (not pickles: reading
them back runs no code), one file per group of pages (a note's folder) under a folder of
``.cache/plugin/``.

Each answer is kept under the digest of everything it depends on (the caller's key), so a
changed input asks again; what is read back is checked by the caller, and anything that is not
what it wrote is ignored and worked out again. Each build rewrites a group's file with the
answers it used when they differ from those it found, so the answers for earlier versions of a
page go.

A ``Groups`` serves one kind of answer (the Markdown conversions, the link scans, the search
entries). The link scans and the search entries are worked out in the build's worker process
(``briefing.common.worker``) or, for a small site, in the build's own: each process opens the
stores it needs (``opened``) and writes them at the end of the build (``save_opened``, sent to the
worker as its last job), so nothing of them crosses between the processes but their answers.

Pure functions and one per-process registry of open stores; no MkDocs events.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.citations import library as lib


def group_of(path: str) -> str:
    """The top folder a page's path is in ("" for a page at the top)."""
    return path.split("/", 1)[0] if "/" in path else ""


@dataclass
class Groups:
    """One kind of kept answer: those of earlier builds by group, those this build used."""

    folder: Path
    version: str  # the kind's format: a file of another version is not read
    earlier: dict[str, dict[str, Any]] = field(default_factory=dict)  # group -> key -> answer
    used: dict[str, dict[str, Any]] = field(default_factory=dict)

    def file_name(self, group: str) -> str:
        return f"{lib.cache_key(self.version, group)[:32]}.json"

    def get(self, group: str, key: str) -> Any:
        """The answer kept under ``key`` (None when there is none): the caller checks it."""
        if group not in self.earlier:
            self.earlier[group] = self._load(self.folder / self.file_name(group))
        return self.earlier[group].get(key)

    def use(self, group: str, key: str, answer: Any) -> None:
        """``answer`` (JSON data) is this build's for ``key``: kept for the next build."""
        self.used.setdefault(group, {})[key] = answer

    def save(self) -> None:
        """Write each group whose answers differ from those found; forget both."""
        for group, answers in self.used.items():
            if group not in self.earlier:
                self.earlier[group] = self._load(self.folder / self.file_name(group))
            if answers.keys() != self.earlier[group].keys():
                lib.write_json(self.folder, self.file_name(group), {"version": self.version, "answers": answers})
        self.earlier.clear()
        self.used.clear()

    def _load(self, path: Path) -> dict[str, Any]:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        answers = document.get("answers") if isinstance(document, dict) and document.get("version") == self.version \
            else None
        return answers if isinstance(answers, dict) else {}


# The stores this process has open (the build's, or its worker's), by (folder, version).
_OPEN: dict[tuple[str, str], Groups] = {}


def opened(folder: str, version: str) -> Groups:
    """This process's store of ``version`` answers in ``folder``, opened on first use."""
    store = _OPEN.get((folder, version))
    if store is None:
        store = _OPEN[(folder, version)] = Groups(Path(folder), version)
    return store


def save_opened() -> int:
    """Write every store this process opened, and close them (the build's end); how many."""
    stores = list(_OPEN.values())
    _OPEN.clear()
    for store in stores:
        store.save()
    return len(stores)


def forget() -> None:
    """Close every store unsaved (a new build starts: an earlier one may have failed)."""
    _OPEN.clear()
