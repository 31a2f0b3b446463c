"""The generator's options, ``plugins: - briefing:`` in mkdocs.yml: one section per concern,
each a ``mkdocs.config.base.Config`` of its own (its options documented line by line there).
An unknown key is a warning and a wrong value an error, each naming mkdocs.yml and the option
(``briefing.common.options.Section``); a strict build fails on either.

The citations have no options of their own: mkdocs-bibtex's (``bib_file``, ``csl_file``) are
the library's, under ``plugins: - bibtex:``. The notes' records are not options either: each
is its note's index.md's front matter (``briefing.series.record``).
"""

from __future__ import annotations

from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig

from briefing.common.options import PLUGIN, Section
from briefing.key_figures.config import KeyFiguresConfig
from briefing.links.config import LinksConfig
from briefing.pictures.config import PicturesConfig
from briefing.preview.config import PreviewConfig
from briefing.publication.config import PublicationConfig
from briefing.series.config import SeriesConfig


class BriefingConfig(Config):
    # The series' record (name, publisher, place, address, ISSN, home page text, moved
    # addresses); leave it out for a site of plain pages.
    series = Section(SeriesConfig, "series", optional=True)
    # The key figures of a site of plain pages (in a series: each note's figures.yml).
    key_figures = Section(KeyFiguresConfig, "key_figures")
    # The link check: internal links in every build, external ones on demand.
    links = Section(LinksConfig, "links")
    # Each note's print edition and PDF, and whether this is the build to publish.
    publication = Section(PublicationConfig, "publication")
    # The pictures and data: each note's timeline and charts files (beside its figures file),
    # the data downloads.
    pictures = Section(PicturesConfig, "pictures")
    # One note built alone, for previewing it (`make serve NOTE=<folder>`); empty: every note.
    preview = Section(PreviewConfig, "preview")


def options(config: MkDocsConfig) -> BriefingConfig:
    """The generator's validated options in this build's config."""
    return config.plugins[PLUGIN].config
