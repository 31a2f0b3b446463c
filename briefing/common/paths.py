"""Paths in Markdown extension options resolved from mkdocs.yml's folder, not the current one.

``pymdownx.snippets`` reads ``base_path`` relative to the folder ``mkdocs`` was started in, so a
build started elsewhere (a test, an editor, CI in another folder) would miss the glossary.

Events: ``on_config`` at priority 100 (before anything renders Markdown).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority


def absolute_paths(paths: list[str] | str, base: Path) -> list[str]:
    """Each relative path made absolute against `base`; absolute ones kept."""
    items = [paths] if isinstance(paths, str) else list(paths)
    return [str(path) if Path(path).is_absolute() else str((base / path).resolve()) for path in items]


@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    options = config.mdx_configs.get("pymdownx.snippets")
    if options and "base_path" in options:
        options["base_path"] = absolute_paths(options["base_path"], Path(config.config_file_path).resolve().parent)
    return config
