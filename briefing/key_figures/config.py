"""The key figures' options: ``plugins: - briefing: key_figures:`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class KeyFiguresConfig(Config):
    # The figures file, relative to mkdocs.yml: a YAML list of id, value, label, source (and
    # as_of, period, attribution where they apply), or a mapping of order and figures.
    file = c.Type(str, default="data/figures.yml")
