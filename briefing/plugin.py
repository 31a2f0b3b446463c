"""The briefing-site generator as one MkDocs plugin (``plugins: [search, briefing, bibtex]``).

The one place that states the order of events. MkDocs runs an event's handlers by priority
(higher first); at equal priority, plugins in mkdocs.yml's order (search, briefing, bibtex) and,
within this plugin, in the order of ``CONCERNS`` below. Each concern's function declares its
priority with ``@event_priority``; this table is the whole picture (a test compares it with
what MkDocs registers: tests/generator/test_plugin.py). Every event function is thin: it
takes the build's state (``briefing.build``: one ``Build``, a ``NoteBuild`` per note) and
calls the concern's pure functions.

| event | prio | concern (module) | what, and why at that priority |
|---|---|---|---|
| startup | 0 | plugin | note whether this process runs `mkdocs serve` |
| config | 5000 | plugin | a new ``Build`` (briefing.build); under serve, say if briefing/ changed since start |
| config | 1000 | common.theme | templates in theme.dirs, assets linked: before anything renders |
| config | 1000 | common.build_lock | one build of this folder at a time (a child of the build), before MkDocs cleans site_dir |
| config | 100 | common.paths | snippets' base_path from mkdocs.yml's folder, before Markdown is set up |
| config | 100 | citations.render | csl_file, .bib checks (each parse kept between builds, citations.bib_cache); take mkdocs-bibtex's Markdown rewriting out: before its on_config (0) |
| config | 100 | publication.print_edition | say once that serve builds no PDF |
| config | 100 | series.render | the series' record, site_name, nav: refused, deploy checks |
| config | 100 | site_policy.settings | mkdocs.yml's extra and the theme settings Material prints checked (no third-party script, http(s) links, icons and a language the theme has, known extra keys) and made text: before Material's search plugin (0) loads the language |
| config | 0 | publication.meta, links.internal | copyright refused, a plain site's deploy check; link options and Markdown step |
| files | 150 | preview.render | a preview of one note (`make serve NOTE=`): the other notes' files out, before anything reads the notes |
| files | 100 | series.render | every note's record and Publication, the pages the build makes, the nav, moved addresses: before what reads the notes |
| files | 0 | common.theme, publication.meta, publication.robots, key_figures.render, pictures.render | assets, each note's .bib/.ris, robots.txt, each note's figures file, then its timeline and charts files |
| files | -100 | common.worker, links.internal | the build's one worker process (from 60 pages) and Material's search indexing in it (under `mkdocs build` the index written there too, in the search plugin's `on_post_build`); page names: after every file is added |
| files | -1000 | common.markdown_cache | what every page's Markdown conversion depends on (every file of the site among it), once no concern adds files |
| nav | 200 | common.order | each note's pages in reading order, before anything reads them |
| nav | 100 | citations.render | read every page, number each note's notes from 1, start pandoc (one per note) |
| nav | 0 | series.render, publication.contents, key_figures.render, pictures.render, site_policy.escaping | the search index told each note's short title (each hit named "Note › Page" as its page is indexed); after the notes: contents lists, callouts checked against the notes, timeline events and charts checked against the text and the note's figures (after key_figures: it reads them), nav titles as text |
| env | 0 | citations.render, site_policy.settings, common.markdown_cache | each .bib entry's url kept, the library let go (nothing reads it after on_nav; before the second renderer forks); every page's front matter read: its icon, template and status checked; every page converted: the conversions this build used kept for the next |
| env | -100 | site_policy.escaping | every page's Markdown converted, no template rendered yet: mark text, escaping env |
| env | -200 | common.theme | compiled templates kept between builds (Jinja's bytecode cache), once the env's settings are final; the navigation's items drawn once for the pages that show them alike |
| env | -10000 | common.page_split | at series size under `mkdocs build`: a second renderer of the last notes' pages, forked at the first page (every note's citations in first) |
| page_markdown | 100 | citations.render, links.internal, series.render | citations to placeholders; forget the last page's unparsable links; a note's meta (authors, abstract) before escaping marks it |
| page_markdown | 0 | common.shortcodes | every shortcode (contents, cite-this, key-figure, at-a-glance, timeline, chart, notes, author-notes), after the citations are placeholders |
| page_markdown | -1000 | common.markdown_cache | the page's conversion put back when a build kept it from the same Markdown, files, settings and code; else converted and kept (after every concern's change to the Markdown) |
| page_content | 0 | pictures.render | the mark each timeline event links to, at the start of its paragraph |
| page_content | -100 | links.internal | after every other concern: take out what breaks the link policy, naming file and line |
| page_context | 100 | citations.render, key_figures.render, pictures.render | notes in, short forms in, the notes the timeline and charts repeat: before the search plugin (0) indexes the page |
| page_context | 0 | publication.meta, citations.figures | meta tags and the footer's rights; every figure cites its source (after search: it only checks) |
| page_context | -50 | series.render | a chapter's "Part of" line: after search, so it is not indexed on every page; the page's list of pages for the instant navigation |
| page_context | -100 | publication.print_edition | keep each note's finished page; after its last, write its print edition and let the pages go |
| template_context | 0 | series.render | the 404 page lists the notes (and names the site's list of pages) |
| post_page, post_template | 0 | site_policy.escaping | drop the toggles' autocomplete (HTML validity) |
| post_page | -100 | links.internal | scan the page as written for the link check, its links located (in the worker at series size) |
| post_page | -10000 | common.page_memory | the page's Markdown and HTML let go: nothing reads them once it is written |
| post_build | 10000 | common.page_split | wait for the second renderer: its records logged, its pages' search entries (a file the worker reads as it writes the index), scans and print editions taken in (or its error raised) before anything reads them |
| post_build | 100 | citations.render | the pandoc cache keeps this build's results |
| post_build | 0 | publication.print_edition, series.render, pictures.render | each print/index.html not yet written; the series' feed and the instant navigation's lists of pages (series.instant); each note's data downloads (before the link check) |
| post_build | -80 | series.render (write_redirects) | pages at moved addresses, before the policy and the link check read every page |
| post_build | -85 | links.internal (scan_files) | at series size the files no page scan covers (print editions, moved addresses) scanned in the worker, while the policy pass runs |
| post_build | -90 | site_policy.csp | the policy on every page, after every HTML file is written |
| post_build | -100 | links.internal | check every link (and external ones on demand) before the PDFs: a broken link stops them |
| post_build | -105 | common.worker | the scans and search entries kept between builds written (the worker's last job), once the check has every scan |
| post_build | -110 | publication.print_edition (render_pdf) | each note's PDF, unless the strict build has already failed |
| post_build | -120 | series.render (copy_moved_files) | moved files (the old PDF names) copied, after the PDFs |
| post_build | -4000 | plugin | under serve: the build's warnings on every page (common.serve) |
| post_build | -5000 | plugin | close the build: nothing it started may run on, the lock is released |
| build_error | 0 | plugin | stop pandoc and report its error; release the lock |
| shutdown, serve | 0 | plugin | stop what the last build ran; watch briefing/ (an edit then says: restart); a preview (preview.render) looks for edits every 0.2 s, not 0.5 s |
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

import briefing
from briefing.build import Build
from briefing.build import of as build_of
from briefing.citations import figures as figure_sources
from briefing.citations import library as citation_library
from briefing.citations import render as citations
from briefing.common import (
    build_lock,
    markdown_cache,
    order,
    page_memory,
    page_split,
    paths,
    serve,
    shortcodes,
    theme,
    worker,
)
from briefing.common.log import logger
from briefing.config import BriefingConfig
from briefing.key_figures import render as key_figures
from briefing.links import internal as links
from briefing.pictures import render as pictures
from briefing.preview import render as preview
from briefing.publication import contents, print_edition, robots
from briefing.publication import meta as publication_meta
from briefing.series import render as series
from briefing.site_policy import csp, escaping, settings

log = logger()
shortcode_log = logger("shortcodes")

# The concerns, in the order their events run at equal priority.
CONCERNS = (build_lock, paths, citations, preview, series, contents, publication_meta, robots, print_edition, figure_sources,
            worker, links, key_figures, pictures, escaping, settings, csp, markdown_cache, page_split, page_memory)  # worker before links: the scans run in it  # pictures after key_figures: it reads the figures

# The shortcodes and who expands them (briefing.common.shortcodes): name -> handler(code, expansion, page, config).
SHORTCODES: dict[str, Callable[..., str]] = {
    "contents": contents.contents,
    "cite-this": publication_meta.cite_this,
    "key-figure": key_figures.callout,
    "at-a-glance": key_figures.glance,
    "timeline": pictures.timeline,
    "chart": pictures.chart,
    "notes": series.notes_list,
    "author-notes": series.author_notes,
}


def _method(function: Callable[..., Any]) -> Callable[..., Any]:
    """A plugin method that calls a concern's event function, with the function's priority."""

    def method(self, *args, **kwargs):
        return function(*args, **kwargs)

    method.mkdocs_priority = getattr(function, "mkdocs_priority", 0)
    method.concern = function.__module__.removeprefix("briefing.")  # "citations.render"
    method.__name__ = f"_{function.__module__.removeprefix('briefing.').replace('.', '_')}_{function.__name__}"
    return method


@event_priority(1000)
def _theme_config(config: MkDocsConfig) -> MkDocsConfig:
    """The generator's templates and assets (briefing.common.theme), before anything renders."""
    theme.add_template_dirs(config)
    build_of(config).stylesheet = theme.link_assets(config)
    return config


def _theme_files(files: Files, config: MkDocsConfig) -> Files:
    return theme.add_assets(files, config, build_of(config).stylesheet)


@event_priority(-200)  # after site_policy.escaping (-100) set finalize: the compiled code depends on it
def _theme_env(env, config: MkDocsConfig, files: Files):
    return theme.draw_nav_once(theme.bytecode_cache(env, config))


@event_priority(200)
def _order_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """Each note's pages in reading order (briefing.common.order), before anything reads them."""
    order.assign_pages(build_of(config), nav, files)
    return nav


def _shortcodes_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Every shortcode of the page expanded by its concern (briefing.common.shortcodes); an
    unknown or misspelt one, or one where it means nothing, names the page and line."""
    handlers = {name: partial(handler, page=page, config=config) for name, handler in SHORTCODES.items()}
    expansion = shortcodes.expand(markdown, handlers)
    if expansion.problems:
        source = page.file.content_string
        offset = citation_library.body_line_offset(source, get_data(source)[0])
        where = f"{Path(config.docs_dir).name}/{page.file.src_uri}"
        for line, message in expansion.problems:
            shortcode_log.warning(f"{where}:{line + offset}: {message}")
    return expansion.markdown


_theme_config.__module__ = _theme_files.__module__ = _theme_env.__module__ = "briefing.common.theme"
_order_nav.__module__ = "briefing.common.order"
_shortcodes_markdown.__module__ = "briefing.common.shortcodes"
EXTRA = {"on_config": [_theme_config], "on_files": [_theme_files], "on_env": [_theme_env], "on_nav": [_order_nav],
         "on_page_markdown": [_shortcodes_markdown],
         "on_post_build": [print_edition.render_pdf, series.write_redirects, links.scan_files, series.copy_moved_files]}


def stale_code(imported: str, on_disk: str) -> list[str]:
    """Under `mkdocs serve`: the warning when the generator's sources on disk are not the code
    this process imported (MkDocs imports a plugin once per process, so an edit to briefing/
    takes effect only after a restart)."""
    if imported == on_disk:
        return []
    return ["the generator's code (briefing/) changed since mkdocs serve started: this build ran the code "
            "it started with. Restart mkdocs serve (make serve) to build with the new code."]


def _combined(event: str) -> CombinedEvent:
    functions = [*EXTRA.get(event, []), *(getattr(module, event) for module in CONCERNS if hasattr(module, event))]
    return CombinedEvent(*(_method(function) for function in functions))


class BriefingPlugin(BasePlugin[BriefingConfig]):
    """The generator: citations, key figures, links, the publication records and print editions,
    the series, the site policy. MkDocs keeps one instance per process (it has ``on_startup``);
    every build's state is ``self.build``, made anew by the first ``on_config``."""

    build: Build | None = None
    serving = False  # this process runs `mkdocs serve` (on_startup)

    def _startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    @event_priority(5000)  # before every other event of this build, ours or another plugin's
    def _new_build(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.build is not None:
            self._close(self.build)  # an earlier build of this process that ended without its events
        self.build = Build(config, self.config, serving=self.serving)
        if self.serving:
            self.build.warnings = serve.WarningLog().attach()
            for message in stale_code(briefing.CODE_DIGEST, briefing.source_digest()):
                log.warning(message)
        return config

    @event_priority(-5000)  # after every other event of the build
    def _end_build(self, config: MkDocsConfig) -> None:
        if self.build is not None:
            self._close(self.build)

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        """Rebuild on an edit to the generator too: that build says a restart is needed. A
        preview of one note looks for edits sooner (briefing.preview)."""
        server.watch(str(briefing.PACKAGE_DIR))
        return preview.poll_sooner(server, self.config.preview.note)

    def _failed_build(self, error: Exception | None = None) -> None:
        if self.build is not None:
            self._close(self.build)

    @event_priority(-4000)  # after every check of the build (the link check, the PDF)
    def _show_warnings(self, config: MkDocsConfig) -> None:
        """Under `mkdocs serve`: this build's warnings on every page, too."""
        if self.build is not None and self.build.warnings is not None:
            serve.show_on_pages(Path(config.site_dir), self.build.warnings.messages)

    def _close(self, build: Build) -> None:
        """Stop what the build still runs (pandoc, the lock), saying what had failed."""
        for message in build.close():
            log.error(f"citations: {message}")
        if build.warnings is not None:
            build.warnings.detach()
            build.warnings = None

    on_startup = CombinedEvent(_startup, *_combined("on_startup").methods)
    on_config = CombinedEvent(_new_build, *_combined("on_config").methods)
    on_files = _combined("on_files")
    on_nav = _combined("on_nav")
    on_env = _combined("on_env")
    on_page_markdown = _combined("on_page_markdown")
    on_page_content = _combined("on_page_content")
    on_page_context = _combined("on_page_context")
    on_template_context = _combined("on_template_context")
    on_post_page = _combined("on_post_page")
    on_post_template = _combined("on_post_template")
    on_post_build = CombinedEvent(*_combined("on_post_build").methods, _show_warnings, _end_build)
    on_build_error = CombinedEvent(_failed_build, *_combined("on_build_error").methods)

    def on_shutdown(self) -> None:
        """The process ends (`mkdocs serve` stopped): nothing of the last build may go on."""
        self._failed_build()
