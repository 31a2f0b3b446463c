"""Under ``mkdocs serve`` (not strict: it keeps serving while the site has warnings), every
warning of the build is shown in the terminal, as always, and on every page: a small banner
of ours at the top of the body listing them (no inline script or style: briefing.css styles
it). ``make build`` and ``make test`` stay strict and never show it.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from markupsafe import escape

_BODY = re.compile(r"<body\b[^>]*>", re.I)
MARK = "briefing-serve-warnings"


class WarningLog(logging.Handler):
    """The warnings (and errors) logged under ``mkdocs`` during one build."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def attach(self) -> WarningLog:
        logging.getLogger("mkdocs").addHandler(self)
        return self

    def detach(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self)


def banner_html(messages: list[str]) -> str:
    """The banner listing ``messages`` (escaped), or "" for none."""
    if not messages:
        return ""
    count = f"{len(messages)} warning{'s' if len(messages) != 1 else ''}"
    items = "".join(f"<li>{escape(message)}</li>" for message in messages)
    return (f'<div class="{MARK}" role="status"><details open><summary>mkdocs serve: {count} in this build '
            f"(make build fails on them)</summary><ul>{items}</ul></details></div>")


def with_banner(html: str, banner: str) -> str:
    """``html`` with ``banner`` right after its ``<body>`` (an earlier banner replaced)."""
    html = re.sub(rf'<div class="{MARK}" role="status">.*?</details></div>', "", html, flags=re.S)
    if not banner:
        return html
    match = _BODY.search(html)
    return html if match is None else html[: match.end()] + banner + html[match.end():]


def show_on_pages(site_dir: Path, messages: list[str]) -> None:
    """Put the banner on every HTML page of the built site."""
    banner = banner_html(messages)
    for path in sorted(site_dir.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        updated = with_banner(html, banner)
        if updated != html:
            path.write_text(updated, encoding="utf-8")
