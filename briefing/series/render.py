"""A series of notes in one site: adding a note is adding one folder (``docs/<note>/``, its
record in its index.md; ``briefing.series.notes``). For the series the build makes its home
page (unless docs/index.md is written), a page per author, each note's References page, the
navigation (notes newest first, each note's chapters in its order, References last), an
Atom feed of the notes (``feed.xml``, linked from every page's head), and redirects for
moved addresses. A chapter page shows which note it belongs to; search results name each
hit's note ("Note › Page": ``material_internals.named``, as each page is indexed).

A site without ``briefing: series:`` is a site of plain pages: none of this happens.

Events:
- ``on_config`` (priority 100): the series' record; ``site_name`` must be the series' name;
  ``nav:`` in mkdocs.yml is refused (a strict build fails; otherwise it is ignored): the
  navigation is the records'; a deploy build refuses a placeholder address or a CITATION.cff
  that does not cite the series.
- ``on_files`` (priority 100, before every concern that reads the notes): read every note's
  record and say what is wrong; make each note's ``Publication``; add the pages the build
  makes; set the navigation; check the moved addresses.
- ``on_page_markdown`` (priority 100): a note's pages name its authors (``<meta name=author>``),
  its own page gets its abstract as description, and its contents list, cite-this block and
  "At a glance" at its end unless it places them itself (``note_page_parts``).
- The shortcodes ``notes`` (every note: number, title, authors, date, abstract, PDF) and
  ``author-notes: <author>`` (an author's notes).
- ``on_page_context`` (priority -50, after the search plugin read the page, before the print
  edition keeps it): the line under a chapter's title naming its note (web only); the page's
  list of pages for the instant navigation (``briefing_pages_list``, main.html prints it).
- ``on_nav``: the search index told each note's short title (before any page is indexed).
- ``on_post_build``: the feed and the lists of pages the instant navigation follows
  (``briefing.series.instant``) (priority 0); the redirect pages (-80: before the policy and the link check);
  copies of moved files (-120: after the PDFs).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from briefing.build import Build, SeriesBuild
from briefing.build import of as build_of
from briefing.citations import bibtex_adapter as adapter
from briefing.common import material_internals, shortcodes, theme
from briefing.common.log import logger
from briefing.common.shortcodes import Expansion, Shortcode
from briefing.key_figures import figures as kf
from briefing.pictures import downloads as _downloads
from briefing.publication import record as _publication
from briefing.publication.edition import print_folder
from briefing.series import feed as _feed
from briefing.series import instant as _instant
from briefing.series import moved as _moved
from briefing.series import notes as _notes
from briefing.series import pages as _pages

log = logger("series")

PART_OF_RE = re.compile(r"</h1>", re.I)


def series_record(config: MkDocsConfig, options) -> _publication.Series:
    return _publication.Series(name=options.name.strip(), publisher=options.publisher.strip(),
                               place=(options.place or "").strip() or None, address=options.address.strip(),
                               issn=options.issn, url=_publication.site_address(config.site_url))


@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    build = build_of(config)
    options = build.options.series
    if options is None:
        return config
    where = config.config_file_path or "mkdocs.yml"
    record = series_record(config, options)
    build.series = SeriesBuild(record=record, catalogue=_notes.Catalogue())
    for message in _publication.consistency(record, config, where):
        log.warning(message)
    if config.nav is not None:
        log.warning(f"{where}: nav: a series' navigation is made from its notes' records (notes newest first, each "
                    "note's chapters in note.chapters' order): remove nav:")
    problems = _publication.deploy_problems(record, build.options.publication.deploy, where)
    if problems:
        raise PluginError("\n".join(problems))
    return config


def read_notes(build: Build, files: Files) -> None:
    """Every note's record, publication and abstract onto the build; the problems said."""
    config, series = build.config, build.series
    docs = Path(config.docs_dir).name
    pages = {file.src_uri: file.content_string if file.src_uri.endswith(f"/{_notes.INDEX}") else ""
             for file in files.documentation_pages()}
    series.catalogue = _notes.catalogue(pages, docs)
    for message in series.catalogue.problems:
        log.warning(message)
    options = build.options.publication
    for record in series.catalogue.notes:
        note = build.note(record.folder)
        note.record = record
        note.publication = _publication.from_note(record, series.record, options, serving=build.serving)
        source = pages[record.index]
        found = _notes.abstract(source)
        if found is None:
            log.warning(f"{record.where}:1: no 'Abstract' section: a note's index.md gives its abstract under "
                        "'## Abstract' (the series' home page, its feed and the page's description show it)")
        else:
            note.abstract = kf.prose(found[0])
    series.authors, problems = _notes.authors(series.catalogue.notes)
    for message in problems:
        log.warning(message)


def generate(build: Build, files: Files) -> None:
    """The pages the build makes: each note's References, the author pages, the home page."""
    config, series = build.config, build.series
    bib_command = adapter.full_bib_command(config)

    def add(src_uri: str, content: str, kind: str) -> None:
        if files.get_file_from_path(src_uri) is not None:
            return  # written by hand: the catalogue said so (or, for the home page, it is the maintainer's)
        files.append(File.generated(config, src_uri, content=content))
        series.generated[src_uri] = kind

    for record in series.catalogue.notes:
        add(record.chapter_uri(_notes.REFERENCES), _pages.references_page(record, bib_command, series.record.name),
            "references")
    for author, _folders in series.authors.values():
        add(_pages.author_uri(author), _pages.author_page(author, series.record.name), "author")
    if len(series.authors) > 1:
        listed = sorted(series.authors.values(), key=lambda item: _pages.author_uri(item[0]))
        add(_pages.AUTHORS_INDEX, _pages.authors_page([(author, len(folders)) for author, folders in listed],
                                                      series.record.name), "author")
    if files.get_file_from_path(_pages.HOME) is None:
        description = config.site_description or f"{series.record.name}, published by {series.record.publisher}."
        add(_pages.HOME, _pages.home_page(series.record.name, description, build.options.series.intro), "home")


def outputs(build: Build, files: Files) -> set[str]:
    """Every address of the site: pages, files, print editions, PDFs."""
    found = {file.url for file in files.documentation_pages()} | {file.dest_uri for file in files}
    for note in build.notes.values():
        if note.publication is not None:
            found.add(print_folder(note.publication.folder) + "/")
            found.update(note.publication.files().values())
            if build.options.pictures.downloads:  # written at on_post_build (briefing.pictures)
                found.update(f"{note.key}/{path}" for path in _downloads.paths())
    return found


def navigation(build: Build, files: Files) -> list:
    """The series' nav (``config.nav``'s form) from the records: the home page, each note newest
    first, the pages of no note, the author pages."""
    folders = build.series.catalogue.by_folder()
    others = [file.src_uri for file in files.documentation_pages()
              if file.src_uri != _pages.HOME and _notes.folder_of(file.src_uri) not in folders
              and build.series.generated.get(file.src_uri) != "author"]
    authors = sorted(((author.display, _pages.author_uri(author)) for author, _ in build.series.authors.values()),
                     key=lambda item: item[1])
    return _pages.navigation(build.series.catalogue.notes, others, authors,
                             lambda src_uri: files.get_file_from_path(src_uri) is not None)


def unrendered_pdfs(build: Build) -> set[str]:
    """The site paths of the notes' PDFs this build does not render (``publication.pdf: false``,
    or `mkdocs serve`): a moved address may lead to one, and is then not written."""
    return {dataclasses.replace(note.publication, pdf=True).files()["pdf"]
            for note in build.notes.values() if note.publication is not None and not note.publication.pdf}


def check_moved(build: Build, files: Files) -> None:
    """The moved addresses onto the build, what is wrong with them said; an old address of a PDF
    this build does not render is left out, and said once (info: the site has no PDF there)."""
    moved = dict(build.options.series.moved)
    unrendered = unrendered_pdfs(build)
    for old in [old for old, new in moved.items() if new in unrendered]:
        log.info(f"briefing.series.moved: {old!r} (a PDF) is not written: this build renders no PDF "
                 "(briefing.publication.pdf: false, or mkdocs serve)")
        del moved[old]
    for message in _moved.problems(moved, outputs(build, files), build.config.config_file_path or "mkdocs.yml"):
        log.warning(message)
    build.series.moved = moved


@event_priority(100)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    build = build_of(config)
    if build.series is not None:
        read_notes(build, files)
        generate(build, files)
        config.nav = navigation(build, files)
        check_moved(build, files)
    return files


# What a note's own page always shows, at the end unless its index.md places it (shortcode, heading).
NOTE_PAGE_PARTS = (("contents", "## Contents { #contents }\n\n<!-- contents -->"), ("cite-this", "<!-- cite-this -->"),
                   ("at-a-glance", "<!-- at-a-glance -->"))


def note_page_parts(markdown: str, placed: set[str]) -> str:
    """``markdown`` (a note's own page) with the parts it does not place (``placed``: the
    shortcodes it holds) at its end: its contents list, cite-this block and "At a glance"
    (which shows nothing for a note without figures)."""
    missing = [text for name, text in NOTE_PAGE_PARTS if name not in placed]
    return markdown.rstrip("\n") + "\n\n" + "\n\n".join(missing) + "\n" if missing else markdown


@event_priority(100)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = build_of(config)
    note = build.note_of(page.file.src_uri)
    if build.series is None or note.publication is None:
        return markdown
    page.meta.setdefault("author", note.publication.author_display)
    if page.file.src_uri == note.home:
        if note.abstract:
            page.meta.setdefault("description", note.abstract)
        markdown = note_page_parts(markdown, {code.name for code in shortcodes.find(markdown)})
    return markdown


def _entries(build: Build, folders: list[str] | None = None) -> list[tuple]:
    notes = build.series.catalogue.notes
    return [(record, build.notes[record.folder].publication, build.notes[record.folder].abstract)
            for record in notes if folders is None or record.folder in folders]


def _url_of(build: Build) -> Callable[[str], str]:
    """A page's URL from its src_uri (use_directory_urls decides which)."""
    files = build.citations.files
    return lambda src_uri: files.get_file_from_path(src_uri).url


def notes_list(code: Shortcode, expansion: Expansion, page: Page, config: MkDocsConfig) -> str:
    """``<!-- notes -->``: every note of the series, newest first."""
    build = build_of(config)
    if build.series is None:
        expansion.problem(code, "<!-- notes --> lists a series' notes: set briefing.series in mkdocs.yml")
        return ""
    items = _pages.listing(_entries(build), page.file.url, _url_of(build))
    return "\n" + build.theme.template("partials/series/notes.html").render(notes=items).strip() + "\n"


def author_notes(code: Shortcode, expansion: Expansion, page: Page, config: MkDocsConfig) -> str:
    """``<!-- author-notes: <author> -->``: the notes of one author (their page's folder name)."""
    build = build_of(config)
    found = build.series.authors.get(code.argument) if build.series is not None else None
    if found is None:
        known = ", ".join(sorted(build.series.authors)) if build.series is not None else "none"
        expansion.problem(code, f"<!-- author-notes: {code.argument} -->: no author of the series has that page "
                                f"(the authors: {known})")
        return ""
    author, folders = found
    items = _pages.listing(_entries(build, folders), page.file.url, _url_of(build))
    return "\n" + build.theme.template("partials/series/author.html").render(author=author, notes=items).strip() + "\n"


@event_priority(-50)  # after the search plugin (0) read the page, before the print edition (-100) keeps it
def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    """Under a chapter's title: the note it belongs to (not on the note's own page); the list
    of pages the instant navigation follows from the page (``briefing.series.instant``)."""
    build = build_of(config)
    note = build.note_of(page.file.src_uri)
    if build.series is not None:
        context["briefing_pages_list"] = _instant.list_of(note.record.folder if note.record is not None else None)
    if build.series is None or note.record is None or page.file.src_uri == note.home or not page.content:
        return context
    line = build.theme.template("partials/series/part-of.html").render(
        part=_pages.part_of(note.record, note.publication, page.file.url, _url_of(build)(note.record.index))).strip()
    page.content = PART_OF_RE.sub(lambda match: match.group(0) + line, page.content, count=1)
    return context


def on_nav(nav, config: MkDocsConfig, files: Files):
    """Each search hit named by its note, as each page is indexed (the index made by now: the
    search plugin's ``on_config``, the worker's ``on_files``)."""
    build = build_of(config)
    if build.series is not None:
        material_internals.name_notes_in_index(config.plugins, {record.folder: record.short_title
                                                                for record in build.series.catalogue.notes})
    return nav


@event_priority(0)
def on_post_build(config: MkDocsConfig) -> None:
    """The series' Atom feed; the lists of pages the instant navigation follows."""
    build = build_of(config)
    if build.series is None:
        return
    entries = [_feed.Entry(pub, abstract) for _record, pub, abstract in _entries(build)]
    path = Path(config.site_dir) / _feed.PATH
    path.write_text(_feed.feed_xml(build.series.record, entries, config.theme.get("language") or "en"),
                    encoding="utf-8")
    write_page_lists(build, Path(config.site_dir))


def write_page_lists(build: Build, site: Path) -> None:
    """Each note's list and the site's (``briefing.series.instant``), pages as the sitemap lists them."""
    pages = [_instant.Listed(file.src_uri, loc) for file in build.citations.files.documentation_pages()
             if file.page is not None and not file.page.is_link
             and (loc := file.page.canonical_url or file.page.abs_url)]
    notes = {record.folder: record.index for record in build.series.catalogue.notes}
    for name, text in _instant.lists(pages, notes).items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")


@event_priority(-80)  # before the policy (-90) and the link check (-100) read every page
def write_redirects(config: MkDocsConfig) -> None:
    """A small page at each moved page's old address."""
    build = build_of(config)
    if build.series is None:
        return
    template = build.theme.template("partials/series/redirect.html")
    for old, new in build.series.moved.items():
        if not _moved.is_page(old):
            continue
        target = Path(config.site_dir) / _moved.html_file(old)
        if target.exists():
            continue  # reported in on_files: the site still has it
        target.parent.mkdir(parents=True, exist_ok=True)
        url = build.series.record.url + new if build.series.record.url else None
        target.write_text(template.render(href=_moved.relative(new, old), url=url, config=config,
                                          script=_moved.relative(theme.MOVED_JS.path, old)),
                          encoding="utf-8")


@event_priority(-120)  # after the PDFs (-110)
def copy_moved_files(config: MkDocsConfig) -> None:
    """A copy of each moved file at its old address (a file cannot redirect)."""
    build = build_of(config)
    if build.series is None:
        return
    site = Path(config.site_dir)
    for old, new in build.series.moved.items():
        if _moved.is_page(old) or (site / old).exists():
            continue
        if not (site / new).is_file():
            if not new.endswith(".pdf"):  # a PDF this build does not render is said once (publication)
                log.warning(f"{config.config_file_path}: briefing.series.moved: {old!r} moves to {new!r}, which this "
                            "build did not write: remove it from moved, or give the file's new address")
            continue
        (site / old).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(site / new, site / old)


def on_template_context(context: dict, template_name: str, config: MkDocsConfig) -> dict:
    """The 404 page lists the series' notes (the chapters of every note would be too many); its
    instant navigation follows the site's list of pages."""
    build = build_of(config)
    if build.series is not None and template_name == "404.html":
        context["briefing_pages_list"] = _instant.SITE_LIST
        context["series_notes"] = [{"title": record.title, "url": f"{record.folder}/", "number": record.number,
                                    "series": build.series.record.name}
                                   for record in build.series.catalogue.notes]
    return context
