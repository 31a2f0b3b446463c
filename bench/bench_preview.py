"""The one-note preview's reload (issue 14): from writing a prose edit of a chapter to MkDocs'
"Reloading browsers", under ``mkdocs serve`` with ``BRIEFING_NOTE`` (what ``make serve
NOTE=<folder>`` runs) on the synthetic series (``bench/series.py``: 50 notes x 12 pages, a
2,000-entry .bib).

One ``mkdocs serve`` process on a free loopback port; after its first build, ``--edits`` edits,
each a word of one chapter's prose changed, a few seconds apart. Each edit's figures come
from the server's log lines, timestamped as they arrive: ``detect_s`` from the write to
"Detected file changes" (MkDocs' file watcher polls), ``build_s`` from "Building
documentation" to "Reloading browsers", ``reload_s`` the whole, write to "Reloading
browsers". Prints one JSON line an edit and one with the medians; target: ``reload_s`` <= 1 s.

Usage: python bench/bench_preview.py [--edits N] [--notes N] [--pages N] [--entries N] [--note N]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import series  # noqa: E402

ROOT = series.ROOT
MKDOCS = Path(sys.executable).with_name("mkdocs")
TIMEOUT = 120  # seconds a build may take before the bench gives up


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


class Server:
    """``mkdocs serve`` of ``config_file``, its log lines timestamped as they arrive."""

    def __init__(self, config_file: Path, note: str):
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BRIEFING_NOTE": note,
               "PYTHONPYCACHEPREFIX": str(ROOT / ".cache" / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.process = subprocess.Popen(
            [str(MKDOCS), "serve", "-f", str(config_file), "--dev-addr", f"127.0.0.1:{free_port()}"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=config_file.parent, env=env, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put((time.perf_counter(), line.rstrip()))

    def until(self, text: str) -> tuple[float, list[tuple[float, str]]]:
        """The time the next line holding ``text`` arrived, and the lines up to it."""
        seen = []
        deadline = time.perf_counter() + TIMEOUT
        while True:
            try:
                at, line = self.lines.get(timeout=max(deadline - time.perf_counter(), 0.01))
            except queue.Empty:
                raise SystemExit(f"no {text!r} from mkdocs serve in {TIMEOUT} s:\n" +
                                 "\n".join(line for _, line in seen[-40:])) from None
            seen.append((at, line))
            if "Traceback" in line or "An error happened during the rebuild" in line:
                raise SystemExit("mkdocs serve failed:\n" + "\n".join(line for _, line in seen[-40:]))
            if text in line:
                return at, seen

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def first(lines: list[tuple[float, str]], text: str) -> float | None:
    return next((at for at, line in lines if text in line), None)


def edit(chapter: Path, number: int) -> None:
    """A prose edit: one word of the chapter's last paragraph changed (the edit's number in it)."""
    text = chapter.read_text(encoding="utf-8")
    body, last = text.rstrip("\n").rsplit("\n", 1)
    words = last.split(" ")
    words[min(3, len(words) - 1)] = f"edited{number}"
    chapter.write_text(body + "\n" + " ".join(words) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--notes", type=int, default=50)
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--note", type=int, default=2, help="the note previewed (its index in the series)")
    parser.add_argument("--pause", type=float, default=3.0, help="seconds between a reload and the next edit")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp:
        config = series.generate(Path(tmp) / "series", args.notes, args.pages, args.entries)
        note = series.slug(args.note)
        chapters = sorted(path for path in (config.parent / "docs" / note).glob("*.md") if path.name != "index.md")
        server = Server(config, note)
        rows = []
        try:
            server.until("Serving on")
            for number in range(args.edits):
                time.sleep(args.pause)
                before = load()
                written = time.perf_counter()
                edit(chapters[number % len(chapters)], number)
                reloaded, lines = server.until("Reloading browsers")
                detected, building = first(lines, "Detected file changes"), first(lines, "Building documentation")
                row = {"date": time.strftime("%Y-%m-%d %H:%M", time.gmtime()), "load": before,
                       "case": f"preview of {note} ({args.notes} x {args.pages} series): edit {number + 1}",
                       "reload_s": round(reloaded - written, 3),
                       "detect_s": round(detected - written, 3) if detected else None,
                       "build_s": round(reloaded - building, 3) if building else None}
                rows.append(row)
                print(json.dumps(row), flush=True)
        finally:
            server.stop()
    summary = {"date": time.strftime("%Y-%m-%d %H:%M", time.gmtime()), "load": load(),
               "case": f"preview reload, {args.notes} x {args.pages} series, median of {len(rows)} edits",
               **{key: round(statistics.median(row[key] for row in rows if row[key] is not None), 3)
                  for key in ("reload_s", "detect_s", "build_s")}}
    print(json.dumps(summary), flush=True)
    print(f"preview reload (write to 'Reloading browsers'): median {summary['reload_s']} s "
          f"(detect {summary['detect_s']} s, build {summary['build_s']} s); target <= 1 s")


if __name__ == "__main__":
    main()
