"""The one place that touches mkdocs-bibtex's configuration and internals.

mkdocs-bibtex 4.4.0 is archived upstream. Everything the citation layer needs from it goes
through the functions below, so that replacing the plugin means rewriting this file alone:

- the plugin instance (``config.plugins["bibtex"]``);
- its options ``bib_file`` / ``bib_dir``, ``csl_file``, ``bib_command`` and ``full_bib_command``;
- its parsed library (``plugin.registry.bib_data``, a ``pybtex`` ``BibliographyData``), let go
  once nothing reads it (``let_library_go``: after ``on_nav``);
- its ``on_page_markdown`` event, taken out of the build (``leave_markdown_to_hooks``);
- its import of ``requests`` (for a ``bib_file`` or ``csl_file`` given as a URL, which this
  generator refuses), made lazy (``defer_import``).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from briefing.common import mkdocs_internals

PLUGIN_NAME = "bibtex"
# What mkdocs-bibtex imports and a build of ours never calls: requests (and urllib3, charset
# normalizer, idna, certifi with it) downloads a bib_file or csl_file given as a URL.
DEFERRED = ("requests",)


class _OnFirstUse(types.ModuleType):
    """A stand-in for a module not imported yet: its first look-up of anything it lacks imports
    the module (which then takes its place in ``sys.modules``) and answers from it."""

    def __getattr__(self, attr: str) -> Any:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        module = importlib.import_module(self.__name__)
        self.__dict__.update(module.__dict__)  # what already holds the stand-in sees the module
        return getattr(module, attr)


def defer_import(name: str) -> bool:
    """Make ``import name`` give a stand-in that imports the module on first use, when nothing has
    imported it yet: mkdocs-bibtex's ``import requests`` then costs nothing, and a use of it
    (``requests.get``) imports it as before. The package itself is left as it is. (Not
    ``importlib.util.LazyLoader``: Python 3.11's import statement reads ``__spec__``, which
    loads such a module at once.) Whether it was deferred."""
    if name in sys.modules:
        return False
    spec = importlib.util.find_spec(name)
    if spec is None:
        return False
    stand_in = _OnFirstUse(name)
    stand_in.__spec__ = spec  # what the import statement reads (not initialising: no load)
    sys.modules[name] = stand_in
    return True


# MkDocs imports the plugins in mkdocs.yml's order, briefing before bibtex (and this module with
# briefing.plugin): before mkdocs_bibtex.utils runs its `import requests`.
for _name in DEFERRED:
    defer_import(_name)


def plugin(config: MkDocsConfig) -> Any:
    """The configured mkdocs-bibtex plugin, or a PluginError saying how to enable it."""
    found = config.plugins.get(PLUGIN_NAME)
    if found is None:
        raise PluginError(
            f"{config.config_file_path}: the citation hooks need the 'bibtex' plugin "
            "(mkdocs-bibtex). Add it under 'plugins:' with a 'bib_file'."
        )
    return found


def config_dir(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def bib_files(config: MkDocsConfig) -> list[Path]:
    """The .bib files of the library, resolved from mkdocs.yml's folder."""
    options = plugin(config).config
    base = config_dir(config)
    if options.bib_file:
        if "://" in options.bib_file:
            raise PluginError(
                f"{config.config_file_path}: bibtex 'bib_file' must be a local file "
                f"(the build needs no network), not {options.bib_file!r}."
            )
        path = (base / options.bib_file).resolve()
        if not path.is_file():
            raise PluginError(
                f"{config.config_file_path}: bibtex 'bib_file' {options.bib_file!r} "
                f"not found (looked for {path})."
            )
        return [path]
    if options.bib_dir:
        return sorted((base / options.bib_dir).resolve().rglob("*.bib"))
    raise PluginError(f"{config.config_file_path}: set 'bib_file' for the bibtex plugin.")


def csl_option(config: MkDocsConfig) -> str | None:
    return plugin(config).config.csl_file


def set_csl_file(config: MkDocsConfig, path: Path) -> None:
    """Hand the resolved CSL path to mkdocs-bibtex (it resolves from the current folder)."""
    plugin(config).config.csl_file = str(path)


def full_bib_command(config: MkDocsConfig) -> str:
    return plugin(config).config.full_bib_command


def bib_command(config: MkDocsConfig) -> str:
    return plugin(config).config.bib_command


def inline_citations(config: MkDocsConfig) -> bool:
    """The plugin's enable_inline_citations (bare @key in the text), which its Markdown
    rewriting did and which is out of the build (see leave_markdown_to_hooks)."""
    return bool(plugin(config).config.enable_inline_citations)


def leave_markdown_to_hooks(config: MkDocsConfig) -> None:
    """Take mkdocs-bibtex's on_page_markdown out of this build's events. The citation hook
    (which runs first) has already replaced every citation and the bibliography command;
    all the plugin would still do is damage: it rewrites ``[@key]`` inside code and
    ``[@text](url)`` link text (ending in a traceback for an unknown key). MkDocs registers
    the events anew for every build, so this runs in every on_config."""
    mkdocs_internals.drop_event(config, plugin(config), "page_markdown")


def share_parsed_library(config: MkDocsConfig, parsed: dict[Path, Any]) -> None:
    """Let mkdocs-bibtex reuse the libraries the citation hook has already parsed (and
    checked) instead of parsing every .bib file a second time. `parsed`: path -> pybtex
    BibliographyData. Any other file falls through to pybtex's own parse_file.

    MkDocs keeps one instance of a plugin that has `on_startup` for the whole process, and
    mkdocs-bibtex then skips loading a .bib older than its last load, even the .bib of
    another site: forget that, so it always takes this build's library."""
    import mkdocs_bibtex.registry as registry
    from pybtex.database import parse_file

    plugin(config).last_configured = None

    def parse_once(filename, *args, **kwargs):
        found = parsed.get(Path(filename).resolve())
        return found if found is not None else parse_file(filename, *args, **kwargs)

    registry.parse_file = parse_once


def bib_data(config: MkDocsConfig) -> Any:
    """mkdocs-bibtex's parsed library (after its ``on_config``, until ``let_library_go``)."""
    registry = getattr(plugin(config), "registry", None)
    if registry is None:  # pragma: no cover - the plugin always builds one in on_config
        raise PluginError("mkdocs-bibtex did not load the library (no registry).")
    if registry.bib_data is None:
        raise RuntimeError("briefing: the .bib library is let go after on_nav (citations.render.entry_urls keeps "
                           "each entry's url): read it by then")
    return registry.bib_data


def let_library_go(config: MkDocsConfig) -> None:
    """mkdocs-bibtex's parsed library dropped (nothing reads it after ``on_nav``: at 2,000 entries
    a few MB of every process of the build), and pybtex's own ``parse_file`` back in its registry
    module (``share_parsed_library``'s stand-in holds every parse until the next build)."""
    import mkdocs_bibtex.registry as registry
    from pybtex.database import parse_file

    registry.parse_file = parse_file
    found = getattr(plugin(config), "registry", None)
    if found is not None:
        found.bib_data = None
