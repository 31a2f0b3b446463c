"""mkdocs.yml's settings that Material's templates print or include: ``extra``, and ``theme``'s
palette, icons and language. Checked, and made text.

Material prints them as they are (MkDocs' Jinja does not autoescape), includes a file each
icon and language names, and some of ``extra`` make a page ask another site:
- ``extra.social`` (each ``link`` and ``name``), ``homepage`` and ``alternate`` (each ``name``,
  ``link``, ``lang``): links and titles in every page's header and footer;
- ``extra.status`` and ``tags``: titles and class names;
- ``extra.scope``: a string inside an inline script of every page (the Content-Security-Policy
  lists that script's hash, so whatever ends the string would run);
- ``extra.analytics``, ``consent`` (the cookie banner for analytics) and ``polyfills``: scripts
  from another site (Google's, a CDN's);
- ``theme.palette``: each option's ``toggle.name`` and ``media`` in attributes (a quote ended
  the attribute); its ``scheme``, ``primary`` and ``accent`` through a filter that drops any
  escaping;
- every icon (``theme.palette[].toggle.icon``, each under ``theme.icon``, ``extra.social[].icon``)
  and ``theme.language``: a file the theme includes; one it lacks stopped the build with
  Jinja's TemplateNotFound traceback. ``theme.icon.admonition`` and ``tag``'s types are CSS
  names in an inline style.

Here, as the build starts (``on_config``):
- ``extra.analytics``, ``consent`` and ``polyfills`` fail the build: the site makes no request
  to a third party;
- a link is http(s), ``mailto:`` or an address on the site, written as a URL (no space, quote or ``<``);
  ``scope``, a path; a class, colour or CSS name, letters, digits, ``-`` and ``_``; an icon or
  language, one the theme has: anything else fails the build;
- any other key of ``extra`` is a warning (a strict build fails on it);
- every string of ``extra`` left, and each palette option's ``toggle.name`` and ``media``,
  becomes a ``escaping.Text``: escaped whatever template prints it.
Each message names mkdocs.yml, the line and the key (``extra.social[0].link``), and the fix.

A page's front matter holds three keys Material includes a file for or prints as a class name:
``icon`` (an icon the theme lacks) and ``template`` (a template it lacks) stopped the build
with Jinja's TemplateNotFound traceback; ``status`` is a class name. They are checked once every
page is read (``on_env``), each message naming the page, the line and the fix. A key no one
reads (``PAGE_KEYS``: MkDocs', Material's, a note's record) is a warning, as in ``extra``.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from briefing.common.log import logger
from briefing.common.material_internals import ICONS, LANGUAGES
from briefing.key_figures.figures import display_path
from briefing.links.scan import ACCEPTED_SCHEMES, EXTERNAL_SCHEMES
from briefing.series.record import RecordError, node_lines, read_front_matter
from briefing.site_policy.escaping import text

log = logger("site_policy")

THIRD_PARTY = {
    "analytics": "an analytics provider's script, fetched from its site by every page",
    "consent": "the cookie banner for analytics",
    "polyfills": "scripts fetched from another site by every page",
}
# The keys Material's templates read that a site may set, and what each holds (the fix of a message).
KNOWN = {
    "generator": "true or false: Material's \"Made with\" line in the footer",
    "homepage": "the address the logo leads to: https://... or a path of the site",
    "social": "a list of links in the footer, each with icon, link (https://...) and name",
    "alternate": "a list of the site's other languages, each with name, link (https://... or a path) and lang",
    "status": "a mapping of page status (a class name: letters, digits, - and _) to its title",
    "tags": "a mapping of tag to its class name (letters, digits, - and _)",
    "scope": "the path the reader's settings are kept under, e.g. /",
    "annotate": "a mapping of language to the selectors of its code annotations",
    "version": "the version selector's settings (provider: mike)",
}
# The keys of a page's front matter that MkDocs, Material or this generator read.
PAGE_KEYS = ("title", "description", "author", "template", "icon", "status", "subtitle", "hide", "search", "tags",
             "note")
ITEM_KEYS = {"social": ("icon", "link", "name"), "alternate": ("name", "link", "lang")}
CLASS_NAME = re.compile(r"[A-Za-z0-9_-]+")
COLOUR = re.compile(r"[A-Za-z0-9 _-]+")  # Material's palette names: "indigo", "deep purple", "slate"
LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]+)*")
PATH = re.compile(r"[A-Za-z0-9._~/-]*")
UNSAFE = re.compile(r"[\s\"'<>\\`]|[\x00-\x1f\x7f]")


class SettingError(ValueError):
    def __init__(self, path: tuple, message: str):
        super().__init__(message)
        self.path = path


def link_problem(value: object) -> str | None:
    """Why ``value`` cannot be a link of the site's pages (http(s), a path of the site, or
    ``mailto:``, as a page's links); None if it can."""
    if not isinstance(value, str) or not value:
        return "write an address as text: https://... or a path of the site"
    if UNSAFE.search(value):
        return "an address has no space, quote, '<', '>' or backslash: percent-encode them (%20, %22...)"
    try:
        parts = urlsplit(value)
    except ValueError:
        return "not an address: write https://... or a path of the site"
    if parts.scheme in ACCEPTED_SCHEMES:  # mailto:, as in a page (briefing.links.scan)
        return None if parts.path else f"write the address after {parts.scheme}:"
    if parts.scheme and parts.scheme not in EXTERNAL_SCHEMES:
        return f"a {parts.scheme}: link: write an http(s) address, or a path of the site"
    if parts.scheme and not parts.netloc:
        return "an http(s) address names its site: https://example.org/..."
    if not parts.scheme and parts.netloc:
        return "write the address with its scheme: https:" + value
    return None


def _items(value: object, name: str) -> list:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise SettingError(("extra", name), f"write {KNOWN[name]}")
    return value


def icon_problem(value: object, theme_dirs: list[str]) -> str | None:
    """Why ``value`` names no icon of the theme (``<ICONS>/<icon>.svg`` in a theme folder); None if it does."""
    if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9_-]+(/[a-z0-9_-]+)*", value):
        return "name one of the theme's icons, e.g. fontawesome/brands/github"
    if not any((Path(folder) / ICONS / f"{value}.svg").is_file() for folder in theme_dirs):
        return f"the theme has no icon {value!r}: name one of its icons, e.g. fontawesome/brands/github"
    return None


def check_extra(extra: dict, theme_dirs: list[str]) -> tuple[list[SettingError], list[SettingError]]:
    """The errors and the warnings of ``extra``, each with its key's path."""
    errors: list[SettingError] = []
    warnings: list[SettingError] = []
    for name, value in extra.items():
        try:
            if name in THIRD_PARTY:
                why = f"{THIRD_PARTY[name]}: the site makes no request to another site"
                errors.append(SettingError(("extra", name), f"{why} (README \"What the build rejects\"): remove it"))
            elif name not in KNOWN:
                known = ", ".join(sorted(KNOWN))
                warnings.append(SettingError(("extra", name), "not a setting Material or this generator reads "
                                                              f"(they are: {known}): correct it or remove it"))
            elif name == "generator" and not isinstance(value, bool):
                errors.append(SettingError(("extra", name), f"write {KNOWN[name]}"))
            elif name == "homepage" and (problem := link_problem(value)):
                errors.append(SettingError(("extra", name), problem))
            elif name in ITEM_KEYS:
                for index, item in enumerate(_items(value, name)):
                    for key in item:
                        if key not in ITEM_KEYS[name]:
                            warnings.append(SettingError(("extra", name, index, key), f"not a key of {name} (they are: "
                                                       f"{', '.join(ITEM_KEYS[name])}): correct it or remove it"))
                    if problem := link_problem(item.get("link")):
                        errors.append(SettingError(("extra", name, index, "link"), problem))
                    if name == "social" and (problem := icon_problem(item.get("icon"), theme_dirs)):
                        errors.append(SettingError(("extra", name, index, "icon"), problem))
            elif name in ("status", "tags"):
                if not isinstance(value, dict):
                    raise SettingError(("extra", name), f"write {KNOWN[name]}")
                for key, title in value.items():
                    name_of_class = key if name == "status" else title
                    if not isinstance(name_of_class, str) or not CLASS_NAME.fullmatch(name_of_class):
                        why = f"{name_of_class!r} is a class name in the page: use letters, digits, - and _ only"
                        errors.append(SettingError(("extra", name, str(key)), why))
            elif name == "scope" and (not isinstance(value, str) or not PATH.fullmatch(value)):
                errors.append(SettingError(("extra", name), "write a path of letters, digits and - _ . ~ /, e.g. /"))
        except SettingError as error:
            errors.append(error)
    return errors, warnings


def _palette(theme) -> list[tuple[tuple, dict]]:
    """Each option of ``theme.palette`` (a list, or one mapping) with its key's path."""
    palette = theme.get("palette")
    if isinstance(palette, dict):
        return [(("theme", "palette"), palette)]
    if isinstance(palette, list):
        return [(("theme", "palette", index), option) for index, option in enumerate(palette)
                if isinstance(option, dict)]
    return []


def check_theme(theme, theme_dirs: list[str]) -> list[SettingError]:
    """The errors of ``theme``'s palette, icons and language, each with its key's path."""
    errors: list[SettingError] = []
    for path, option in _palette(theme):
        for key in ("scheme", "primary", "accent"):
            value = option.get(key)
            if value is not None and (not isinstance(value, str) or not COLOUR.fullmatch(value)):
                errors.append(SettingError((*path, key), f"{value!r}: write one of Material's names, of letters, "
                                                         "digits, spaces, - and _ (e.g. indigo, deep purple, slate)"))
        toggle = option.get("toggle")
        if isinstance(toggle, dict) and (problem := icon_problem(toggle.get("icon"), theme_dirs)):
            errors.append(SettingError((*path, "toggle", "icon"), problem))
    icons = theme.get("icon")
    for key, value in (icons.items() if isinstance(icons, dict) else ()):
        named = value.items() if isinstance(value, dict) else [(None, value)]
        for kind, icon in named:
            path = ("theme", "icon", key) if kind is None else ("theme", "icon", key, str(kind))
            if kind is not None and not CLASS_NAME.fullmatch(str(kind)):
                errors.append(SettingError(path, f"{kind!r} is a CSS name in the page: use letters, digits, - and _"))
            elif icon and (problem := icon_problem(icon, theme_dirs)):
                errors.append(SettingError(path, problem))
    language = theme.get("language")
    if language and not (isinstance(language, str) and LANGUAGE.fullmatch(language) and any(
            (Path(folder) / LANGUAGES / f"{language}.html").is_file() for folder in theme_dirs)):
        errors.append(SettingError(("theme", "language"), f"the theme has no language {language!r}: write one of "
                                                          "Material's, e.g. en, fr, de, ur"))
    return errors


def page_problems(meta: dict, theme_dirs: list[str]) -> list[SettingError]:
    """The errors of a page's front matter keys Material includes a file for or prints as a class."""
    errors: list[SettingError] = []
    if meta.get("icon") is not None and (problem := icon_problem(meta["icon"], theme_dirs)):
        errors.append(SettingError(("icon",), problem))
    template = meta.get("template")
    if template is not None and not (isinstance(template, str) and not template.startswith("/")
                                     and ".." not in template.split("/")
                                     and any((Path(folder) / template).is_file() for folder in theme_dirs)):
        errors.append(SettingError(("template",), f"the theme has no template {template!r}: name one of its "
                                                  "templates (main.html) or a file of the site's custom_dir, "
                                                  "or leave it out"))
    status = meta.get("status")
    if status is not None and not (isinstance(status, str) and CLASS_NAME.fullmatch(status)):
        errors.append(SettingError(("status",), f"{status!r} is a class name in the page: use letters, digits, "
                                                "- and _ only (Material's are new and deprecated)"))
    return errors


def front_matter_lines(path: str | None) -> dict[tuple, int]:
    """Each key path of a page's front matter -> its line in the file; {} if it cannot be read."""
    try:
        return read_front_matter(Path(path).read_text(encoding="utf-8-sig"))[1] if path else {}
    except (OSError, UnicodeDecodeError, RecordError):
        return {}


def key_name(path: tuple) -> str:
    """``("extra", "social", 0, "link")`` -> ``extra.social[0].link``."""
    name = str(path[0])
    for part in path[1:]:
        name += f"[{part}]" if isinstance(part, int) else f".{part}"
    return name


def yaml_lines(config_file: str | None) -> dict[tuple, int]:
    """Each key path of mkdocs.yml -> its line; {} if the file cannot be read as YAML."""
    if not config_file:
        return {}
    try:
        node = yaml.compose(Path(config_file).read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return node_lines(node, 1) if node is not None else {}


def where(config: MkDocsConfig, lines: dict[tuple, int], path: tuple) -> str:
    """``mkdocs.yml:57`` for the key at ``path`` (else the nearest key that holds it)."""
    name = Path(config.config_file_path).name if config.config_file_path else "mkdocs.yml"
    full = path
    while full and full not in lines:
        full = full[:-1]
    return f"{name}:{lines[full]}" if full else name


@event_priority(100)  # before Material's search plugin (0), which loads theme.language's strings
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    dirs = list(config.theme.dirs)
    extra = config.extra or {}
    errors, warnings = check_extra(dict(extra), dirs)
    errors = check_theme(config.theme, dirs) + errors
    if errors or warnings:
        lines = yaml_lines(config.config_file_path)
        for warning in warnings:
            log.warning(f"{where(config, lines, warning.path)}: {key_name(warning.path)}: {warning}")
        if errors:
            raise PluginError("\n".join(f"{where(config, lines, error.path)}: {key_name(error.path)}: {error}"
                                        for error in errors))
    for name in list(extra):
        extra[name] = text(extra[name])
    for _path, option in _palette(config.theme):
        if isinstance(option.get("media"), str):
            option["media"] = text(option["media"])
        if isinstance(option.get("toggle"), dict) and isinstance(option["toggle"].get("name"), str):
            option["toggle"]["name"] = text(option["toggle"]["name"])
    return config


def on_env(env, config: MkDocsConfig, files):
    """Every page's front matter is known once MkDocs has read the pages (before this event)."""
    dirs = list(config.theme.dirs)
    base = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
    problems = []
    for file in files.documentation_pages():
        page = file.page
        if page is None or not page.meta:
            continue
        errors = page_problems(page.meta, dirs)
        unknown = [key for key in page.meta if key not in PAGE_KEYS]
        if errors or unknown:
            lines = front_matter_lines(file.abs_src_path)
            name = display_path(Path(file.abs_src_path), base) if file.abs_src_path else file.src_uri
            problems += [f"{name}:{lines.get(error.path, 1)}: {key_name(error.path)}: {error}" for error in errors]
            for key in unknown:
                log.warning(f"{name}:{lines.get((str(key),), 1)}: {key}: not a front matter key MkDocs, Material or "
                            f"this generator reads (they are: {', '.join(PAGE_KEYS)}): correct it or remove it")
    if problems:
        raise PluginError("\n".join(problems))
    return env
