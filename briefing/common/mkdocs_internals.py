"""What MkDocs' strict mode has counted so far in this build: the one place that reads its
warning counter (``mkdocs.commands.build.build`` adds a ``CountHandler`` to the ``mkdocs``
logger in strict mode, and aborts after ``on_post_build`` when it counted anything).

A hook that is about to spend seconds on output a failed strict build throws away (the PDF)
asks ``failed()`` first. Pure functions only: no MkDocs events here.
"""

from __future__ import annotations

import logging

from mkdocs.utils import CountHandler


def warnings_counted() -> int | None:
    """Warnings (and errors) counted by this build's strict mode so far; None when the build
    is not strict (no counter: nothing will abort it)."""
    for handler in logging.getLogger("mkdocs").handlers:
        if isinstance(handler, CountHandler):
            return sum(count for _level, count in handler.get_counts())
    return None


def failed() -> bool:
    """True when this is a strict build that will abort: it has already counted a warning."""
    return bool(warnings_counted())
