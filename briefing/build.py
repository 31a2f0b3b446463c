"""One build's state: the ``Build`` object, made anew at the start of every build (the
plugin's first ``on_config``), so nothing of an earlier build (``mkdocs serve`` rebuilds,
tests in one process) survives into the next.

Concerns get it from the plugin (``of(config)``) and keep what they know of a build on it;
the children it starts (pandoc) are its own: ``close()`` stops whatever still runs when the
build fails (``on_build_error``) or the process ends (``on_shutdown``) and returns their errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from mkdocs.config.defaults import MkDocsConfig

from briefing.common.options import PLUGIN
from briefing.common.theme import ThemeEnv

if TYPE_CHECKING:
    from briefing.common.serve import WarningLog
    from briefing.config import BriefingConfig


class Child(Protocol):
    def stop(self) -> str | None: ...


@dataclass
class Build:
    config: MkDocsConfig
    options: BriefingConfig
    serving: bool = False  # this build is one of `mkdocs serve`'s
    children: list[Child] = field(default_factory=list)  # processes of this build (pandoc)
    warnings: WarningLog | None = None  # under `mkdocs serve`: this build's warnings, for the pages
    theme: ThemeEnv = field(init=False)  # the theme's Jinja environment, one for the build
    pictures: dict = field(default_factory=dict)  # briefing.pictures: each note's NotePictures (note_pictures)

    def __post_init__(self):
        self.theme = ThemeEnv(self.config)

    def own(self, child: Child) -> Child:
        """Make ``child`` this build's: stopped by ``close``."""
        self.children.append(child)
        return child

    def close(self) -> list[str]:
        """Stop every child still running; the errors of those that had failed."""
        errors = [error for child in self.children if (error := child.stop())]
        self.children.clear()
        return errors


def of(config: MkDocsConfig) -> Build:
    """The build of ``config`` (made by the plugin in ``on_config``)."""
    build = getattr(config.plugins[PLUGIN], "build", None)
    if build is None or build.config is not config:
        raise RuntimeError("briefing: no build for this configuration (the plugin's on_config has not run)")
    return build
