"""The publication's options: the note's own record and its print edition and PDF
(``plugins: - briefing: publication:`` in mkdocs.yml)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from briefing.common.options import Positive


class AuthorConfig(Config):
    given = c.Type(str)  # given names, as printed: "Jane Q."
    family = c.Type(str)  # family name: "Smith"
    honorific = c.Optional(c.Type(str))  # shown before the name on the site only: "Dr"
    affiliation = c.Type(str)  # the author's institution, for citation_author_institution and CITATION.cff


class PublicationConfig(Config):
    """The note's record: ``plugins: - briefing: publication:`` in mkdocs.yml."""

    title = c.Type(str)  # the note's title, as on its title page
    author = c.SubConfig(AuthorConfig)
    series = c.Type(str)  # "Research Note Series"
    number = c.Type(str)  # the paper's number in the series, as text: "2"
    date = c.Type(str)  # publication date: "YYYY", "YYYY-MM" or "YYYY-MM-DD" (quote it in YAML)
    publisher = c.Type(str)  # the issuing body
    place = c.Optional(c.Type(str))  # place of publication, for the Chicago entry
    language = c.Type(str, default="en")
    url = c.Optional(c.Type(str))  # the note's address; leave unset to use site_url
    rights = c.Optional(c.Type(str))  # the rights statement the note itself makes (footer, colophon, DC.rights)
    deploy = c.Type(bool, default=False)  # a build to publish: a placeholder address fails it (deploy.yml sets it)
    pdf = c.Type(bool, default=True)  # build the PDF edition during `mkdocs build`
    pdf_when_serving = c.Type(bool, default=False)  # also on every rebuild of `mkdocs serve` (about 2 s each)
    pdf_timeout = Positive((int, float), default=60)  # seconds the PDF may take (> 0); stopped there (a strict failure)
