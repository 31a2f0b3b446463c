"""The generator's options, ``plugins: - briefing:`` in mkdocs.yml: one section per concern,
each a ``mkdocs.config.base.Config`` of its own (its options documented line by line there).
An unknown key is a warning and a wrong value an error, each naming mkdocs.yml and the option
(``briefing.common.options.Section``); a strict build fails on either.

The citations have no options of their own: mkdocs-bibtex's (``bib_file``, ``csl_file``) are
the library's, under ``plugins: - bibtex:``.
"""

from __future__ import annotations

from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig

from briefing.common.options import PLUGIN, Section
from briefing.key_figures.config import KeyFiguresConfig
from briefing.links.config import LinksConfig
from briefing.pictures.config import PicturesConfig
from briefing.publication.config import PublicationConfig


class BriefingConfig(Config):
    # The key figures: the figures file (callouts in the chapters, "At a glance").
    key_figures = Section(KeyFiguresConfig, "key_figures")
    # The link check: internal links in every build, external ones on demand.
    links = Section(LinksConfig, "links")
    # The pictures and data: the timeline and charts files (beside the figures file), the
    # data downloads.
    pictures = Section(PicturesConfig, "pictures")
    # The note's own record (cite-this block, downloads, meta tags, print edition, PDF);
    # leave it out for a site without one.
    publication = Section(PublicationConfig, "publication", optional=True)


def options(config: MkDocsConfig) -> BriefingConfig:
    """The generator's validated options in this build's config."""
    return config.plugins[PLUGIN].config
