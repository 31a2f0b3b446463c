"""The briefing-site generator as one MkDocs plugin (``plugins: [search, briefing, bibtex]``).

The one place that states the order of events. MkDocs runs an event's handlers by priority
(higher first); at equal priority, plugins in mkdocs.yml's order (search, briefing, bibtex) and,
within this plugin, in the order of ``CONCERNS`` below. Each concern's function declares its
priority with ``@event_priority``; this table is the whole picture (a test compares it with
what MkDocs registers: tests/generator/test_plugin.py).

| event | prio | concern (module) | what, and why at that priority |
|---|---|---|---|
| startup | 0 | plugin, publication.print_edition, site_policy.csp | note whether this process runs `mkdocs serve` |
| config | 5000 | plugin | a new ``Build`` (briefing.build); under serve, say if briefing/ changed since start |
| config | 1000 | common.theme | templates in theme.dirs, assets linked: before anything renders |
| config | 1000 | common.build_lock | one build of this folder at a time, before MkDocs cleans site_dir |
| config | 100 | common.paths | snippets' base_path from mkdocs.yml's folder, before Markdown is set up |
| config | 100 | citations.render | csl_file, .bib checks; take mkdocs-bibtex's Markdown rewriting out: before its on_config (0) |
| config | 100 | publication.print_edition | the record (PDF or not) |
| config | 0 | publication.meta, links.internal, key_figures.render, pictures.render | the record's checks and footer; link options and Markdown step; the figures file; the timeline and charts files |
| files | 0 | common.theme, publication.meta, publication.robots, links.internal | assets, .bib/.ris downloads, robots.txt, page names |
| nav | 100 | citations.render | read every page in reading order, number the notes, start pandoc |
| nav | 0 | publication.contents, publication.print_edition, key_figures.render, pictures.render, site_policy.escaping | after the notes: contents list, reading order, callouts checked against the notes, timeline events and charts checked against the text and the figures (after key_figures: it reads them), nav titles as text |
| env | -100 | site_policy.escaping | every page's Markdown converted, no template rendered yet: mark text, escaping env |
| env | -200 | common.theme | compiled templates kept between builds (Jinja's bytecode cache), once the env's settings are final |
| page_markdown | 100 | citations.render, links.internal | citations to placeholders; forget the last page's unparsable links |
| page_markdown | 0 | publication.contents, publication.meta, key_figures.render, pictures.render | shortcodes (contents, cite-this, callouts, timeline, charts) after the citations are placeholders |
| page_content | 0 | pictures.render | the mark each timeline event links to, at the start of its paragraph |
| page_content | -100 | links.internal | after every other concern: take out what breaks the link policy, naming file and line |
| page_context | 100 | citations.render, key_figures.render, pictures.render | notes in, short forms in, the notes the timeline and charts repeat: before the search plugin (0) indexes the page |
| page_context | 0 | publication.meta, citations.figures | meta tags; every figure cites its source (after search: it only checks) |
| page_context | -100 | publication.print_edition | keep the finished page for the print edition |
| post_page, post_template | 0 | site_policy.escaping | drop the toggles' autocomplete (HTML validity) |
| post_build | 0 | publication.print_edition, pictures.render | write print/index.html (after search wrote its index); the data downloads (before the link check) |
| post_build | -90 | site_policy.csp | the policy on every page, after every HTML file is written |
| post_build | -100 | links.internal | check every link (and external ones on demand) before the PDF: a broken link stops it |
| post_build | -110 | publication.print_edition (render_pdf) | the PDF, unless the strict build has already failed |
| post_build | -1000 | common.build_lock | release the lock |
| post_build | -4000 | plugin | under serve: the build's warnings on every page (common.serve) |
| post_build | -5000 | plugin | close the build (nothing it started may run on) |
| build_error | 0 | plugin, common.build_lock | stop pandoc and report its error; release the lock |
| shutdown, serve | 0 | plugin | stop what the last build ran; watch briefing/ (an edit then says: restart) |
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files

import briefing
from briefing.build import Build
from briefing.citations import figures as figure_sources
from briefing.citations import render as citations
from briefing.common import build_lock, paths, serve, theme
from briefing.config import BriefingConfig
from briefing.key_figures import render as key_figures
from briefing.links import internal as links
from briefing.pictures import render as pictures
from briefing.publication import contents, print_edition, robots
from briefing.publication import meta as publication_meta
from briefing.site_policy import csp, escaping

log = get_plugin_logger("briefing")

# The concerns, in the order their events run at equal priority.
CONCERNS = (build_lock, paths, citations, contents, publication_meta, robots, print_edition, figure_sources, links,
            key_figures, pictures, escaping, csp)  # pictures after key_figures: it reads the figures


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
    theme.link_assets(config)
    return config


def _theme_files(files: Files, config: MkDocsConfig) -> Files:
    return theme.add_assets(files, config)


@event_priority(-200)  # after site_policy.escaping (-100) set finalize: the compiled code depends on it
def _theme_env(env, config: MkDocsConfig, files: Files):
    return theme.bytecode_cache(env, config)


_theme_config.__module__ = _theme_files.__module__ = _theme_env.__module__ = "briefing.common.theme"
EXTRA = {"on_config": [_theme_config], "on_files": [_theme_files], "on_env": [_theme_env],
         "on_post_build": [print_edition.render_pdf]}


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
    """The generator: citations, key figures, links, the publication record and print edition,
    the site policy. MkDocs keeps one instance per process (it has ``on_startup``); every
    build's state is ``self.build``, made anew by the first ``on_config``."""

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
        """Rebuild on an edit to the generator too: that build says a restart is needed."""
        server.watch(str(briefing.PACKAGE_DIR))
        return server

    def _failed_build(self, error: Exception | None = None) -> None:
        if self.build is not None:
            self._close(self.build)

    @event_priority(-4000)  # after every check of the build (the link check, the PDF)
    def _show_warnings(self, config: MkDocsConfig) -> None:
        """Under `mkdocs serve`: this build's warnings on every page, too."""
        if self.build is not None and self.build.warnings is not None:
            serve.show_on_pages(Path(config.site_dir), self.build.warnings.messages)

    def _close(self, build: Build) -> None:
        """Stop what the build still runs (pandoc), saying what had failed."""
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
    on_post_page = _combined("on_post_page")
    on_post_template = _combined("on_post_template")
    on_post_build = CombinedEvent(*_combined("on_post_build").methods, _show_warnings, _end_build)
    on_build_error = CombinedEvent(_failed_build, *_combined("on_build_error").methods)
    def on_shutdown(self) -> None:
        """The process ends (`mkdocs serve` stopped): nothing of the last build may go on."""
        self._failed_build()
