"""The generator's part of the theme: its templates and its CSS and JavaScript, shipped inside
the package, so that a site needs only its docs, its .bib and mkdocs.yml.

- Templates: each concern's ``templates/`` folder and ``briefing/theme/`` (Material overrides:
  ``main.html``, ``404.html``, ``partials/search.html``) go into ``theme.dirs`` right after the
  site's own ``custom_dir``, so a site can still override any of them.
- Assets: added to the site's files (``on_files``) unless the site has a file of that name
  (the site's wins), and linked from every page (``extra_css``, ``extra_javascript``), before
  the site's own; ``FILES`` only from the pages that need them.
- One style sheet (``stylesheet``): the concerns' sheets (``STYLES``) joined in order into
  ``assets/briefing.<digest>.css``, each part the site's own file of that name if it has one. A
  first view waits for every sheet it links: six small ones were six more requests before the
  first paint (issue 14). The name carries a digest of the text, as Material's own do, so a
  browser that kept the last deploy's sheet does not style a new page with it.
- The theme's Jinja environment: one per build (``ThemeEnv``): MkDocs renders page content
  before its ``on_env`` event, and a new environment per page would compile every template again.
- Compiled templates kept between builds (``bytecode_cache``): Jinja's own bytecode cache under
  ``.cache/plugin/jinja/`` beside mkdocs.yml, which recompiles a template whose source changed;
  one folder per environment's settings (``finalize``, extensions...) and generator, since the
  compiled code depends on them. Compiling Material's and our templates was 0.47 s of the real
  site's 1.1 s build (issue 14).
- Material's palette.css without its rule on ``data-md-color-switching`` (``lighter_palette``).
- The navigation drawn once (``draw_nav_once``): each top-level item of Material's navigation
  that a page does not stand in is drawn once for all the pages that get the same HTML
  (``briefing.common.material_internals.NavItems``, called from ``partials/nav.html``): at 50
  notes x 12 pages, Material's nav-item macro was most of the pages' rendering (issue 14).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import jinja2
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from briefing.common.material_internals import PALETTE_CSS, NavItems, palette_css

PACKAGE = Path(__file__).resolve().parent.parent
# Template folders, the first wins: the Material overrides, then each concern's partials.
TEMPLATE_DIRS = (
    PACKAGE / "theme",
    PACKAGE / "citations" / "templates",
    PACKAGE / "key_figures" / "templates",
    PACKAGE / "publication" / "templates",
    PACKAGE / "series" / "templates",
    PACKAGE / "pictures" / "templates",
)


@dataclass(frozen=True)
class Asset:
    path: str  # site path, e.g. "assets/reader.css"
    source: Path  # the file in the package
    defer: bool = False  # a script: loaded with defer


# The parts of the one style sheet (``stylesheet``), in order: a later part wins.
STYLES = (
    Asset("assets/briefing.css", PACKAGE / "theme" / "assets" / "briefing.css"),
    Asset("assets/publication.css", PACKAGE / "publication" / "assets" / "publication.css"),
    Asset("assets/reader.css", PACKAGE / "theme" / "assets" / "reader.css"),
    Asset("assets/key-figures.css", PACKAGE / "key_figures" / "assets" / "key-figures.css"),
    Asset("assets/series.css", PACKAGE / "series" / "assets" / "series.css"),
    Asset("assets/pictures.css", PACKAGE / "pictures" / "assets" / "pictures.css"),  # timeline, charts
)
SCRIPTS = (
    # notes beside the text on wide screens, in place on narrow ones (issue 16)
    Asset("assets/javascripts/notes.js", PACKAGE / "theme" / "assets" / "javascripts" / "notes.js", defer=True),
)
# Linked by briefing/theme/main.html before Material's bundle (it changes how the bundle loads),
# not from extra_javascript (which comes after it).
EARLY_SCRIPTS = (
    # Material's first load made lighter: the search index when a reader starts to search, the
    # sitemap once, no whole restyle for the palette (issue 14)
    Asset("assets/javascripts/material-load.js", PACKAGE / "theme" / "assets" / "javascripts" / "material-load.js"),
)

# Shipped with the site but linked only from the pages that need them.
MOVED_JS = Asset("assets/javascripts/moved.js", PACKAGE / "series" / "assets" / "javascripts" / "moved.js")
FILES = (
    MOVED_JS,  # the pages at moved addresses (briefing/series/moved.py): on to the new one, #fragment kept
)


def add_template_dirs(config: MkDocsConfig) -> None:
    """The package's template folders, after the site's custom_dir and before the theme's own."""
    dirs = config.theme.dirs
    ours = [str(path) for path in TEMPLATE_DIRS if str(path) not in dirs]
    at = 1 if config.theme.custom_dir and dirs and dirs[0] == config.theme.custom_dir else 0
    dirs[at:at] = ours


def stylesheet(config: MkDocsConfig) -> tuple[str, str]:
    """The site path and the text of the generator's one style sheet: ``STYLES`` in order, each
    from the site's own file of that name (``docs/assets/reader.css``...) if it has one."""
    parts = []
    for asset in STYLES:
        own = Path(config.docs_dir) / asset.path
        source = own if own.is_file() else asset.source
        parts.append(f"/* {asset.path} */\n{source.read_text(encoding='utf-8')}")
    text = "\n".join(parts)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"assets/briefing.{digest}.css", text


def link_assets(config: MkDocsConfig) -> tuple[str, str]:
    """Every page links the generator's style sheet and scripts, before the site's own; the
    sheet's path and text (``stylesheet``), for ``add_assets`` to write the file it links."""
    sheet = stylesheet(config)
    if sheet[0] not in config.extra_css:
        config.extra_css.insert(0, sheet[0])
    scripts = {str(script.path) if isinstance(script, ExtraScriptValue) else str(script)
               for script in config.extra_javascript}
    ours = []
    for asset in SCRIPTS:
        if asset.path not in scripts:
            value = ExtraScriptValue(asset.path)
            value.defer = asset.defer
            ours.append(value)
    config.extra_javascript[:0] = ours
    return sheet


def add_assets(files: Files, config: MkDocsConfig, sheet: tuple[str, str]) -> Files:
    """The generator's assets as files of the site, unless the site has its own of that name,
    and its one style sheet (``sheet``: the path and text ``link_assets`` linked); and none of
    the files of its template folders that are templates (MkDocs copies a theme folder's
    non-template files into the site: ``partials/print-edition/paged.css`` is a template) or
    parts of that sheet."""
    ours = tuple(str(path) for path in TEMPLATE_DIRS)
    parts = {str(asset.source) for asset in STYLES}  # in the one style sheet, not on their own
    for file in [f for f in files if f.abs_src_path and f.abs_src_path.startswith(ours)
                 and (f.src_uri.startswith("partials/") or f.abs_src_path in parts)]:
        files.remove(file)
    for asset in SCRIPTS + EARLY_SCRIPTS + FILES:
        if files.get_file_from_path(asset.path) is None:
            files.append(File.generated(config, asset.path, abs_src_path=str(asset.source)))
    path, text = sheet
    files.append(File.generated(config, path, content=text))
    lighter_palette(files, config)
    return files


def lighter_palette(files: Files, config: MkDocsConfig) -> None:
    """The theme's palette.css without the rule that restyles every page twice as it loads
    (``material_internals.palette_css``); a site's own file of that name is left alone."""
    docs = str(Path(config.docs_dir).resolve())
    for file in [f for f in files if PALETTE_CSS.fullmatch(f.src_uri) and f.abs_src_path
                 and not str(Path(f.abs_src_path).resolve()).startswith(docs)]:
        css = palette_css(Path(file.abs_src_path).read_text(encoding="utf-8"))
        if css is not None:
            files.remove(file)
            files.append(File.generated(config, file.src_uri, content=css))


def _name(value) -> str:
    """A setting of an environment as text that does not change between processes."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
    return repr(value)


def settings_digest(env: jinja2.Environment) -> str:
    """What, besides a template's source, the compiled code depends on: Jinja's version, the
    generator, the environment's settings and extensions."""
    import briefing

    settings = [jinja2.__version__, briefing.CODE_DIGEST, *sorted(env.extensions),
                *(_name(getattr(env, name)) for name in (
                    "finalize", "autoescape", "block_start_string", "block_end_string", "variable_start_string",
                    "variable_end_string", "comment_start_string", "comment_end_string", "line_statement_prefix",
                    "line_comment_prefix", "trim_blocks", "lstrip_blocks", "newline_sequence",
                    "keep_trailing_newline", "optimized", "is_async"))]
    return hashlib.sha256("\0".join(settings).encode()).hexdigest()[:32]


def bytecode_cache(env: jinja2.Environment, config: MkDocsConfig) -> jinja2.Environment:
    """``env`` with Jinja's bytecode cache in ``.cache/plugin/jinja/<settings>/`` beside
    mkdocs.yml (templates already compiled in it are kept)."""
    folder = Path(config.config_file_path).resolve().parent / ".cache" / "plugin" / "jinja" / settings_digest(env)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return env  # a folder that cannot be written: compile as before
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env


def draw_nav_once(env: jinja2.Environment) -> jinja2.Environment:
    """``env`` with a new ``NavItems`` (this build's: nothing drawn for an earlier build is
    printed again) as the ``briefing_nav_item`` our ``partials/nav.html`` calls."""
    env.globals["briefing_nav_item"] = NavItems().draw
    return env


class ThemeEnv:
    """The theme's Jinja environment, made once for a build (on first use)."""

    def __init__(self, config: MkDocsConfig):
        self._config = config
        self._env: jinja2.Environment | None = None

    @property
    def env(self) -> jinja2.Environment:
        if self._env is None:
            self._env = bytecode_cache(self._config.theme.get_env(), self._config)
        return self._env

    def template(self, name: str) -> jinja2.Template:
        return self.env.get_template(name)
