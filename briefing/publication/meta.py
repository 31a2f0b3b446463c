"""The note's own citation, from ``briefing: publication:`` (see ``record.py``).

Events (default priority 0; nothing here depends on the order of other hooks):
- ``on_config``: validate the record (unknown keys and disagreeing site settings are warnings);
  in a deploy build, refuse a placeholder address or a CITATION.cff that disagrees; put the
  rights the record states (and only those) in the footer (``copyright``).
- ``on_files``: add ``<slug>.bib`` and ``<slug>.ris`` to the site.
- ``on_page_markdown``: expand the ``<!-- cite-this -->`` shortcode into the "Cite this note"
  block (Chicago bibliography and note forms, Download PDF, print edition, .bib, .ris).
- ``on_page_context``: the Highwire, Dublin Core, Open Graph and Twitter tags of the page,
  rendered by ``overrides/partials/publication/meta.html`` in ``main.html``'s ``extrahead``.
"""

from __future__ import annotations

import re

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from briefing.build import of as build_of
from briefing.publication import record as _publication

log = get_plugin_logger("publication_meta")

SHORTCODE = re.compile(r"^<!--\s*cite-this\s*-->[ \t]*$", re.M)
_state: dict[str, _publication.Publication | None] = {}


def publication() -> _publication.Publication | None:
    return _state.get("pub")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _state.clear()
    pub, warnings = _publication.load(config)
    for message in warnings:
        log.warning(message)
    if pub is None:
        log.info("no briefing.publication in mkdocs.yml: no citation files, meta tags or print edition.")
    else:
        problems = _publication.deploy_problems(pub, config)
        if problems:
            raise PluginError("\n".join(problems))
        for message in rights_problems(pub, config):
            log.warning(message)
        config.copyright = footer_rights(pub)
    _state["pub"] = pub
    return config


def footer_rights(pub: _publication.Publication) -> str | None:
    """The footer's rights line (Material prints ``copyright`` as HTML): the record's, escaped."""
    return str(escape(pub.rights)) if pub.rights else None


def rights_problems(pub: _publication.Publication, config: MkDocsConfig) -> list[str]:
    """``copyright`` in mkdocs.yml would claim rights beside the record's."""
    if not config.copyright or config.copyright == footer_rights(pub):
        return []
    where = config.config_file_path or "mkdocs.yml"
    return [f"{where}: copyright {config.copyright.strip()!r}: the footer states the rights the note states, from "
            "briefing.publication.rights; remove copyright, and give rights only if the note states them "
            "(README: 'Cite this note')."]


def download_files(pub: _publication.Publication) -> dict[str, str]:
    """Site path -> content of the citation downloads."""
    names = pub.files()
    return {names["bib"]: _publication.bibtex(pub), names["ris"]: _publication.ris(pub)}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if publication() is None:
        return files
    for path, content in download_files(publication()).items():
        files.append(File.generated(config, path, content=content))
    return files


def page_links(pub: _publication.Publication, page_url: str) -> dict[str, str]:
    """The downloads, as links relative to the page at ``page_url``."""
    return {name: get_relative_url(path, page_url) for name, path in pub.files().items()}


def cite_this_block(pub: _publication.Publication, page_url: str, config: MkDocsConfig) -> str:
    template = build_of(config).theme.template("partials/publication/cite-this.html")
    return template.render(pub=pub, links=page_links(pub, page_url)).strip()


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not SHORTCODE.search(markdown):
        return markdown
    if publication() is None:
        log.warning(f"{page.file.src_uri}: <!-- cite-this --> needs the note's record under briefing.publication "
                    "in mkdocs.yml.")
        return SHORTCODE.sub("", markdown)
    block = cite_this_block(publication(), page.file.url, config)
    return SHORTCODE.sub(lambda _: "\n" + block + "\n", markdown)


def absolute(pub: _publication.Publication, path: str) -> str | None:
    return pub.url + path if pub.url else None


def page_meta(pub: _publication.Publication, page: Page, config: MkDocsConfig) -> list[dict[str, str]]:
    description = (page.meta or {}).get("description") or config.site_description or pub.title
    files = pub.files()
    return _publication.meta_tags(
        pub,
        page_title=None if page.is_homepage else page.title,
        description=" ".join(str(description).split()),
        page_url=page.canonical_url or "",
        site_name=config.site_name,
        pdf_url=absolute(pub, files["pdf"]) if "pdf" in files else None,
    )


def alternate_links(pub: _publication.Publication, page_url: str) -> list[dict[str, str]]:
    links = page_links(pub, page_url)
    found = [{"type": "application/x-bibtex", "href": links["bib"], "title": "BibTeX citation"},
             {"type": "application/x-research-info-systems", "href": links["ris"], "title": "RIS citation"}]
    if "pdf" in links:
        found.append({"type": "application/pdf", "href": links["pdf"], "title": "PDF edition"})
    return found


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    pub = publication()
    if pub is None:
        return context
    context["publication_meta"] = page_meta(pub, page, config)
    context["publication_links"] = alternate_links(pub, page.url)
    return context
