"""The briefing-site generator: research notes (Markdown and a BibTeX library) published as a
static site, a print edition and a PDF, through one MkDocs plugin (``briefing.plugin``).

``CODE_DIGEST`` is the SHA-256 of the package's sources (Python, templates, CSS, JavaScript,
the Lua filter) as they were when the package was imported: the code that runs in this
process. Caches key on it (a new generator renders anew), and under ``mkdocs serve``, which
imports the plugin once, a build compares it with the sources on disk to say that an edited
generator needs a restart.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__version__ = "0.1.0"

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_SUFFIXES = (".py", ".html", ".css", ".js", ".lua")


def source_digest(root: Path = PACKAGE_DIR) -> str:
    """SHA-256 over every source file under ``root`` (its path and its bytes), in path order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file()
                       and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


CODE_DIGEST = source_digest()
