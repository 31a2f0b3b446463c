"""One build at a time in a project folder. Two builds of the same mkdocs.yml at once (two
`make build`, a build beside a `mkdocs serve` rebuild, a test beside a build) clean and write
the same ``site_dir`` and caches: MkDocs' own clean of ``site_dir`` then fails when the other
build removed a file first (1 run in 15 of two builds side by side), and the link check of one
sees the other's half-written site. The second build now waits for the first.

The lock is ``.cache/build.lock`` beside mkdocs.yml, an advisory ``flock`` the system drops
when its process ends, however it ends (so a crashed build never leaves it behind).

Events:
- ``on_config`` (priority 1000, before every other concern and before MkDocs cleans
  ``site_dir``): take the lock, saying once that the build waits for another, and for which
  process; after ``WAIT_LIMIT`` seconds a PluginError says what holds it. The lock is one of
  the build's children (``HeldLock``): the build releases it when it closes, after its last
  event, when it fails, or when the process ends.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from briefing.build import of as build_of
from briefing.common.log import logger

try:
    import fcntl
except ImportError:  # not POSIX: builds are not serialised
    fcntl = None

log = logger("build_lock")

WAIT_LIMIT = 900.0  # seconds: longer than any sound build (the link check's run deadline, the PDF's)
POLL = 0.1


def lock_path(config_file: str) -> Path:
    return Path(config_file).resolve().parent / ".cache" / "build.lock"


def acquire(path: Path, wait_limit: float = WAIT_LIMIT, on_wait=None) -> int:
    """Open ``path`` and lock it exclusively, waiting while another process holds it; returns
    the file descriptor (``release`` closes it). Calls ``on_wait(holder)`` once when it must
    wait; raises TimeoutError after ``wait_limit`` seconds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_limit
    waited = False
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited and on_wait is not None:
                    on_wait(holder(path))
                waited = True
                if time.monotonic() >= deadline:
                    raise TimeoutError(f"{path} is held by {holder(path)}") from None
                time.sleep(POLL)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        return fd
    except BaseException:
        os.close(fd)
        raise


def holder(path: Path) -> str:
    """The process that took the lock last, as it wrote itself in the file."""
    try:
        pid = path.read_text(encoding="utf-8").strip()
    except OSError:
        pid = ""
    return f"process {pid}" if pid.isdigit() else "another process"


def release(fd: int) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


class HeldLock:
    """The lock a build holds, as one of its children: released when the build closes."""

    def __init__(self, fd: int):
        self.fd: int | None = fd

    def stop(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            release(fd)


@event_priority(1000)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if fcntl is None:
        return config
    path = lock_path(config.config_file_path)

    def waiting(who: str) -> None:
        log.info(f"waiting for another build of this folder ({who}) to finish: {path}")

    try:
        build_of(config).own(HeldLock(acquire(path, WAIT_LIMIT, waiting)))
    except TimeoutError as error:
        raise PluginError(
            f"{config.config_file_path}: another build of this folder has run for over {WAIT_LIMIT:.0f} s "
            f"({error}): wait for it to end, or stop it."
        ) from error
    except OSError as error:  # a read-only checkout: build without the lock
        log.info(f"builds of this folder are not serialised ({path}: {error})")
    return config
