"""The briefing-site generator: research notes (Markdown and a BibTeX library) published as a
static site, a print edition and a PDF, through one MkDocs plugin (``briefing.plugin``).

``CODE_DIGEST`` is the SHA-256 of the package's sources (Python, templates, CSS, JavaScript,
the Lua filter) as they were when the package was imported: the code that runs in this
process. Caches key on it (a new generator renders anew), and under ``mkdocs serve``, which
imports the plugin once, a build compares it with the sources on disk to say that an edited
generator needs a restart. Hashing the sources took 36 million instructions of every build
(1% of the real note's): the digest is kept beside the package's bytecode
(``sys.pycache_prefix``, else ``__pycache__``, not when Python writes no bytecode) with the
sources' paths, sizes and modification times, and reused while they are the same, which is how
Python itself decides whether a module's bytecode is the module's.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path

__version__ = "0.1.0"

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_SUFFIXES = (".py", ".html", ".css", ".js", ".lua")


def _sources(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file()
                  and "__pycache__" not in p.parts)


def source_digest(root: Path = PACKAGE_DIR) -> str:
    """SHA-256 over every source file under ``root`` (its path and its bytes), in path order."""
    digest = hashlib.sha256()
    for path in _sources(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


_HEX = re.compile(r"[0-9a-f]{64}")


def kept_source_digest(root: Path = PACKAGE_DIR) -> str:
    """``source_digest(root)``, kept with the sources' paths, sizes and modification times and
    reused while they are the same (``CODE_DIGEST``)."""
    signature = hashlib.sha256()
    for path in _sources(root):
        stat = path.stat()
        signature.update(f"{path.relative_to(root).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    stamp = signature.hexdigest()
    prefix = sys.pycache_prefix
    folder = Path(prefix, *root.resolve().parts[1:]) if prefix else root / "__pycache__"
    record = folder / "code-digest.json"
    try:
        kept = json.loads(record.read_text(encoding="utf-8"))
        if kept.get("sources") == stamp and _HEX.fullmatch(kept.get("digest", "")):
            return kept["digest"]
    except (OSError, ValueError, AttributeError):
        pass
    digest = source_digest(root)
    if sys.dont_write_bytecode:
        return digest
    try:  # atomically: another process may read it meanwhile
        folder.mkdir(parents=True, exist_ok=True)
        partial = record.with_suffix(f".{os.getpid()}.part")
        partial.write_text(json.dumps({"sources": stamp, "digest": digest}), encoding="utf-8")
        os.replace(partial, record)
    except OSError:
        pass  # a read-only install: worked out on every import
    return digest


CODE_DIGEST = kept_source_digest()
