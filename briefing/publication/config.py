"""The publication's options: each note's print edition and PDF, and whether this build is the
one to publish (``plugins: - briefing: publication:`` in mkdocs.yml). The records themselves
are not options: a note's is its index.md's front matter (``briefing.series.record``), the
series' is ``briefing: series:``."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from briefing.common.options import Positive

MOVED = ("a note's record is the note: its index.md's front matter under note: (README 'Add a note'); the series' "
         "is briefing.series. Remove it here")


class PublicationConfig(Config):
    """``plugins: - briefing: publication:`` in mkdocs.yml."""

    # A build to publish: a placeholder address, or a CITATION.cff that disagrees, fails it
    # (deploy.yml sets it through BRIEFING_DEPLOY).
    deploy = c.Type(bool, default=False)
    # Build each note's PDF edition during `mkdocs build` (about 2 s a note).
    pdf = c.Type(bool, default=True)
    # Build the PDFs on every rebuild of `mkdocs serve` too.
    pdf_when_serving = c.Type(bool, default=False)
    # Seconds a PDF may take (> 0); it is stopped there, and a strict build fails.
    pdf_timeout = Positive((int, float), default=60)
    # The record's fields before the series (issue 13): a warning saying where they went.
    title = c.Deprecated(message=MOVED)
    author = c.Deprecated(message=MOVED)
    series = c.Deprecated(message=MOVED)
    number = c.Deprecated(message=MOVED)
    date = c.Deprecated(message=MOVED)
    publisher = c.Deprecated(message=MOVED)
    place = c.Deprecated(message=MOVED)
    language = c.Deprecated(message=MOVED)
    rights = c.Deprecated(message=MOVED)
    url = c.Deprecated(message="a note's address is site_url and its folder. Remove it here")
