"""Every figure names its source: a ``<figure>`` must carry a citation in its ``<figcaption>``,
and a link out of the figure must go to the URL of a source its caption cites.

Events: ``on_page_context`` (default priority; runs after the citations', at 100, have
turned the caption's ``[@key]`` into a note marker). A figure that breaks the rule is a warning naming
the page and line, so ``mkdocs build --strict`` fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from briefing.citations import library as _citelib
from briefing.citations import render
from briefing.common.log import logger
from briefing.common.order import source_label

log = logger("citations")


@dataclass
class Figure:
    cited: list[str] = field(default_factory=list)  # keys cited in the caption
    has_caption: bool = False
    links: list[str] = field(default_factory=list)  # external hrefs inside the figure, outside notes


class _Figures(HTMLParser):
    def __init__(self):
        super().__init__()
        self.figures: list[Figure] = []
        self.depth = 0
        self.in_caption = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "figure":
            if self.depth == 0:
                self.figures.append(Figure())
            self.depth += 1
        if not self.depth:
            return
        figure = self.figures[-1]
        if tag == "figcaption":
            figure.has_caption = True
            self.in_caption += 1
        elif tag == "sup" and self.in_caption and "note-ref" in (attributes.get("class") or ""):
            figure.cited.extend((attributes.get("data-cites") or "").split())
        elif tag == "a" and _citelib.is_http_url(attributes.get("href") or ""):
            figure.links.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag == "figcaption" and self.in_caption:
            self.in_caption -= 1
        elif tag == "figure" and self.depth:
            self.depth -= 1


def find_figures(html: str) -> list[Figure]:
    parser = _Figures()
    parser.feed(html)
    parser.close()
    return parser.figures


def figure_problems(figures: list[Figure], urls: dict[str, str]) -> list[tuple[int, str]]:
    """(index of the figure, what is wrong) for each figure without a proper source.
    urls: citation key -> the entry's url."""
    problems = []
    for index, figure in enumerate(figures):
        if not figure.has_caption or not figure.cited:
            problems.append((index, "figure without a source: cite it in the <figcaption> with [@key]"))
            continue
        allowed = {urls.get(key, "").strip() for key in figure.cited}
        for href in figure.links:
            if href not in allowed:
                problems.append(
                    (index, f"figure links to {href}, which is not the url of the source its caption cites "
                            f"({', '.join(figure.cited)})")
                )
    return problems


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    """After citations.py (priority 100) has put the page's notes in: check its figures."""
    if page.content:
        check_page(page.content, page, config)
    return context


def check_page(html: str, page: Page, config: MkDocsConfig) -> None:
    if "<figure" not in html:
        return
    figures = find_figures(html)
    if not figures:
        return
    known = render.entry_urls(config)
    urls = {key: url for figure in figures for key in figure.cited if (url := render.url_of(known, key)) is not None}
    source = page.file.content_string
    starts = [m.start() for m in re.finditer(r"<figure\b", source)]
    where = source_label(config, page.file.src_uri)
    for index, message in figure_problems(figures, urls):
        line = source.count("\n", 0, starts[index]) + 1 if index < len(starts) else 1
        log.warning(f"{where}:{line}: {message}")
