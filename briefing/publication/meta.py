"""Each note's own citation, from its record (``briefing.publication.record.Publication``, one
per note on its ``NoteBuild``), and the tags of every page.

Events (default priority 0; the records are made by the series' on_files, at 100):
- ``on_config``: refuse ``copyright:`` (the footer states the rights a note states, and only
  on its pages); in a deploy build of a site of plain pages, refuse a placeholder address (a
  series checks its own: ``briefing.series``).
- ``on_files``: add each note's ``<slug>.bib`` and ``<slug>.ris`` to its folder.
- The shortcode ``cite-this`` (``cite_this``): the "Cite this note" block (Chicago
  bibliography and note forms, Download PDF, print edition, .bib, .ris) of the page's note.
- ``on_page_context``: the page's Highwire, Dublin Core, Open Graph and Twitter tags (its
  note's record; a page of no note gets Open Graph and Twitter tags only), its alternate
  links (the note's downloads, the series' feed) and its footer's rights line, rendered by
  ``templates/partials/publication/meta.html`` in ``main.html``'s ``extrahead``; a note's page
  is titled for its note ("Conclusion - <the note's title>", ``briefing_title``).
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from briefing.build import NoteBuild
from briefing.build import of as build_of
from briefing.common.log import logger
from briefing.common.shortcodes import Expansion, Shortcode
from briefing.publication import record as _publication

log = logger("publication")

FEED = "feed.xml"  # the series' Atom feed (briefing.series.feed)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    build = build_of(config)
    for message in rights_problems(config):
        log.warning(message)
    if build.options.publication.deploy and build.options.series is None:
        reason = _publication.placeholder_address(_publication.site_address(config.site_url))
        if reason:
            raise PluginError(f"{config.config_file_path}: site_url {config.site_url!r} cannot be the published "
                              f"address ({reason}), and this is a deploy build (briefing.publication.deploy): "
                              "build with the address GitHub Pages serves (README: 'Deploying').")
    return config


def rights_problems(config: MkDocsConfig) -> list[str]:
    """``copyright`` in mkdocs.yml would claim rights on every page, beside each note's."""
    if not config.copyright:
        return []
    where = config.config_file_path or "mkdocs.yml"
    return [f"{where}: copyright {config.copyright.strip()!r}: the footer states the rights a note states, from "
            "its record (note.rights), on its own pages; remove copyright, and give rights only where a note "
            "states them (README: 'Add a note')."]


def download_files(pub: _publication.Publication) -> dict[str, str]:
    """Site path -> content of a note's citation downloads."""
    names = pub.files()
    return {names["bib"]: _publication.bibtex(pub), names["ris"]: _publication.ris(pub)}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for note in build_of(config).notes.values():
        if note.publication is not None:
            for path, content in download_files(note.publication).items():
                files.append(File.generated(config, path, content=content))
    return files


def page_links(pub: _publication.Publication, page_url: str) -> dict[str, str]:
    """A note's downloads, as links relative to the page at ``page_url``."""
    return {name: get_relative_url(path, page_url) for name, path in pub.files().items()}


def cite_this(code: Shortcode, expansion: Expansion, page: Page, config: MkDocsConfig) -> str:
    """``<!-- cite-this -->``: the "Cite this note" block of the page's note."""
    build = build_of(config)
    pub = build.note_of(page.file.src_uri).publication
    if pub is None:
        if not build.in_refused_note(page.file.src_uri):  # else its record's problem is said
            expansion.problem(code, "<!-- cite-this --> stands on a page of no note: it cites the note whose pages "
                                    "hold it (a series' note, with its record in its index.md)")
        return ""
    template = build.theme.template("partials/publication/cite-this.html")
    return "\n" + template.render(pub=pub, links=page_links(pub, page.file.url)).strip() + "\n"


def absolute(pub: _publication.Publication, path: str) -> str | None:
    """A note's file as an absolute address (``path`` from the site's root)."""
    return pub.site_url + path if pub.site_url else None


def description(page: Page, note: NoteBuild, config: MkDocsConfig) -> str:
    """The page's own description, else its note's abstract (on its own page) or title, else the site's."""
    own = (page.meta or {}).get("description")
    if not own and note.publication is not None:
        own = note.abstract if page.file.src_uri == note.home and note.abstract else note.publication.title
    return " ".join(str(own or config.site_description or config.site_name or "").split())


def page_meta(note: NoteBuild, page: Page, config: MkDocsConfig) -> list[dict[str, str]]:
    pub = note.publication
    own_page = page.file.src_uri == note.home
    if pub is None:
        return _publication.site_meta_tags(page_title=None if page.is_homepage else page.title,
                                           description=description(page, note, config),
                                           page_url=page.canonical_url or "", site_name=config.site_name)
    files = pub.files()
    return _publication.meta_tags(
        pub, page_title=None if own_page else page.title, description=description(page, note, config),
        page_url=page.canonical_url or "", site_name=config.site_name,
        pdf_url=absolute(pub, files["pdf"]) if "pdf" in files else None,
    )


def alternate_links(pub: _publication.Publication | None, page_url: str, feed: bool) -> list[dict[str, str]]:
    found = []
    if pub is not None:
        links = page_links(pub, page_url)
        found += [{"type": "application/x-bibtex", "href": links["bib"], "title": "BibTeX citation"},
                  {"type": "application/x-research-info-systems", "href": links["ris"], "title": "RIS citation"}]
        if "pdf" in links:
            found.append({"type": "application/pdf", "href": links["pdf"], "title": "PDF edition"})
    if feed:
        found.append({"type": "application/atom+xml", "href": get_relative_url(FEED, page_url), "title": "Atom feed"})
    return found


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    build = build_of(config)
    note = build.note_of(page.file.src_uri)
    if note.publication is None and build.series is None:
        return context  # a site of plain pages: no record, no tags
    context["publication_meta"] = page_meta(note, page, config)
    context["publication_links"] = alternate_links(note.publication, page.url, build.series is not None)
    context["note_rights"] = note.publication.rights if note.publication is not None else None
    if note.publication is not None:  # a note's page: its title names the note, as its og:title does
        context["briefing_title"] = next(t["content"] for t in context["publication_meta"] if t["key"] == "og:title")
    return context
