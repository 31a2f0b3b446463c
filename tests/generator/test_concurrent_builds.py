"""Two builds of one folder at once never fail spuriously: the second waits for the first
(briefing/common/build_lock.py). Before the lock, two `mkdocs build --clean` loops side by side failed
1 run in 15 (MkDocs' clean of site_dir removing a file the other build had just removed)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from briefing.common import build_lock

from sitebuild import NOTE, ONE_ENTRY, as_note, make_site, series_options

# A test-only hook: build A stops after writing its pages (before the link check reads them)
# until build B is either waiting for the lock or has begun (its on_pre_build: MkDocs cleans
# site_dir next). Every build notes when it began and ended.
TIMELINE_HOOK = '''
import os, time
from pathlib import Path
from mkdocs.plugins import event_priority

def _note(event):
    with open(os.environ["TIMELINE"], "a", encoding="utf-8") as out:
        out.write(f"{os.environ['BUILD']} {event} {time.time():.6f}\\n")

@event_priority(2000)
def on_pre_build(config):
    _note("begins")

@event_priority(50)
def on_post_build(config):
    if os.environ.get("PAUSE_FOR"):
        other = Path(os.environ["PAUSE_FOR"])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            text = other.read_text(encoding="utf-8") if other.exists() else ""
            if "waiting for another build" in text or "B begins" in Path(os.environ["TIMELINE"]).read_text():
                break
            time.sleep(0.05)
        time.sleep(0.3)
    _note("ends")
'''


def _mkdocs(config: Path, log: Path, **env) -> subprocess.Popen:
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(config)],
                            stdout=log.open("w"), stderr=subprocess.STDOUT, env=environment, cwd=config.parent)


def test_a_second_build_of_the_folder_waits_for_the_first(tmp_path):
    pages = as_note({"index.md": "# Home\n\nA claim.[@smith2020title]\n\n<!-- cite-this -->\n",
                     "b.md": "# B\n\n[Home](index.md)\n"})
    config = make_site(tmp_path, pages, ONE_ENTRY, options=series_options())
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    (tmp_path / "timeline_hook.py").write_text(TIMELINE_HOOK, encoding="utf-8")
    settings.setdefault("hooks", []).append(str(tmp_path / "timeline_hook.py"))
    config.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    timeline = tmp_path / "timeline.txt"
    timeline.touch()
    log_a, log_b = tmp_path / "a.log", tmp_path / "b.log"

    first = _mkdocs(config, log_a, BUILD="A", TIMELINE=str(timeline), PAUSE_FOR=str(log_b))
    deadline = time.monotonic() + 60
    while "A begins" not in timeline.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline and first.poll() is None, log_a.read_text()
        time.sleep(0.05)
    second = _mkdocs(config, log_b, BUILD="B", TIMELINE=str(timeline))
    assert first.wait(120) == 0, log_a.read_text()
    assert second.wait(120) == 0, log_b.read_text()

    events = {" ".join(line.split()[:2]): float(line.split()[2]) for line in timeline.read_text().splitlines()}
    assert events["B begins"] > events["A ends"], (events, log_b.read_text())
    assert "waiting for another build of this folder (process " in log_b.read_text(encoding="utf-8")
    assert (tmp_path / "site" / NOTE / "b" / "index.html").is_file()


def test_the_lock_is_exclusive_and_names_its_holder(tmp_path):
    path = tmp_path / ".cache" / "build.lock"
    fd = build_lock.acquire(path)
    waits: list[str] = []
    try:
        with pytest.raises(TimeoutError, match=f"process {os.getpid()}"):
            _acquire_elsewhere(path, waits)
    finally:
        build_lock.release(fd)
    assert waits == [f"process {os.getpid()}"]
    build_lock.release(build_lock.acquire(path, wait_limit=0.5))  # free again


def _acquire_elsewhere(path: Path, waits: list[str]) -> None:
    """acquire() from another thread with its own file descriptor (flock is per open file)."""
    outcome: list[BaseException | int] = []

    def attempt():
        try:
            outcome.append(build_lock.acquire(path, wait_limit=0.5, on_wait=waits.append))
        except BaseException as error:  # noqa: BLE001 - handed to the test
            outcome.append(error)

    thread = threading.Thread(target=attempt)
    thread.start()
    thread.join(10)
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    build_lock.release(outcome[0])
