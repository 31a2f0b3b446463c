"""Each note's print edition (``<note>/print/index.html``: the whole note on one page, assembled
by ``briefing.publication.edition``) and its PDF (``<note>/<slug>.pdf``, WeasyPrint).

Events:
- ``on_config``: say once that `mkdocs serve` builds no PDF unless
  ``briefing.publication.pdf_when_serving`` is true (every edit rebuilds the site).
- ``on_page_context`` (priority -100, after every other concern): keep each page of a note;
  after its last page, write the note's ``print/index.html`` (and its ``paged.css``) and let
  the pages go.
- ``on_post_build``: the editions not written yet (a build that rendered only some pages: why not).
- ``render_pdf`` (``on_post_build`` at -110, after the link check): render each to its PDF with
  WeasyPrint, which may read local files only (never the network), unless the strict build
  has already failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

import briefing
from briefing.build import Build, NoteBuild, Section
from briefing.build import of as build_of
from briefing.common import mkdocs_internals  # what MkDocs' strict mode has counted so far
from briefing.common.log import logger
from briefing.publication import edition
from briefing.publication import record as _publication
from briefing.publication import section_cache as _section_cache
from briefing.publication.meta import page_links

if TYPE_CHECKING:
    from briefing.publication import pdf as _pdf

log = logger("publication")

PAGED_CSS = edition.PAGED_CSS


@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    build = build_of(config)
    options = build.options.publication
    if options.pdf and build.serving and not options.pdf_when_serving:
        log.info("no PDF edition under `mkdocs serve` (briefing.publication.pdf_when_serving: true builds it).")
    return config


@event_priority(-100)
def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    """Keep each page of a note once every other concern has finished with it (the citations
    put the notes in at their on_page_context, priority 100); once the note's last page is in,
    write its edition and let its pages go (the build holds one note's pages at a time, not
    the site's: 8.7 MB of HTML at 600 pages)."""
    build = build_of(config)
    note = build.note_of(page.file.src_uri)
    if page.content is not None and note.publication is not None:
        title = note.publication.title if page.file.src_uri == note.home else page.title or ""  # the title page's
        note.sections[page.file.src_uri] = Section(page.file.src_uri, page.url, title, page.content)
        if complete(note):
            note.edition = write_edition(build, note)
            note.sections.clear()
    return context


def complete(note: NoteBuild) -> bool:
    """Whether every page of the note has been kept for its edition."""
    return len(note.sections) >= len(note.pages) and all(src in note.sections for src in note.pages)


def write_pdf(html_path: Path, site_dir: Path, target: Path, timeout: float, cache: Path | None = None,
              ) -> _pdf.PdfRun:
    """Render the print edition at ``html_path`` to ``target`` (see ``pdf.render``: a child
    process reading the site's own files only, stopped after ``timeout`` seconds); with
    ``cache`` (a folder of ``pdf_cache``), reuse the PDF made from the same edition, code and files."""
    import logging

    from briefing.publication import pdf as _pdf  # only a build that renders a PDF loads it

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    try:
        if cache is not None:
            return _pdf.render_reusing(html_path, target, site_dir, timeout, cache, briefing.CODE_DIGEST)
        return _pdf.render(html_path, target, site_dir, timeout)
    except (ImportError, OSError) as error:  # OSError: Pango (a system library) is missing
        raise PluginError(
            f"briefing.publication: the PDF needs WeasyPrint and Pango ({error}). Run `make build` (it installs "
            "them), or set briefing.publication.pdf: false in mkdocs.yml."
        ) from error
    except _pdf.PdfError as error:
        raise PluginError(f"briefing.publication: the PDF edition failed: {error}") from error


def refusal_messages(refused: list[_pdf.Refusal], sources: dict[str, str], edition: str = "print/index.html"
                     ) -> list[str]:
    """One message per address the PDF did not load, naming the page(s) and line(s) using it."""
    from briefing.publication import pdf as _pdf

    messages = []
    for item in dict.fromkeys(refused):
        where = ", ".join(_pdf.locate(item.url, sources)) or f"{edition} (a stylesheet or template)"
        messages.append(f"{where}: the PDF edition does not load {item.url!r}: {item.reason}. Put the file "
                        "under docs/ and link it relatively (the PDF holds the site's own files only).")
    return messages


def _markdown_sources(config: MkDocsConfig, note: NoteBuild) -> dict[str, str]:
    docs = Path(config.docs_dir)
    sources = {}
    for src_uri in note.pages:
        try:
            sources[f"{docs.name}/{src_uri}"] = (docs / src_uri).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    return sources


def edition_path(pub: _publication.Publication) -> str:
    """Site path of a note's print edition."""
    return f"{edition.print_folder(pub.folder)}/index.html"


def write_edition(build: Build, note: NoteBuild) -> Path | None:
    """Write one note's print edition (and its paged.css); its path, or None when this build did
    not render every page of the note (a dirty rebuild)."""
    pub, config = note.publication, build.config
    sections = [note.sections[src] for src in note.pages if src in note.sections]
    if not sections:
        return None
    if len(sections) < len(note.pages):  # `mkdocs serve --dirty` renders changed pages only
        log.info(f"print edition of {pub.folder or 'the note'} not rebuilt: this build did not render every page.")
        return None
    path = edition_path(pub)
    pdf_url = pub.site_url + pub.files()["pdf"] if pub.site_url and pub.pdf else None
    meta = _publication.meta_tags(pub, page_title="Print edition", description=pub.title,
                                  page_url=pub.url + "print/" if pub.url else "", site_name=config.site_name,
                                  pdf_url=pdf_url)
    kept = _section_cache.Kept(_section_cache.cache_dir(Path(config.config_file_path).resolve().parent),
                               _section_cache.file_name(pub.folder))
    html = edition.edition_html(sections, pub, build.theme.env, config, meta,
                                page_links(pub, path.removesuffix("index.html")), note.home,
                                kept=kept, code_digest=briefing.CODE_DIGEST)
    kept.save()
    target = Path(config.site_dir) / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    paged = build.theme.template(f"partials/print-edition/{PAGED_CSS}").render()
    (target.parent / PAGED_CSS).write_text(paged, encoding="utf-8")
    if build.links.written is not None:  # the link check's scan of it, made now (links.written)
        build.links.written.add_edition(path, target)
    return target


def on_post_build(config: MkDocsConfig) -> None:
    """Write each note's ``print/index.html`` not yet written as its last page rendered (say why
    not, for a build that did not render every page); the PDFs are ``render_pdf``'s, after the
    link check."""
    build = build_of(config)
    for note in build.notes.values():
        if note.publication is not None and note.edition is None:
            note.edition = write_edition(build, note)
            note.sections.clear()


def planned_pdfs(config: MkDocsConfig) -> tuple[set[str], bool]:
    """(site paths of the PDFs this build's pages link; whether the PDF step will render them:
    not when the strict build has already failed)."""
    build = build_of(config)
    pdfs = {note.publication.files()["pdf"] for note in build.notes.values()
            if note.publication is not None and note.publication.pdf and note.edition is not None}
    return pdfs, not mkdocs_internals.failed()


def render_note_pdf(config: MkDocsConfig, note: NoteBuild) -> None:
    from briefing.publication import pdf as _pdf
    from briefing.publication import pdf_cache as _pdf_cache

    pub, target = note.publication, note.edition
    site_dir = Path(config.site_dir)
    pdf = site_dir / pub.files()["pdf"]
    cache = _pdf_cache.cache_dir(Path(config.config_file_path).resolve().parent)
    try:
        run = write_pdf(target, site_dir, pdf, pub.pdf_timeout, cache)
    except _pdf.PdfTimeout:
        log.warning(f"the PDF edition {pub.files()['pdf']} was stopped after {pub.pdf_timeout:g} s "
                    "(briefing.publication.pdf_timeout) and not written: set pdf: false in mkdocs.yml while writing, "
                    "or raise pdf_timeout.")
        return
    for message in refusal_messages(run.refused, _markdown_sources(config, note), edition_path(pub)):
        log.warning(message)
    how = "reused: its print edition, the code and its files are unchanged" if run.reused else "rendered"
    log.info(f"PDF edition: {pub.files()['pdf']} ({pdf.stat().st_size // 1024} KB) {how}, in {run.seconds:.1f} s")


@event_priority(-110)  # after the link check (-100): a broken link stops the PDF too
def render_pdf(config: MkDocsConfig) -> None:
    """Render each note's print edition written at priority 0 to its PDF (WeasyPrint, a child
    process reading the site's own files only), unless the strict build has already failed."""
    notes = [note for note in build_of(config).notes.values()
             if note.publication is not None and note.edition is not None and note.publication.pdf]
    if not notes:
        return
    if mkdocs_internals.failed():
        log.info("PDF edition not built: this strict build has already failed (see the warnings above).")
        return
    for note in notes:
        render_note_pdf(config, note)
