"""The briefing-site generator: research notes (Markdown and a BibTeX library) published as a
static site, a print edition and a PDF, through one MkDocs plugin (``briefing.plugin``)."""

__version__ = "0.1.0"
