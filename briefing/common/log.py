"""The generator's loggers, one per concern, named for the package's concerns: a message of
the link check reads ``briefing.links: docs/x.md:3: ...``.

Each logs under ``mkdocs.plugins.briefing.<concern>``, inside the ``mkdocs`` logger, so a strict
build counts its warnings (``mkdocs.plugins.get_plugin_logger`` would prefix every message with
``briefing`` alone).
"""

from __future__ import annotations

import logging

from mkdocs.plugins import PrefixedLogger


def logger(concern: str = "") -> PrefixedLogger:
    """The logger of ``concern`` ("links", "citations"...; "" for the plugin itself)."""
    name = f"briefing.{concern}" if concern else "briefing"
    return PrefixedLogger(name, logging.getLogger(f"mkdocs.plugins.{name}"))
