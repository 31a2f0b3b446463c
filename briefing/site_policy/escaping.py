"""What Material for MkDocs 9.8's templates print wrongly, fixed in one place.

1. Text is escaped. MkDocs' Jinja environment does not autoescape, and Material prints
   front matter (``description``, ``title``, ``author``), ``site_name``, ``site_author``,
   ``site_description`` and nav titles as they are: a ``"`` cuts a meta tag, a ``<script>``
   in front matter reaches ``<head>``. Here every such value becomes a ``Text`` (a ``str``
   that Python code sees unchanged), and the theme's environment escapes a ``Text`` whenever
   a template prints it without ``| e`` (Jinja's ``finalize``); ``| e`` escapes it once, as
   before. Titles MkDocs takes from a page's first heading are HTML (entities kept): they
   become the same plain ``Text``, so every template escapes every title exactly once. (The
   front matter's ``title`` itself is kept escaped, as Markup: Material's search index takes
   it as HTML.)
2. Material's two toggle checkboxes carry ``autocomplete``, which HTML allows on text
   inputs only (the Nu HTML Checker's only complaint about Material's pages): dropped
   (``briefing.common.material_internals``, where all that depends on Material's internals is).

Events:
- ``on_nav``: mark the titles of the nav's sections and links.
- ``on_env`` (priority -100: every page's Markdown is converted and its title and front
  matter known; no template has been rendered yet): mark the text, set up the environment.
- ``on_post_page`` / ``on_post_template`` (404.html): drop the toggles' ``autocomplete``.
"""

from __future__ import annotations

import html
from typing import Any

import jinja2
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from briefing.common.material_internals import PRINTED_CONFIG, valid_toggles

CONFIG_TEXT = PRINTED_CONFIG  # mkdocs.yml settings Material prints (copyright is HTML by design: its docs say so)


class Text(str):
    """Plain text an author or maintainer wrote: escaped wherever a theme template prints it."""

    __slots__ = ()


def text(value: Any) -> Any:
    """`value` with every plain string in it (in lists and dicts too) made a Text."""
    if isinstance(value, Markup | Text):
        return value
    if isinstance(value, str):
        return Text(value)
    if isinstance(value, list):
        return [text(item) for item in value]
    if isinstance(value, dict):
        return {key: text(item) for key, item in value.items()}
    return value


def finalize(value: Any) -> Any:
    """Jinja's last step before printing ``{{ value }}``: a Text is escaped."""
    return escape(value) if isinstance(value, Text) else value


def striptags(value: Any) -> Any:
    """Jinja's ``striptags``, except that a Text is text already (it has no tags to strip:
    a ``<`` in it is a character, which ``finalize`` escapes)."""
    return value if isinstance(value, Text) else jinja2.filters.do_striptags(value)


def plain_title(page: Page) -> str | None:
    """The page's title as text: from the nav or the front matter as written; from the
    first heading (HTML, entities kept) unescaped."""
    title = page.title
    if title is None or isinstance(title, Text):
        return title
    if "title" in vars(page) or "title" in page.meta:
        return title
    return html.unescape(title)


def mark_pages(files: Files) -> None:
    for file in files.documentation_pages():
        page = file.page
        if page is None:
            continue
        title = plain_title(page)
        page.meta.update(text(page.meta))
        if title is not None:
            page.title = Text(title)
        if isinstance(page.meta.get("title"), str):
            # Material's search takes a section's title as HTML, and the front matter's title for
            # the text before a page's first heading (str(page.meta.get("title", page.title))):
            # it gets the escaped title, which templates print as it is, escaped once.
            page.meta["title"] = escape(page.meta["title"])


def mark_nav(items: list) -> None:
    """Section and link titles of the nav (its pages are marked with every other page)."""
    for item in items:
        if isinstance(item, Section | Link) and isinstance(item.title, str):
            item.title = text(item.title)
        if isinstance(item, Section):
            mark_nav(item.children)


def mark_config(config: MkDocsConfig) -> None:
    for name in CONFIG_TEXT:
        if isinstance(config.get(name), str):
            config[name] = text(config[name])


def escaping_env(env: jinja2.Environment) -> jinja2.Environment:
    env.finalize = finalize
    env.filters["striptags"] = striptags
    env.cache.clear() if env.cache is not None else None  # nothing compiled without finalize
    return env


@event_priority(-100)
def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    mark_config(config)
    mark_pages(files)
    return escaping_env(env)


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    mark_nav(nav.items)
    return nav


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return valid_toggles(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return valid_toggles(output_content) if template_name.endswith(".html") else output_content
