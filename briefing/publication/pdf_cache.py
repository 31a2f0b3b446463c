"""A note's PDF kept between builds and reused when nothing it is made from changed (issue 14):
rendering a PDF costs seconds, and most builds of a series change one note or none.

An entry is keyed by what makes the PDF: the print edition's HTML (the note's every page, its
notes and bibliography, its record), ``briefing.CODE_DIGEST`` (the generator's templates, CSS,
the paged-media rules and the code that writes them) and WeasyPrint's version. It holds the PDF,
the digest of every file the PDF loaded (style sheets, images, fonts of the site: a file changed
under the same name renders anew) and the addresses it refused (reported again on reuse, so a
strict build still fails on them). Entries live in ``.cache/plugin/pdf/<pdf name>/`` beside
mkdocs.yml; storing one removes the older entries of that PDF.

Pure functions over files; no MkDocs events (``pdf.render_reusing`` uses them).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

FORMAT = 1  # of the entry's JSON: a new format ignores older entries


@dataclass(frozen=True)
class Entry:
    pdf: Path
    files: dict[str, str]  # site path -> sha256 of each file the PDF loaded
    refused: list[tuple[str, str]] = field(default_factory=list)  # (url, reason) as pdf.Refusal holds them


def cache_dir(config_dir: Path) -> Path:
    return config_dir / ".cache" / "plugin" / "pdf"


def key(html: bytes, code_digest: str, renderer: str) -> str:
    """The entry's name: SHA-256 of the print edition's HTML, the generator's digest and the
    renderer's version."""
    digest = hashlib.sha256()
    for part in (str(FORMAT).encode(), code_digest.encode(), renderer.encode(), html):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def digests(paths: list[str], site_dir: Path) -> dict[str, str]:
    """sha256 of each site path that is a file of ``site_dir`` (others are left out)."""
    out = {}
    for path in sorted(set(paths)):
        digest = file_digest(site_dir / path)
        if digest is not None:
            out[path] = digest
    return out


def lookup(folder: Path, name: str, entry_key: str, site_dir: Path) -> Entry | None:
    """The entry for ``entry_key`` of the PDF ``name``, if it exists and every file it loaded is
    unchanged in ``site_dir``; else None."""
    base = folder / name / entry_key
    try:
        meta = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    pdf = base.with_suffix(".pdf")
    if not isinstance(meta, dict) or meta.get("format") != FORMAT or not pdf.is_file():
        return None
    files = meta.get("files") or {}
    if any(file_digest(site_dir / path) != digest for path, digest in files.items()):
        return None
    return Entry(pdf, files, [tuple(item) for item in meta.get("refused") or []])


def store(folder: Path, name: str, entry_key: str, pdf: Path, files: dict[str, str],
          refused: list[tuple[str, str]]) -> None:
    """Keep ``pdf`` as the entry ``entry_key`` of ``name`` (written whole, then renamed), and
    drop the older entries of ``name``. A cache that cannot be written is skipped."""
    place = folder / name
    try:
        place.mkdir(parents=True, exist_ok=True)
        for old in place.iterdir():
            if old.stem != entry_key:
                old.unlink(missing_ok=True)
        _write_whole(place / f"{entry_key}.pdf", pdf.read_bytes())
        meta = {"format": FORMAT, "files": files, "refused": [list(item) for item in refused]}
        _write_whole(place / f"{entry_key}.json", json.dumps(meta, indent=1).encode())
    except OSError:
        return


def reuse(entry: Entry, target: Path) -> None:
    """Put the entry's PDF at ``target`` (whole, or not at all)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    try:
        shutil.copyfile(entry.pdf, name)
        os.replace(name, target)
    finally:
        Path(name).unlink(missing_ok=True)


def _write_whole(path: Path, data: bytes) -> None:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(name, path)
    finally:
        Path(name).unlink(missing_ok=True)
