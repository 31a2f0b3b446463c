"""The key figures' options: ``plugins: - briefing: key_figures:`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

NOTE_FILE = "figures.yml"  # in a series, each note's figures file: beside its index.md


class KeyFiguresConfig(Config):
    # A site of plain pages (no briefing.series): its figures file, relative to mkdocs.yml (a
    # YAML list of id, value, label, source, and as_of, period, attribution where they apply;
    # or a mapping of order and figures). In a series each note's figures file is
    # docs/<note>/figures.yml, and this option is not used.
    file = c.Type(str, default="data/figures.yml")
