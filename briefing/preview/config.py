"""Previewing one note of a series (``plugins: - briefing: preview:`` in mkdocs.yml): a build
of that note's pages and the series' pages alone, for `make serve NOTE=<folder>`."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class PreviewConfig(Config):
    """``plugins: - briefing: preview:`` in mkdocs.yml."""

    # The folder of the one note to build (docs/<note>/), with the series' home and author
    # pages; empty: every note. mkdocs.yml sets it from BRIEFING_NOTE (`make serve NOTE=...`).
    # A deploy build refuses it.
    note = c.Type(str, default="")
