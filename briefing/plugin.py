"""The briefing-site generator as one MkDocs plugin (``plugins: [search, briefing, bibtex]``).

Every event of every concern is registered here, in one place; each concern's functions keep
the priority they declare (``@event_priority``), and at equal priority they run in the order
listed below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files

import briefing
from briefing.build import Build
from briefing.citations import figures as figure_sources
from briefing.citations import render as citations
from briefing.common import build_lock, paths, theme
from briefing.config import BriefingConfig
from briefing.key_figures import render as key_figures
from briefing.links import internal as links
from briefing.publication import contents, print_edition, robots
from briefing.publication import meta as publication_meta
from briefing.site_policy import csp, escaping

log = get_plugin_logger("briefing")

# The concerns, in the order their events run at equal priority.
CONCERNS = (build_lock, paths, citations, contents, publication_meta, robots, print_edition, figure_sources, links,
            key_figures, escaping, csp)


def _method(function: Callable[..., Any]) -> Callable[..., Any]:
    """A plugin method that calls a concern's event function, with the function's priority."""

    def method(self, *args, **kwargs):
        return function(*args, **kwargs)

    method.mkdocs_priority = getattr(function, "mkdocs_priority", 0)
    method.__name__ = f"_{function.__module__.rsplit('.', 1)[-1]}_{function.__name__}"
    return method


@event_priority(1000)
def _theme_config(config: MkDocsConfig) -> MkDocsConfig:
    """The generator's templates and assets (briefing.common.theme), before anything renders."""
    theme.add_template_dirs(config)
    theme.link_assets(config)
    return config


def _theme_files(files: Files, config: MkDocsConfig) -> Files:
    return theme.add_assets(files, config)


_theme_config.__module__ = _theme_files.__module__ = "briefing.common.theme"
EXTRA = {"on_config": [_theme_config], "on_files": [_theme_files]}


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

    def _close(self, build: Build) -> None:
        """Stop what the build still runs (pandoc), saying what had failed."""
        for message in build.close():
            log.error(f"citations: {message}")

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
    on_post_build = CombinedEvent(*_combined("on_post_build").methods, _end_build)
    on_build_error = CombinedEvent(_failed_build, *_combined("on_build_error").methods)
    def on_shutdown(self) -> None:
        """The process ends (`mkdocs serve` stopped): nothing of the last build may go on."""
        self._failed_build()
