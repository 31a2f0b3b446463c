"""Each page's Markdown conversion kept between builds (issue 14): MkDocs converts every page
anew in every build (a new ``Markdown`` instance with every extension, then the conversion),
3.3 s of a 20 s build of the 600-page series, whether or not any page changed.

A conversion (``Page.render``) depends on the page's Markdown as the other concerns leave it
(citations as placeholders, shortcodes expanded), the page's place in the site, every file of
the site (where each link leads: ``_RelativePathTreeprocessor``), the Markdown settings
(extensions, their options, the link validation levels, ``use_directory_urls``), the files
``pymdownx.snippets`` may include, and the code (MkDocs, Python-Markdown, pymdown-extensions,
Material, Pygments and the generator's ``CODE_DIGEST``, its own extension among them). A
conversion is kept under the digest of all of them, so any change converts again.

Only what cannot differ is kept:
- a site whose extensions are not all known to depend on nothing else (``PURE``), or whose
  options are not plain data (a function in them), keeps nothing: every page is converted;
- a conversion that logged anything (a broken link's warning: it must fail every strict build,
  not the first one only) or that the link step had to take something out of
  (``links.internal``'s unparsable URLs, reported after it) is not kept.
What is put back is checked to be what was kept (``mkdocs_internals.restore_rendered``), and it
still goes through every later step (``on_page_content``: the link policy; the templates): the
cache saves the conversion, not the checks after it.

One JSON file per top folder of docs/ (a note's folder; "" for the pages at the top) under
``.cache/plugin/markdown/``; each build rewrites the files of the folders it converted with the
conversions it used, so those of earlier versions of a page go.

Events:
- ``on_files`` (priority -1000, after every concern has added its files): the digest this build's
  conversions share, or why nothing is kept.
- ``on_page_markdown`` (priority -1000, after every other concern changed the Markdown): have
  MkDocs call ``render`` for the page, which puts back a kept conversion or converts and keeps it.
- ``on_env``: every page is converted: write the folders' files.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

import briefing
from briefing.build import of as build_of
from briefing.citations import library as lib
from briefing.common import mkdocs_internals
from briefing.common.kept import Groups, group_of
from briefing.common.log import logger

log = logger("markdown")

VERSION = "markdown-2"  # bump when what is kept changes
SNIPPETS = "pymdownx.snippets"
# Extensions whose output depends on the Markdown, their options and their code only (MkDocs'
# defaults and those of Python-Markdown and pymdown-extensions that read no file, clock or
# network). pymdownx.snippets reads files: its base_path folders are part of the key.
PURE = frozenset({
    "abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "legacy_attrs", "legacy_em",
    "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables", "toc", "wikilinks", "extra",
    "pymdownx.betterem", "pymdownx.caret", "pymdownx.critic", "pymdownx.details", "pymdownx.escapeall",
    "pymdownx.keys", "pymdownx.mark", "pymdownx.progressbar", "pymdownx.saneheaders", "pymdownx.smartsymbols",
    "pymdownx.tabbed", "pymdownx.tasklist", "pymdownx.tilde", "pymdownx.magiclink", "pymdownx.inlinehilite",
    "pymdownx.highlight", "pymdownx.superfences", "pymdownx.blocks.admonition", "pymdownx.blocks.details",
    "pymdownx.blocks.tab", "pymdownx.blocks.html", "pymdownx.blocks.definition", SNIPPETS,
})
OURS = frozenset({"briefing.links.internal.UnparsableLinks"})  # in CODE_DIGEST; its output is the page's
CODE = ("mkdocs", "Markdown", "pymdown-extensions", "mkdocs-material", "Pygments")


def cache_dir(config_dir: Path) -> Path:
    return config_dir / ".cache" / "plugin" / "markdown"


def extension_name(extension: Any) -> str:
    if isinstance(extension, str):
        return extension.removeprefix("markdown.extensions.")
    kind = type(extension)
    return f"{kind.__module__}.{kind.__qualname__}"


def _versions() -> list[str]:
    out = []
    for name in CODE:
        try:
            out.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name} -")
    return out


def _folder_digest(folder: Path) -> str:
    """Every file under ``folder`` (its path and bytes): what a snippet may include."""
    digest = hashlib.sha256()
    try:
        paths = sorted(path for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else []
        for path in paths:
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError as error:
        return f"unreadable {error}"
    return f"{folder} {digest.hexdigest()}"


def shared_key(config: MkDocsConfig, files: Files, code_digest: str) -> tuple[str | None, str]:
    """(the digest every page's conversion in this build shares, "") or (None, why nothing can
    be kept)."""
    names = [extension_name(extension) for extension in config.markdown_extensions]
    unknown = [name for name in names if name not in PURE and name not in OURS]
    if unknown:
        return None, f"the Markdown extension(s) {', '.join(unknown)} may read more than the page"
    try:
        options = json.dumps(config.mdx_configs or {}, sort_keys=True)
        validation = json.dumps(config.validation, sort_keys=True, default=dict)
    except (TypeError, ValueError):
        return None, "an extension's options are not plain data"
    snippets = (config.mdx_configs or {}).get(SNIPPETS) or {}
    if snippets.get("url_download"):
        return None, "pymdownx.snippets may download"
    base = snippets.get("base_path", ["."])
    folders = [_folder_digest(Path(path)) for path in ([base] if isinstance(base, str) else base)] \
        if SNIPPETS in names else []
    site = hashlib.sha256()
    for file in sorted(files, key=lambda f: f.src_uri):
        site.update("\0".join((file.src_uri, file.dest_uri, file.url, str(file.inclusion))).encode() + b"\n")
    return lib.cache_key(VERSION, code_digest, *_versions(), json.dumps(names), options, validation,
                         str(config.use_directory_urls), *folders, site.hexdigest()), ""


@dataclass
class Kept:
    """One build's kept conversions (``kept.Groups``: one file a top folder of docs/) and the
    digest they all share."""

    groups: Groups
    shared: str


class _Records(logging.Handler):
    """Counts what is logged (by anything, at INFO or above) while a page is converted."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def render(kept: Kept, build, page: Page, config: MkDocsConfig, files: Files) -> None:
    """Convert ``page`` (``Page.render``'s work): a kept conversion put back, or MkDocs' own,
    kept when nothing was said about it."""
    mkdocs_internals.uninstall_render(page)
    group = group_of(page.file.src_uri)
    key = lib.cache_key(kept.shared, page.file.src_uri, page.file.url, page.markdown or "")
    earlier = kept.groups.get(group, key)
    if earlier is not None and mkdocs_internals.restore_rendered(page, earlier, files):
        kept.groups.use(group, key, earlier)
        return
    records, root = _Records(), logging.getLogger()
    root.addHandler(records)
    try:
        mkdocs_internals.convert(page, config, files)
    finally:
        root.removeHandler(records)
    if not records.count and not build.links.unparsable:
        kept.groups.use(group, key, mkdocs_internals.rendered(page))


@event_priority(-1000)  # after every concern that adds files (links.internal's names: -100)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    build = build_of(config)
    shared, why = shared_key(config, files, briefing.CODE_DIGEST)
    if shared is None:
        log.debug(f"no conversion kept between builds: {why}.")
        build.markdown = None
    else:
        build.markdown = Kept(Groups(cache_dir(Path(config.config_file_path).resolve().parent), VERSION), shared)
    return files


@event_priority(-1000)  # after every other concern's on_page_markdown: the Markdown MkDocs converts
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = build_of(config)
    if build.markdown is not None:
        mkdocs_internals.install_render(page, partial(render, build.markdown, build, page))
    return markdown


def on_env(env, config: MkDocsConfig, files: Files):
    build = build_of(config)
    if build.markdown is not None:
        build.markdown.groups.save()
    return env
