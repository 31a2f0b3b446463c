"""The pictures' options: ``plugins: - briefing: pictures:`` in mkdocs.yml. The data files
live beside the note's figures file (``briefing: key_figures: file:``; today ``data/``)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class PicturesConfig(Config):
    # The timeline file, beside the figures file: a YAML list of events (id, date as the text
    # words it, when, label, page, source; paragraph and attribution where needed).
    timeline = c.Type(str, default="timeline.yml")
    # The charts file, beside the figures file: a YAML list of charts (id, title, description,
    # measure, bars of figure ids from the figures file).
    charts = c.Type(str, default="charts.yml")
    # Write the key figures and the timeline as CSV and JSON with a Frictionless data package
    # (data/ beside the note's home page), linked from "At a glance" and the timeline.
    downloads = c.Type(bool, default=True)
