"""Key-figure callouts: each figure defined once in a data file, placed in a chapter by a
one-line shortcode, checked against the text that states it, and listed "At a glance".

Authors write ``<!-- key-figure: some-id -->`` on its own line right after the paragraph that
states the figure, and ``<!-- at-a-glance -->`` where the home page lists every figure. The
figures live in the YAML file named by ``briefing: key_figures: file:`` (``data/figures.yml``).

Events, at priority 0 (``PRIORITY``) but the last:
- ``on_config``: reset state, read and check the figures file.
- ``on_nav``: runs after ``citations.py``'s (priority 100), whose notes it reads: find every
  shortcode of every page and check it (known id, stated once, value in the chapter's prose
  and in the paragraph above) and check what the callout will claim against the text: its
  source is the note whose marker next follows the figure in its paragraph, or the author's
  own statement when none does (a note covers the passage back to the previous marker); an
  attribution and a period in the text's words; "as of" only the date the source gives.
- ``on_page_markdown``: runs after ``citations.py`` (100) and mkdocs-bibtex (a plugin at 0,
  and plugins run before hooks at equal priority): expand the shortcodes from the templates
  in ``overrides/partials/key-figures/``. The output holds no ``[@key]`` and no note marker,
  so note numbers are untouched; a source's short form is a placeholder (pandoc may still be
  running, see ``_notes``).
- ``on_page_context`` (priority 100, before the search plugin reads the page): put the short
  forms in place of their placeholders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from briefing.build import of as build_of
from briefing.citations import bibtex_adapter as adapter
from briefing.citations import chicago as _chicago
from briefing.citations import notes as _notes
from briefing.common.order import reading_order, source_label
from briefing.config import options as plugin_options
from briefing.key_figures import attribution
from briefing.key_figures import figures as kf

log = get_plugin_logger("key_figures")

PRIORITY = 0
SHORTCODE_HELP = "write <!-- key-figure: some-id --> (the figure's id) or <!-- at-a-glance -->, alone on its line"


@dataclass
class Placement:
    """Where a figure's callout stands."""

    page: str  # src_uri
    line: int  # line of the shortcode in the page's file
    anchor: str  # id of the paragraph that states the figure
    note: int | None  # number of the note whose marker next follows the figure (None: the author's own)
    chapter: str  # title of the page
    order: tuple[int, int] = (0, 0)  # (page in reading order, line): where "At a glance" lists it


@dataclass
class _State:
    """What one build knows; replaced at the start of every build (``on_config``)."""

    where: str = "data/figures.yml"  # the figures file as shown in messages
    exists: bool = False
    figures: dict[str, kf.Figure] = field(default_factory=dict)
    order: str = "reading"  # of "At a glance": reading, or the figures file's
    rejected: dict[str, int] = field(default_factory=dict)  # ids defined with errors -> line
    placements: dict[str, Placement] = field(default_factory=dict)  # figure id -> its callout
    groups: dict[str, list[list[str]]] = field(default_factory=dict)  # src_uri -> ids of each group
    paths: dict[str, str] = field(default_factory=dict)  # src_uri -> path shown in messages


_state = _State()


@event_priority(PRIORITY)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _state
    _state = _State()
    base = Path(config.config_file_path).resolve().parent
    path = (base / plugin_options(config).key_figures.file).resolve()
    _state.where = kf.display_path(path, base)
    _state.exists = path.is_file()
    if not _state.exists:
        return config  # no figures; a shortcode then reports an unknown id naming the missing file
    try:
        loaded = kf.load(path.read_text(encoding="utf-8"), _state.where)
    except kf.FiguresFileError as error:
        raise PluginError(f"{_state.where}:{error.line}: {error}") from error
    figures, problems, _state.order = loaded.figures, loaded.problems, loaded.order
    for problem in problems:
        log.warning(str(problem))
        if problem.figure:
            _state.rejected.setdefault(problem.figure, problem.line)
    _state.figures = {figure.id: figure for figure in figures}
    return config


def check_page(src_uri: str, rel: str, source: str, nav_title: str | None,
               bib_dates: dict[str, tuple[int, int | None, int | None] | None], page_index: int = 0) -> None:
    """Find and check the callouts of one page; record where each figure's callout stands.
    `bib_dates`: every citation key of the library -> its entry's date (None: undated)."""
    body, _meta = get_data(source)
    offset = kf.body_offset(source, body)
    shortcodes, malformed = kf.find_shortcodes(body)
    for line, text in malformed:
        log.warning(f"{rel}:{line + offset}: malformed shortcode {text!r}: {SHORTCODE_HELP}")
    groups = kf.group_callouts(body, shortcodes)
    _state.groups[src_uri] = [list(group.ids) for group in groups]
    if not groups:
        return
    lines = body.splitlines()
    chapter = kf.prose(body)
    notes = _notes.current.on_page(src_uri)
    title = nav_title or kf.title_of(body) or src_uri
    for group in groups:
        paragraph = group.paragraph
        paragraph_md = "\n".join(lines[paragraph[0] - 1: paragraph[1]]) if paragraph else ""
        paragraph_text = kf.prose(paragraph_md)
        file_paragraph = (paragraph[0] + offset, paragraph[1] + offset) if paragraph else (0, 0)
        for figure_id, body_line in zip(group.ids, group.lines, strict=True):
            at = f"{rel}:{body_line + offset}"
            figure = _state.figures.get(figure_id)
            if figure is None:
                log.warning(f"{at}: {_unknown(figure_id)}")
                continue
            if figure_id in _state.placements:
                first = _state.placements[figure_id]
                log.warning(
                    f"{at}: figure {figure_id!r} already has a callout at "
                    f"{_rel_of(first.page)}:{first.line}; a figure is stated once: remove one"
                )
                continue
            defined = f"({_state.where}:{figure.lines['value']})"
            if not kf.contains(chapter, figure.value):
                log.warning(
                    f"{at}: figure {figure_id!r} has value {figure.value!r} {defined}, which the text of "
                    f"{rel} does not contain: give the value exactly as the chapter words it"
                )
            elif paragraph is None:
                log.warning(
                    f"{at}: the callout of figure {figure_id!r} must stand right after the paragraph "
                    "that states it (leave one blank line between them)"
                )
            elif not kf.contains(paragraph_text, figure.value):
                stated = kf.block_stating(body, figure.value)
                log.warning(
                    f"{at}: the paragraph above (line {paragraph[0] + offset}) does not state {figure.value!r} "
                    f"{defined}; line {(stated or 0) + offset} does: move the callout after that paragraph"
                )
            # the source rule, shared with the timeline (key_figures.attribution)
            said, note = attribution.next_note(paragraph_md, file_paragraph, notes, figure.value) if paragraph \
                else (None, None)
            if said is not None:
                for problem in claim_problems(figure, said, note, notes, rel, paragraph[0] + offset,
                                              paragraph_md, bib_dates):
                    log.warning(f"{at}: {problem}")
            _state.placements[figure_id] = Placement(
                src_uri, body_line + offset, group.anchor, note.number if note else None, title,
                (page_index, body_line + offset),
            )


def claim_problems(figure: kf.Figure, said: kf.Statement, note, notes: list, rel: str, paragraph_line: int,
                   paragraph: str, bib_dates: dict) -> list[str]:
    """What the callout of `figure` would claim that the text does not: its source (the note
    whose marker next follows the figure in its paragraph, `note`, or none: the author's own
    statement), its attribution, its period and its date. Each message names the fix."""
    name = f"figure {figure.id!r} ({figure.value!r})"
    where = lambda field_name: f"{_state.where}:{figure.lines.get(field_name, figure.line)}"  # noqa: E731
    problems = attribution.source_problems(name, figure.source, where("source"), note, notes, rel, paragraph_line,
                                           bib_dates)
    if figure.attribution and not kf.states(paragraph, figure.attribution):
        problems.append(
            f"{name} has attribution {figure.attribution!r} ({where('attribution')}), which the paragraph (line "
            f"{paragraph_line}) does not say: give the attribution in the text's words")
    cue = kf.attribution_cue(said.sentence)
    if cue and not figure.attribution:
        problems.append(
            f"the text gives {name} to someone ({cue!r}: {said.sentence[:90]!r}...): add "
            f"'attribution:' with its words, so the callout says who claims it")
    if figure.period and not kf.states(paragraph, figure.period):
        problems.append(
            f"{name} has period {figure.period!r} ({where('period')}), which the paragraph (line {paragraph_line}) "
            "does not say: give the period in the text's words")
    if figure.as_of:
        if figure.own:
            problems.append(
                f"{name} has as_of {figure.as_of!r} ({where('as_of')}) but no outside source to date it: remove "
                "as_of; give the time it covers as 'period:' in the text's words")
        elif figure.source in bib_dates and not kf.date_covers(figure.as_of, bib_dates[figure.source]):
            dated = bib_dates[figure.source]
            given = "gives no date" if dated is None else "is dated " + "-".join(
                f"{part:02d}" for part in dated if part is not None)
            problems.append(
                f"{name} has as_of {figure.as_of!r} ({where('as_of')}), but its source {figure.source!r} {given}: "
                "'as of' is the date its source gives; remove it, or give 'period:' in the text's words")
    return problems


def known() -> tuple[dict[str, kf.Figure], dict[str, Placement], str]:
    """This build's figures, where each one's callout stands and the figures file as messages
    name it (after on_nav): what other concerns (the pictures: charts, data downloads) read."""
    return _state.figures, _state.placements, _state.where


def _rel_of(src_uri: str) -> str:
    return _state.paths.get(src_uri, src_uri)


def _unknown(figure_id: str) -> str:
    if figure_id in _state.rejected:
        line = _state.rejected[figure_id]
        return f"figure {figure_id!r} is defined with errors at {_state.where}:{line}: fix it there"
    if not _state.exists:
        return f"unknown figure {figure_id!r}: the figures file {_state.where} does not exist"
    known = ", ".join(sorted(_state.figures)) or "none"
    return f"unknown figure {figure_id!r}: no figure with that id in {_state.where} (known: {known})"


@event_priority(PRIORITY)
def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    entries = adapter.bib_data(config).entries
    bib_dates = {key: _chicago.entry_date({k.lower(): str(v) for k, v in entry.fields.items()})
                 for key, entry in entries.items()}
    bib_names = ", ".join(p.name for p in adapter.bib_files(config))
    for figure in _state.figures.values():
        if figure.source not in bib_dates and not figure.own:
            log.warning(
                f"{_state.where}:{figure.lines['source']}: figure {figure.id!r} has source {figure.source!r}, "
                f"which is not a key in {bib_names}: give the citation key of its source (or "
                f"'{kf.AUTHOR}' for a figure the note states itself)"
            )
    titles = {page.file.src_uri: page.title for page in nav.pages}
    pages = reading_order(nav, files)
    for file in pages:
        _state.paths[file.src_uri] = source_label(config, file.src_uri)
    for index, file in enumerate(pages):
        check_page(file.src_uri, _rel_of(file.src_uri), file.content_string, titles.get(file.src_uri), bib_dates,
                   index)
    for figure in _state.figures.values():
        if figure.id not in _state.placements:
            log.warning(
                f"{_state.where}:{figure.line}: figure {figure.id!r} has no callout: add "
                f"<!-- key-figure: {figure.id} --> after the paragraph that states it"
            )
    return nav


def figure_context(figure: kf.Figure, placement: Placement, page: Page, files: Files) -> dict:
    """What the templates show of one figure, with links relative to `page`."""
    return {
        "id": figure.id,
        "value": figure.value,
        "label": figure.label,
        "as_of": figure.as_of,
        "as_of_text": figure.as_of_text,
        "period": figure.period,
        "attribution": figure.attribution,
        "own": figure.own,
        # pandoc may still be running: its short form goes in at on_page_context
        "source_html": None if figure.own else Markup(_notes.current.short_form_token(figure.source)),
        "source_href": _notes.href(placement.page, f"fn:{placement.note}", page, files) if placement.note else None,
        "note": placement.note,
        "href": _notes.href(placement.page, placement.anchor, page, files),
        "chapter": placement.chapter,
    }


@event_priority(PRIORITY)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    shortcodes, _malformed = kf.find_shortcodes(markdown)  # malformed ones were reported in on_nav
    if not shortcodes:
        return markdown
    src = page.file.src_uri
    groups = kf.group_callouts(markdown, shortcodes)
    if [g.ids for g in groups] != _state.groups.get(src, []):
        raise PluginError(
            f"{_rel_of(src)}: its key-figure shortcodes changed between reading the site and rendering "
            "the page (another hook edited them): run that hook after key_figures."
        )
    env = build_of(config).theme.env
    lines = markdown.splitlines()
    edits: list[tuple[int, int, list[str]]] = []  # (start, end) 0-based slice of lines -> replacement
    for group in groups:
        shown = [
            figure_context(_state.figures[i], _state.placements[i], page, files)
            for i in group.ids
            if i in _state.figures and i in _state.placements and _state.placements[i].anchor == group.anchor
        ]
        html = env.get_template("partials/key-figures/callouts.html").render(figures=shown).strip() if shown else ""
        edits.append((group.lines[0] - 1, group.lines[-1], ["", html, ""]))
        if group.paragraph:
            last = group.paragraph[1]
            edits.append((last, last, [f"{{: #{group.anchor} }}"]))
    for code in (s for s in shortcodes if s.kind == "glance"):
        placed = [figure for figure in _state.figures.values() if figure.id in _state.placements]
        if _state.order == "reading":
            placed.sort(key=lambda figure: _state.placements[figure.id].order)
        cards = [figure_context(figure, _state.placements[figure.id], page, files) for figure in placed]
        from briefing.pictures.render import download_links  # here: briefing.pictures reads this module

        block = env.get_template("partials/key-figures/at-a-glance.html").render(
            figures=cards, downloads=download_links(config, page)).strip()
        edits.append((code.line - 1, code.line, ["", block, ""]))
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        lines[start:end] = replacement
    return "\n".join(lines) + ("\n" if markdown.endswith("\n") else "")


@event_priority(100)  # before the search plugin (a plugin at 0) indexes the page
def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    """The sources' short forms, now that pandoc is done, where the callouts hold placeholders
    for them (the source key itself if a source has no short form)."""
    if page.content:
        page.content = _notes.current.replace_short_form_tokens(
            page.content, lambda key, short: kf.strip_links(short) if short else str(escape(key))
        )
    return context
