"""pandoc's citeproc in a child process that the build owns, one per note of the build.

``PandocRun`` starts pandoc from a thread of its own as soon as the build's ``gate`` (a
semaphore: as many pandoc processes at once as the machine has cores) lets it, and feeds it
the document, so MkDocs converts the pages meanwhile. ``result()`` waits for it (at most
``TIMEOUT`` seconds, then stops it) and raises ``PandocError`` with pandoc's own message when
it failed; ``stop()`` ends it if it still runs (a build that failed before the notes were used:
``on_build_error``, ``on_shutdown``) and returns its error if it had failed. A run is stopped
or waited for exactly once; no pandoc outlives its build.

Which pandoc: ``PYPANDOC_PANDOC`` when set (as pypandoc reads it), else pypandoc-binary's own,
found beside pypandoc without running it. pypandoc finds one by running every pandoc it can see
with ``--version`` (five processes a build: 26 ms of the real note's), which mkdocs-bibtex's
``PandocRegistry`` has it do in every ``on_config``; ``prime_pypandoc`` gives pypandoc the
answer first: the pandoc this build uses and the version pypandoc found for it in an earlier
build (``keep_version``), kept by the binary's path, size and modification time. They read and
set two of pypandoc's module globals (``__pandoc_path``, ``__version``, pypandoc 1.17): the one
place that knows them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import threading
from pathlib import Path

TIMEOUT = 600.0  # seconds pandoc may take: far beyond a series of hundreds of pages (about 10 s)


class PandocError(RuntimeError):
    """pandoc failed, or was stopped at its deadline."""


def pandoc_path() -> str:
    """The pandoc binary: ``PYPANDOC_PANDOC``, else pypandoc-binary's (pandoc 3.9: Debian's 2.17
    is ten times slower), else whatever pypandoc finds."""
    chosen = os.environ.get("PYPANDOC_PANDOC")
    if chosen:
        return chosen
    spec = importlib.util.find_spec("pypandoc")
    if spec is not None and spec.origin:
        bundled = Path(spec.origin).resolve().parent / "files" / "pandoc"
        if bundled.is_file() and os.access(bundled, os.X_OK):
            return str(bundled)
    import pypandoc

    return pypandoc.get_pandoc_path()


_VERSION = re.compile(r"^\d+(\.\d+)+$")  # what pypandoc takes for a version (its _get_pandoc_version)
_RECORD = "pandoc-version.json"


def _binary_key(path: str) -> str | None:
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return f"{Path(path).resolve()}:{stat.st_size}:{stat.st_mtime_ns}"


def kept_version(path: str, cache: Path) -> str | None:
    """The version pypandoc found for the binary at ``path`` in an earlier build (kept in the
    folder ``cache`` by the binary's path, size and modification time); None if none was."""
    key = _binary_key(path)
    try:
        known = json.loads((cache / _RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    found = known.get(key) if isinstance(known, dict) and key is not None else None
    return found if isinstance(found, str) and _VERSION.match(found) else None


def prime_pypandoc(cache: Path) -> bool:
    """Give pypandoc the pandoc this build uses and the version it found for it in an earlier
    build, so that it looks for none (mkdocs-bibtex's registry asks it in every on_config);
    whether it could."""
    path = pandoc_path()
    version = kept_version(path, cache)
    if version is None:
        return False
    import pypandoc

    state = vars(pypandoc)
    if "__pandoc_path" not in state or "__version" not in state:  # another pypandoc: it looks for itself
        return False
    state["__pandoc_path"], state["__version"] = path, version
    return True


def keep_version(cache: Path) -> bool:
    """Keep the version pypandoc found (this build's first, when nothing was kept) for the next
    builds, when the pandoc it found is the one this build uses; whether it did. Nothing is run."""
    import sys

    pypandoc = sys.modules.get("pypandoc")
    state = vars(pypandoc) if pypandoc is not None else {}
    found, version = state.get("__pandoc_path"), state.get("__version")
    path = pandoc_path()
    if not (isinstance(found, str) and isinstance(version, str) and _VERSION.match(version)):
        return False
    key = _binary_key(path)
    if key is None or _binary_key(found) != key or kept_version(path, cache) == version:
        return False
    from briefing.citations.library import write_json

    write_json(cache, _RECORD, {key: version})
    return True


def pandoc_args(pandoc: str, bib_files: list[Path], csl: Path, lua_filter: Path | None = None) -> list[str]:
    args = [pandoc, "--from=markdown", "--to=html", "--wrap=none"]
    if lua_filter is not None:
        args.append(f"--lua-filter={lua_filter}")  # before --citeproc: filters run in this order
    args += ["--citeproc", f"--csl={csl}"]
    return args + [f"--bibliography={path}" for path in bib_files]


def gate() -> threading.BoundedSemaphore:
    """How many pandoc processes a build runs at once: one per core (each uses one)."""
    return threading.BoundedSemaphore(max(1, os.cpu_count() or 1))


class PandocRun:
    """One pandoc process, started (from a thread of its own) as soon as ``gate`` allows."""

    def __init__(self, args: list[str], document: str, gate: threading.Semaphore | None = None):
        self.args = args
        self._gate = gate
        self._lock = threading.Lock()
        self._stopped = False
        self._process: subprocess.Popen | None = None
        self._start_error: str | None = None
        self._output: tuple[str, str] = ("", "")
        self._thread = threading.Thread(target=self._talk, args=(document,), name="pandoc", daemon=True)
        self._thread.start()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _talk(self, document: str) -> None:
        if self._gate is not None:
            self._gate.acquire()
        try:
            with self._lock:
                if self._stopped:
                    return
                try:
                    self._process = subprocess.Popen(self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                     stderr=subprocess.PIPE, text=True, encoding="utf-8")
                except OSError as error:
                    self._start_error = f"pandoc did not start ({error})"
                    return
            try:
                self._output = self._process.communicate(document)
            except (OSError, ValueError):  # stopped meanwhile: its pipes are closed
                pass
        finally:
            if self._gate is not None:
                self._gate.release()

    def running(self) -> bool:
        return self._thread.is_alive() and (self._process is None or self._process.poll() is None)

    def result(self, timeout: float = TIMEOUT) -> str:
        """pandoc's HTML; waits for it. PandocError (pandoc's message) when it failed or ran
        past ``timeout`` seconds (it is stopped then)."""
        self._thread.join(timeout)
        if self._thread.is_alive():
            self.stop()
            raise PandocError(f"pandoc was stopped after {timeout:g} s")
        error = self.error()
        if error:
            raise PandocError(error)
        return self._output[0]

    def error(self) -> str | None:
        """pandoc's error when it has ended with one; None while it runs or when it succeeded."""
        if self._start_error:
            return self._start_error
        if self._process is None:
            return None
        code = self._process.poll()
        if code is None or code == 0:
            return None
        self._thread.join(5)
        message = self._output[1].strip() or "no message"
        return f"pandoc failed ({code}): {message}"

    def stop(self) -> str | None:
        """End pandoc if it still runs or waits to (and reap it); its error if it had failed."""
        with self._lock:
            if self._process is None:  # not started: it never will be
                self._stopped = True
                return self._start_error
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
            self._thread.join(5)
            return None
        return self.error()


def run_pandoc(pandoc: str, document: str, bib_files: list[Path], csl: Path, lua_filter: Path | None = None) -> str:
    """pandoc's HTML for one document, waiting for it (one process: a second one for the
    bibliography costs more than it saves, as pandoc already uses both cores)."""
    return PandocRun(pandoc_args(pandoc, bib_files, csl, lua_filter), document).result()
