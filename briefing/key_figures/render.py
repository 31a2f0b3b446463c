"""Key-figure callouts: each figure defined once in its note's figures file, placed in a
chapter by a one-line shortcode, checked against the text that states it, and listed "At a
glance" on the note's own page.

Authors write ``<!-- key-figure: some-id -->`` on its own line right after the paragraph that
states the figure, and ``<!-- at-a-glance -->`` where the note's page lists its figures. In a
series each note's figures are ``docs/<note>/figures.yml`` (beside its index.md; not published
as a file); a site of plain pages has one file, ``briefing: key_figures: file:``
(``data/figures.yml``). A note's figures, callouts and cards are its own (``NoteBuild.figures``).

Events, at priority 0 (``PRIORITY``):
- ``on_files``: read and check each note's figures file (the notes are known: the series'
  on_files runs at 100).
- ``on_nav``: runs after the citations' (priority 100), whose notes it reads: find every
  shortcode of every page of a note and check it (known id, stated once, value in the
  chapter's prose and in the paragraph above) and check what the callout will claim against
  the text: its source is the note whose marker next follows the figure in its paragraph, or
  the author's own statement when none does (a note covers the passage back to the previous
  marker); an attribution and a period in the text's words; "as of" only the date the source
  gives; a source the note cites (not only another note).
- The shortcodes ``key-figure`` and ``at-a-glance`` (``callout``, ``glance``; the plugin's
  dispatcher expands them in ``on_page_markdown`` after the citations): from the templates in
  ``templates/partials/key-figures/``. The output holds no ``[@key]`` and no note marker, so
  note numbers are untouched; a source's short form is a placeholder (pandoc may still be
  running, see ``briefing.citations.notes``).
- ``on_page_context`` (priority 100, before the search plugin reads the page): put the short
  forms in place of their placeholders.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from briefing.build import SITE, Build, NoteBuild
from briefing.build import of as build_of
from briefing.citations import bibtex_adapter as adapter
from briefing.citations import chicago as _chicago
from briefing.citations import notes as _notes
from briefing.citations.notes import SiteNotes
from briefing.common import mkdocs_internals
from briefing.common.log import logger
from briefing.common.order import source_label
from briefing.common.shortcodes import Expansion, Shortcode
from briefing.key_figures import attribution
from briefing.key_figures import figures as kf
from briefing.key_figures.config import NOTE_FILE

log = logger("key_figures")

PRIORITY = 0
SHORTCODE_HELP = "write <!-- key-figure: some-id --> (the figure's id) or <!-- at-a-glance -->, alone on its line"


def figures_file(build: Build, note: NoteBuild) -> Path:
    """A note's figures file: beside its index.md in a series; a plain site's, from the options."""
    config = build.config
    if note.record is not None:
        return Path(config.docs_dir) / note.key / NOTE_FILE
    return Path(config.config_file_path).resolve().parent / build.options.key_figures.file


def load_figures(state: kf.FiguresState, path: Path, base: Path) -> None:
    """Read and check one figures file into ``state``; PluginError for a file that is no figures file."""
    state.where = kf.display_path(path, base)
    state.exists = path.is_file()
    if not state.exists:
        return  # no figures; a shortcode then reports an unknown id naming the missing file
    try:
        loaded = kf.load(path.read_text(encoding="utf-8"), state.where)
    except kf.FiguresFileError as error:
        raise PluginError(f"{state.where}:{error.line}: {error}") from error
    state.order = loaded.order
    for problem in loaded.problems:
        log.warning(str(problem))
        if problem.figure:
            state.rejected.setdefault(problem.figure, problem.line)
    state.figures = {figure.id: figure for figure in loaded.figures}


@event_priority(PRIORITY)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Each note's figures (the plain site's at SITE); a note's figures.yml is not published."""
    build = build_of(config)
    base = Path(config.config_file_path).resolve().parent
    for key, note in build.notes.items():
        if key == SITE and build.series is not None:  # in a series the figures are the notes'
            note.figures.where = f"{Path(config.docs_dir).name}/<note>/{NOTE_FILE} (pages of no note have none)"
            continue
        load_figures(note.figures, figures_file(build, note), base)
        if note.record is not None and (data := files.get_file_from_path(f"{key}/{NOTE_FILE}")) is not None:
            files.remove(data)
    return files


def check_page(state: kf.FiguresState, notes: SiteNotes, src_uri: str, rel: str, source: str,
               nav_title: str | None, bib_dates: dict[str, tuple[int, int | None, int | None] | None],
               page_index: int = 0, paths: dict[str, str] | None = None) -> None:
    """Find and check the callouts of one page of a note; record in ``state`` (the note's) where
    each figure's callout stands. `notes`: the note's notes; `bib_dates`: every citation key of
    the library -> its entry's date (None: undated); `paths`: src_uri -> path shown in messages."""
    body, _meta = get_data(source)
    offset = kf.body_offset(source, body)
    shortcodes, malformed = kf.find_shortcodes(body)
    for line, text in malformed:
        log.warning(f"{rel}:{line + offset}: malformed shortcode {text!r}: {SHORTCODE_HELP}")
    groups = kf.group_callouts(body, shortcodes)
    state.groups[src_uri] = [list(group.ids) for group in groups]
    if not groups:
        return
    lines = body.splitlines()
    chapter = kf.prose(body)
    page_notes = notes.on_page(src_uri)
    title = nav_title or kf.title_of(body) or src_uri
    for group in groups:
        paragraph = group.paragraph
        paragraph_md = "\n".join(lines[paragraph[0] - 1: paragraph[1]]) if paragraph else ""
        paragraph_text = kf.prose(paragraph_md)
        file_paragraph = (paragraph[0] + offset, paragraph[1] + offset) if paragraph else (0, 0)
        for figure_id, body_line in zip(group.ids, group.lines, strict=True):
            at = f"{rel}:{body_line + offset}"
            figure = state.figures.get(figure_id)
            if figure is None:
                log.warning(f"{at}: {unknown(state, figure_id)}")
                continue
            if figure_id in state.placements:
                first = state.placements[figure_id]
                log.warning(
                    f"{at}: figure {figure_id!r} already has a callout at "
                    f"{(paths or {}).get(first.page, first.page)}:{first.line}; a figure is stated once: remove one"
                )
                continue
            defined = f"({state.where}:{figure.lines['value']})"
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
            said, note = attribution.next_note(paragraph_md, file_paragraph, page_notes, figure.value) if paragraph \
                else (None, None)
            if said is not None:
                for problem in claim_problems(state, figure, said, note, page_notes, rel, paragraph[0] + offset,
                                              paragraph_md, bib_dates):
                    log.warning(f"{at}: {problem}")
            state.placements[figure_id] = kf.Placement(
                src_uri, body_line + offset, group.anchor, note.number if note else None, title,
                (page_index, body_line + offset),
            )


def claim_problems(state: kf.FiguresState, figure: kf.Figure, said: kf.Statement, note, notes: list, rel: str,
                   paragraph_line: int, paragraph: str, bib_dates: dict) -> list[str]:
    """What the callout of `figure` would claim that the text does not: its source (the note
    whose marker next follows the figure in its paragraph, `note`, or none: the author's own
    statement), its attribution, its period and its date. Each message names the fix."""
    name = f"figure {figure.id!r} ({figure.value!r})"
    where = lambda field_name: f"{state.where}:{figure.lines.get(field_name, figure.line)}"  # noqa: E731
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


def unknown(state: kf.FiguresState, figure_id: str) -> str:
    if figure_id in state.rejected:
        line = state.rejected[figure_id]
        return f"figure {figure_id!r} is defined with errors at {state.where}:{line}: fix it there"
    if not state.exists:
        return f"unknown figure {figure_id!r}: the figures file {state.where} does not exist"
    known = ", ".join(sorted(state.figures)) or "none"
    return f"unknown figure {figure_id!r}: no figure with that id in {state.where} (known: {known})"


def source_problems(build: Build, note: NoteBuild, bib_dates: dict, bib_names: str) -> list[str]:
    """A figure's source that is no key of the library, or that the note does not cite (when
    another note does, it says which)."""
    state = note.figures
    cited_here = {key for n in note.citations.notes for key in n.keys}
    problems = []
    for figure in state.figures.values():
        at = f"{state.where}:{figure.lines['source']}"
        if figure.own:
            continue
        if figure.source not in bib_dates:
            problems.append(f"{at}: figure {figure.id!r} has source {figure.source!r}, which is not a key in "
                            f"{bib_names}: give the citation key of its source (or '{kf.AUTHOR}' for a figure the "
                            "note states itself)")
        elif note.key != SITE and figure.source not in cited_here:
            others = [other.record.where for key, other in build.notes.items()
                      if key not in (SITE, note.key) and other.record is not None
                      and any(figure.source in n.keys for n in other.citations.notes)]
            if others:
                problems.append(f"{at}: figure {figure.id!r} has source {figure.source!r}, which this note does not "
                                f"cite (only {', '.join(others)} does): a note's figure is stated in the note, with "
                                "its source cited there")
    return problems


@event_priority(PRIORITY)
def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    build = build_of(config)
    entries = adapter.bib_data(config).entries
    bib_dates = {key: _chicago.entry_date({k.lower(): str(v) for k, v in entry.fields.items()})
                 for key, entry in entries.items()}
    bib_names = ", ".join(p.name for p in adapter.bib_files(config))
    titles = {page.file.src_uri: page.title for page in nav.pages}
    paths = {file.src_uri: source_label(config, file.src_uri) for file in files.documentation_pages()}
    for note in build.notes.values():
        check_note(build, note, files, titles, paths, bib_dates, bib_names)
    return nav


def check_note(build: Build, note: NoteBuild, files: Files, titles: dict[str, str | None], paths: dict[str, str],
               bib_dates: dict, bib_names: str) -> None:
    """One note's figures against its pages: sources, each callout's paragraph, figures without one."""
    state = note.figures
    for problem in source_problems(build, note, bib_dates, bib_names):
        log.warning(problem)
    for index, src_uri in enumerate(note.pages):
        file = files.get_file_from_path(src_uri)
        title = titles.get(src_uri) or mkdocs_internals.markdown_title(file.content_string)
        check_page(state, note.citations, src_uri, paths[src_uri], file.content_string, title, bib_dates, index,
                   paths)
    for figure in state.figures.values():
        if figure.id not in state.placements:
            log.warning(
                f"{state.where}:{figure.line}: figure {figure.id!r} has no callout: add "
                f"<!-- key-figure: {figure.id} --> after the paragraph that states it"
            )


def figure_context(figure: kf.Figure, placement: kf.Placement, site: SiteNotes, page: Page, files: Files) -> dict:
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
        "source_html": None if figure.own else Markup(site.short_form_token(figure.source)),
        "source_href": _notes.href(placement.page, f"fn:{placement.note}", page, files) if placement.note else None,
        "note": placement.note,
        "href": _notes.href(placement.page, placement.anchor, page, files),
        "chapter": placement.chapter,
    }


def _line_end(markdown: str, line: int) -> int:
    """The offset of the end of ``line`` (1-based) of ``markdown``, before its newline."""
    offset = 0
    for _ in range(line - 1):
        offset = markdown.index("\n", offset) + 1
    end = markdown.find("\n", offset)
    return len(markdown) if end < 0 else end


def _groups(expansion: Expansion) -> list[kf.Group]:
    if "key_figures.groups" not in expansion.cache:
        shortcodes, _malformed = kf.find_shortcodes(expansion.markdown)
        expansion.cache["key_figures.groups"] = kf.group_callouts(expansion.markdown, shortcodes)
    return expansion.cache["key_figures.groups"]


def callout(code: Shortcode, expansion: Expansion, page: Page, config: MkDocsConfig) -> str:
    """``<!-- key-figure: id -->``: the first of a group of callouts is the group's callouts
    (the others, nothing), and the paragraph above gets its anchor."""
    if not kf.ID_RE.match(code.argument):
        return expansion.markdown[code.start:code.end]  # malformed: reported in on_nav
    build = build_of(config)
    note = build.note_of(page.file.src_uri)
    state, src = note.figures, page.file.src_uri
    groups = _groups(expansion)
    if [g.ids for g in groups] != state.groups.get(src, []):
        raise PluginError(
            f"{source_label(config, src)}: its key-figure shortcodes changed between reading the site and rendering "
            "the page (another hook edited them): run that hook after key_figures."
        )
    group = next((g for g in groups if g.ids and g.ids[0] == code.argument and g.lines[0] == code.line), None)
    if group is None:
        return ""  # shown with the first callout of its group
    shown = [figure_context(state.figures[i], state.placements[i], note.citations, page, build.citations.files)
             for i in group.ids
             if i in state.figures and i in state.placements and state.placements[i].anchor == group.anchor]
    if group.paragraph:
        expansion.insert(_line_end(expansion.markdown, group.paragraph[1]), f"\n{{: #{group.anchor} }}")
    if not shown:
        return ""
    html = build.theme.template("partials/key-figures/callouts.html").render(figures=shown).strip()
    return "\n" + html + "\n"


def glance(code: Shortcode, expansion: Expansion, page: Page, config: MkDocsConfig) -> str:
    """``<!-- at-a-glance -->``: the note's figures as cards, in reading order (or the file's)."""
    build = build_of(config)
    note = build.note_of(page.file.src_uri)
    state = note.figures
    placed = [figure for figure in state.figures.values() if figure.id in state.placements]
    if state.order == "reading":
        placed.sort(key=lambda figure: state.placements[figure.id].order)
    cards = [figure_context(figure, state.placements[figure.id], note.citations, page, build.citations.files)
             for figure in placed]
    from briefing.pictures.render import download_links  # here: briefing.pictures reads this module

    block = build.theme.template("partials/key-figures/at-a-glance.html").render(
        figures=cards, downloads=download_links(config, page)).strip()
    return "\n" + block + "\n"


@event_priority(100)  # before the search plugin (a plugin at 0) indexes the page
def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    """The sources' short forms, now that pandoc is done, where the callouts hold placeholders
    for them (the source key itself if a source has no short form)."""
    if page.content:
        site = build_of(config).note_of(page.file.src_uri).citations
        page.content = site.replace_short_form_tokens(
            page.content, lambda key, short: kf.strip_links(short) if short else str(escape(key))
        )
    return context
