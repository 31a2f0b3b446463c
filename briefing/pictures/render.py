"""A note's pictures and data: its timeline, its charts and its data downloads (issue 15),
each derived from the note's text and checked against it; the author's paragraphs stay as
they are (a timeline event's paragraph gets an empty mark to link to, nothing else).

Authors write ``<!-- timeline -->`` where a page shows the timeline (the note's home page) and
``<!-- chart: some-id -->`` where a chart stands, each alone on its line (shortcodes, expanded
by the plugin's dispatcher: ``timeline`` and ``chart`` here). The data files sit beside the
note's figures file: in a series ``docs/<note>/timeline.yml`` and ``charts.yml`` beside its
index.md (each optional; names in ``briefing: pictures:``), in a site of plain pages beside
``briefing: key_figures: file:``. Each note's state is its ``NoteBuild.pictures``
(``briefing.pictures.state``); a timeline event's ``page`` is a file of its own note.

Events, at priority 0 after the key figures' unless said:
- ``on_files``: read and check each note's files (the notes are known: the series' on_files
  runs at 100); a note's data files are not published as they are.
- ``on_nav``: after the citations (100) and the key figures (0): find the paragraph each
  event points at, check its date and its source by the key figures' rule
  (``briefing.key_figures.attribution``); check each chart's bars against the note's figures
  (known figures, numbers, one measure and one unit) and draw it (Vega-Lite to SVG); find the
  shortcodes of every page of the note.
- The shortcodes ``timeline`` and ``chart`` (``timeline``, ``chart``): from the templates in
  ``templates/``.
- ``on_page_content``: the mark at the start of each event's paragraph.
- ``on_page_context`` (100, after the citations put the notes in, before search indexes):
  the texts of the notes the timeline and the charts repeat, and the sources' short forms.
- ``on_post_build``: write each note's data downloads (CSV, JSON, ``datapackage.json``) into
  ``data/`` under the note's folder (a site of plain pages: ``data/`` at its root).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

from briefing.build import SITE, Build, NoteBuild
from briefing.build import of as build_of
from briefing.citations import bibtex_adapter as adapter
from briefing.citations import library as lib
from briefing.citations import notes as _notes
from briefing.citations import render as citations
from briefing.common.log import logger
from briefing.common.order import source_label
from briefing.common.shortcodes import Expansion, Shortcode
from briefing.key_figures import attribution
from briefing.key_figures import figures as kf
from briefing.key_figures import render as key_figures
from briefing.pictures import charts as ch
from briefing.pictures import downloads as dl
from briefing.pictures import quantities as q
from briefing.pictures import timeline as tl
from briefing.pictures.records import FiguresFileError
from briefing.pictures.state import NotePictures, PlacedEvent

log = logger("pictures")

TIMELINE_RE = re.compile(r"^[ \t]{0,3}<!--[ \t]*timeline[ \t]*-->[ \t]*$")
TIMELINE_LOOKALIKE_RE = re.compile(r"<!--\s*time[\s_-]*line\b[^\n]*?(?:-->|$)", re.I)
# A note the timeline or a chart repeats on a page that does not hold it: its text goes in at
# on_page_context (pandoc may still be running at on_page_markdown).
_COPY_OPEN, _COPY_CLOSE = "\ue007", "\ue008"


def pictured(build: Build) -> list[NoteBuild]:
    """The notes that may have pictures: every note of a series; a plain site's pages (SITE)."""
    return [note for key, note in build.notes.items() if key != SITE or build.series is None]


def note_folder(note: NoteBuild) -> str:
    """The note's folder in the site ("" for a site of plain pages), with its slash."""
    return f"{note.key}/" if note.key != SITE else ""


def _display(config: MkDocsConfig, path: Path) -> str:
    return kf.display_path(path, Path(config.config_file_path).resolve().parent)


def load_pictures(pictures: NotePictures, folder: Path, config: MkDocsConfig, timeline_name: str,
                  charts_name: str) -> None:
    """Read and check a note's timeline and charts files (either may be absent) into ``pictures``."""
    pictures.folder = folder
    for name, loader, kind in ((timeline_name, tl.load, "timeline"), (charts_name, ch.load, "charts")):
        path = folder / name
        if not path.is_file():
            continue
        where = _display(config, path)
        try:
            loaded, problems = loader(path.read_text(encoding="utf-8"), where)
        except FiguresFileError as error:
            raise PluginError(f"{where}:{error.line}: {error}") from error
        for problem in problems:
            log.warning(str(problem))
        if kind == "timeline":
            pictures.timeline_where, pictures.events = where, loaded
        else:
            pictures.charts_where, pictures.charts = where, {chart.id: chart for chart in loaded}


@event_priority(0)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Each note's timeline and charts (after the key figures: the same folder); in a series a
    note's data files are not published as they are (the downloads are made from them)."""
    build = build_of(config)
    options = build.options.pictures
    for note in pictured(build):
        folder = key_figures.figures_file(build, note).parent
        load_pictures(note.pictures, folder, config, options.timeline, options.charts)
        if note.record is not None:
            for name in (options.timeline, options.charts):
                if (data := files.get_file_from_path(f"{note.key}/{name}")) is not None:
                    files.remove(data)
    return files


# ----------------------------------------------------------------------------- on_nav: checks
def check_event(event: tl.Event, body: str, offset: int, notes: list, rel: str, where: str,
                bib_keys) -> tuple[tl.Paragraph | None, _notes.Note | None, list[str]]:
    """The paragraph an event points at, the note that sources it, and what is wrong (each
    message naming the timeline file's line or the page's)."""
    at = f"{where}:{event.lines.get('date', event.line)}"
    name = f"event {event.id!r} ({event.date!r})"
    paragraph, why = tl.find_paragraph(tl.paragraphs(body), event.date, event.paragraph)
    if paragraph is None:
        return None, None, [f"{where}:{event.lines.get('paragraph', event.lines['date'])}: {name}: {why} in {rel}"]
    problems = [f"{at}: {name}: {problem}" for problem in tl.date_problems(event.date, event.when)]
    lines = (paragraph.first + offset, paragraph.last + offset)
    said, note = attribution.next_note(paragraph.markdown, lines, notes, event.date)
    if said is None:  # stated, but not where a marker can be told (inside a link's address...)
        return paragraph, None, problems + [f"{at}: {name}: the paragraph at {rel}:{lines[0]} does not state it"]
    source_at = f"{where}:{event.lines['source']}"
    if event.source != kf.AUTHOR and event.source not in bib_keys:
        problems.append(f"{source_at}: {name} has source {event.source!r}, which is not a citation key of the "
                        f"library: give the key of the note that next follows the date, or '{kf.AUTHOR}'")
    elif tl.in_quotation(paragraph.markdown, event.date):
        note = None  # a date stated only in quoted words: the note after them cites the quotation
        if event.source != kf.AUTHOR:
            problems.append(f"{source_at}: {name} is stated only inside a quotation in {rel}:{lines[0]}: the note "
                            f"after it cites the quoted words, not the date; write 'source: {kf.AUTHOR}'")
    else:
        problems += [f"{source_at}: {problem}" for problem in attribution.source_problems(
            name, event.source, source_at, note, notes, rel, lines[0], bib_keys)]
    if event.attribution and not kf.states(paragraph.markdown, event.attribution):
        problems.append(f"{where}:{event.lines['attribution']}: {name} has attribution {event.attribution!r}, "
                        f"which the paragraph ({rel}:{lines[0]}) does not say: give it in the text's words")
    cue = kf.attribution_cue(said.sentence)
    if cue and not event.attribution:
        problems.append(f"{at}: the text gives {name} to someone ({cue!r}: {said.sentence[:90]!r}...): add "
                        "'attribution:' with its words, so the timeline says who states it")
    return paragraph, note, problems


def section_of(body: str, line: int) -> str | None:
    """The text of the last heading before ``line`` of a page's body, if any."""
    headings = [m for m in re.finditer(r"^#{1,6}[ \t]+(.+?)[ \t#]*(?:\{[^}]*\})?[ \t]*$", kf.mask_code(body), re.M)
                if body.count("\n", 0, m.start()) + 1 < line]
    return headings[-1].group(1).strip() if headings else None


def _check_events(pictures: NotePictures, note: NoteBuild, pages: dict, titles: dict, config: MkDocsConfig,
                  bib_keys) -> None:
    folder = note_folder(note)
    for event in pictures.events:
        file = pages.get(event.page)
        if file is None:
            known = ", ".join(sorted(pages))
            log.warning(f"{pictures.timeline_where}:{event.lines['page']}: event {event.id!r}: no page {event.page!r} "
                        f"under {Path(config.docs_dir).name}/{folder} (pages: {known})")
            continue
        source = file.content_string
        body, _meta = get_data(source)
        offset = kf.body_offset(source, body)
        rel = source_label(config, file.src_uri)
        paragraph, source_note, problems = check_event(event, body, offset, note.citations.on_page(file.src_uri),
                                                       rel, pictures.timeline_where, bib_keys)
        for problem in problems:
            log.warning(problem)
        if paragraph is not None and not problems:
            title = titles.get(file.src_uri) or kf.title_of(body) or file.src_uri
            if file.src_uri == pictures.home:  # the home page's name says less than its section ("Abstract")
                title = section_of(body, paragraph.first) or title
            placed = PlacedEvent(event, file.src_uri, tl.prefix_of(paragraph), source_note, title)
            pictures.placed[event.id] = placed
            pictures.marks.setdefault(file.src_uri, []).append((event.anchor, placed.prefix))


def _check_charts(pictures: NotePictures, figures: kf.FiguresState, svg_cache: Path | None = None) -> None:
    for chart in pictures.charts.values():
        points, problems = ch.check(chart, figures.figures, pictures.charts_where, figures.where)
        for problem in problems:
            log.warning(problem)
        if problems or not points:
            continue
        pictures.points[chart.id] = points
        try:
            svg = ch.render_svg(ch.spec(chart, points), svg_cache)
        except Exception as error:  # vl-convert reports a bad specification as a ValueError
            raise PluginError(f"{pictures.charts_where}:{chart.line}: chart {chart.id!r} could not be drawn: {error}") \
                from error
        pictures.svgs[chart.id] = ch.accessible_svg(svg, chart.id, chart.title, chart.description)


def _find_shortcodes(pictures: NotePictures, file, rel: str, config: MkDocsConfig) -> None:
    source = file.content_string
    body, _meta = get_data(source)
    offset = kf.body_offset(source, body)
    masked = kf.mask_code(body).splitlines()
    pictures.scanned.add(file.src_uri)
    for number, line in enumerate(masked, start=1):
        if TIMELINE_RE.match(line):
            if pictures.timeline_page is not None:
                log.warning(f"{rel}:{number + offset}: a second <!-- timeline --> (the first is on "
                            f"{pictures.timeline_page}): show the timeline once")
            elif not pictures.timeline_where:
                log.warning(f"{rel}:{number + offset}: <!-- timeline --> but no timeline file: write "
                            f"{_expected(pictures, config, 'timeline')} (README: 'Add a timeline event')")
            else:
                pictures.timeline_page = file.src_uri
        elif "<!--" in line and TIMELINE_LOOKALIKE_RE.search(line) and not TIMELINE_RE.match(line):
            log.warning(f"{rel}:{number + offset}: malformed shortcode {line.strip()!r}: write <!-- timeline --> "
                        "alone on its line")
    found, malformed = ch.find_shortcodes(body)
    for number, text in malformed:
        log.warning(f"{rel}:{number + offset}: malformed shortcode {text!r}: write <!-- chart: some-id --> "
                    "(an id of the charts file) alone on its line")
    for number, chart_id in found:
        if chart_id not in pictures.charts:
            known = ", ".join(sorted(pictures.charts)) or "none"
            log.warning(f"{rel}:{number + offset}: unknown chart {chart_id!r}: no chart with that id in "
                        f"{pictures.charts_where or _expected(pictures, config, 'charts')} (known: {known})")
        elif chart_id in pictures.chart_pages:
            page, line = pictures.chart_pages[chart_id]
            log.warning(f"{rel}:{number + offset}: chart {chart_id!r} is already shown at {page}:{line}: show it once")
        else:
            pictures.chart_pages[chart_id] = (rel, number + offset)


def _expected(pictures: NotePictures, config: MkDocsConfig, kind: str) -> str:
    """Where the note's timeline or charts file would be, as messages name it."""
    options = build_of(config).options.pictures
    return _display(config, pictures.folder / (options.timeline if kind == "timeline" else options.charts))


@event_priority(0)
def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    build = build_of(config)
    bib_keys = set(adapter.bib_data(config).entries)
    titles = {page.file.src_uri: page.title for page in nav.pages}
    for note in pictured(build):
        check_note(note, files, titles, config, bib_keys)
    return nav


def check_note(note: NoteBuild, files: Files, titles: dict[str, str | None], config: MkDocsConfig,
               bib_keys: set[str]) -> None:
    """One note's timeline and charts against its pages and figures; each shown somewhere."""
    pictures, folder = note.pictures, note_folder(note)
    ordered = [files.get_file_from_path(src) for src in note.pages]
    pages = {file.src_uri.removeprefix(folder): file for file in ordered}  # as the timeline names them
    pictures.home = note.home or (ordered[0].src_uri if ordered else None)
    _check_events(pictures, note, pages, titles, config, bib_keys)
    _check_charts(pictures, note.figures, Path(config.config_file_path).resolve().parent / ".cache" / "plugin"
                  / "charts")
    for file in ordered:
        _find_shortcodes(pictures, file, source_label(config, file.src_uri), config)
    if pictures.events and pictures.timeline_page is None:
        log.warning(f"{pictures.timeline_where}:1: the timeline is shown nowhere: add <!-- timeline --> on its "
                    "own line to the note's home page")
    for chart in pictures.charts.values():
        if chart.id not in pictures.chart_pages:
            log.warning(f"{pictures.charts_where}:{chart.line}: chart {chart.id!r} is shown nowhere: add "
                        f"<!-- chart: {chart.id} --> where it belongs (after the paragraph that states its "
                        "figures)")


# ----------------------------------------------------------------------------- rendering
class NoteRefs:
    """The note markers of a block (the timeline, a chart's caption) on one page: a marker of
    a note on that page links to it; a note held by another page is repeated in the block's
    own list of notes (``div.footnote``, as the page's notes are), so that notes.js shows it
    beside or in place as it shows the text's. On paper each marker is a cross-reference to
    the note where the chapter prints it (``data-paper-href``)."""

    def __init__(self, block: str, page: Page, files: Files):
        self.block, self.page, self.files = block, page, files
        self.repeated: list[_notes.Note] = []

    def marker(self, note: _notes.Note | None) -> Markup:
        if note is None:
            return Markup("")
        here = note.page == self.page.file.src_uri
        if not here and note not in self.repeated:
            self.repeated.append(note)
        href = f"#fn:{note.number}" if here else f"#{self.block}-fn:{note.number}"
        paper = _notes.href(note.page, f"fn:{note.number}", self.page, self.files)
        return Markup('<sup class="note-ref" data-cites="{}"><a class="footnote-ref" href="{}" role="doc-noteref" '
                      'aria-label="Note {}" data-paper-href="{}">{}</a></sup>').format(
            " ".join(note.keys), href, note.number, paper, note.number)

    def notes(self) -> list[dict]:
        return [{"number": note.number, "id": f"{self.block}-fn:{note.number}",
                 "token": Markup(lib.numbered_token(note.number, _COPY_OPEN, _COPY_CLOSE))}
                for note in sorted(self.repeated, key=lambda n: n.number)]


def download_links(config: MkDocsConfig, page: Page) -> list[dict]:
    """The data downloads of ``page``'s note, as links from ``page`` (none when the build writes
    none: downloads off, or a page of no note)."""
    build = build_of(config)
    note = build.note_of(page.file.src_uri)
    if not build.options.pictures.downloads or (note.key == SITE and build.series is not None):
        return []
    folder = note_folder(note) + dl.FOLDER
    names = [("Key figures", "key-figures"), ("Timeline", "timeline")]
    links = [{"text": f"{title} ({fmt.upper()})", "href": get_relative_url(f"{folder}/{name}.{fmt}", page.file.url),
              "type": "text/csv" if fmt == "csv" else "application/json"}
             for title, name in names for fmt in ("csv", "json")]
    links.append({"text": "Data package (datapackage.json)", "type": "application/json",
                  "href": get_relative_url(f"{folder}/datapackage.json", page.file.url)})
    return links


def event_context(placed: PlacedEvent, page: Page, files: Files, refs: NoteRefs, previous: tl.Event | None,
                  site: _notes.SiteNotes) -> dict:
    event = placed.event
    return {
        "id": event.id,
        "date_html": tl.date_html(event.date, event.when),
        "label": event.label,
        "attribution": event.attribution,
        "own": placed.note is None,
        "marker": refs.marker(placed.note),
        "source_html": None if placed.note is None else Markup(site.short_form_token(event.source)),
        "href": _notes.href(placed.page, event.anchor, page, files),
        "chapter": placed.chapter,
        "gap": gap(previous, event),
    }


def gap(previous: tl.Event | None, event: tl.Event) -> int:
    """How far the time axis sets an event below the one before: 0 (the same year) to 4 (more
    than ten years later), so that the spacing reads as time."""
    if previous is None:
        return 0
    years = int(event.start[:4]) - int(previous.start[:4])
    return 0 if years <= 0 else 1 if years <= 2 else 2 if years <= 5 else 3 if years <= 10 else 4


def timeline_html(note: NoteBuild, page: Page, config: MkDocsConfig, files: Files) -> str:
    pictures = note.pictures
    placed = [pictures.placed[e.id] for e in tl.sorted_events(pictures.events) if e.id in pictures.placed]
    refs = NoteRefs("timeline", page, files)
    events, previous = [], None
    for item in placed:
        events.append(event_context(item, page, files, refs, previous, note.citations))
        previous = item.event
    pictures.copies.setdefault(page.file.src_uri, []).extend(refs.repeated)
    template = build_of(config).theme.template("partials/pictures/timeline.html")
    return template.render(events=events, notes=refs.notes(), downloads=download_links(config, page)).strip()


def chart_context(chart: ch.Chart, points: list[ch.Point], svg: str, page: Page, files: Files,
                  note: NoteBuild) -> dict:
    placements, site = note.figures.placements, note.citations
    refs = NoteRefs(f"chart-{chart.id}", page, files)
    rows, sources = [], {}
    for point in points:
        placement = placements.get(point.figure.id)
        found = next((n for n in site.on_page(placement.page) if n.number == placement.note), None) \
            if placement and placement.note else None
        if found is not None:
            sources.setdefault(found.number, {"note": found, "key": point.figure.source})
        rows.append({"group": point.bar.group, "bar": point.bar.bar, "words": point.figure.value,
                     "number": q.formatted(point.quantity), "value": point.quantity.integer,
                     "qualifier": point.quantity.qualifier, "period": point.figure.period,
                     "own": found is None, "note": found.number if found else None,
                     "href": _notes.href(placement.page, placement.anchor, page, files) if placement else None,
                     "chapter": placement.chapter if placement else ""})
    cited = [{"marker": refs.marker(s["note"]), "source_html": Markup(site.short_form_token(s["key"]))}
             for _number, s in sorted(sources.items())]
    return {"id": chart.id, "title": chart.title, "description": chart.description, "caption": chart.caption,
            "mixed": chart.mixed, "svg": Markup(svg), "rows": rows, "sources": cited,
            "own": any(row["own"] for row in rows), "notes": refs.notes(), "refs": refs,
            "approximate": any(p.quantity.approximate for p in points)}


def _of_no_note(code: Shortcode, expansion: Expansion, pictures: NotePictures, page: Page) -> bool:
    """A picture's shortcode on a page whose note on_nav did not read (a page of no note)."""
    if page.file.src_uri in pictures.scanned:
        return False
    expansion.problem(code, f"{code.text} on a page of no note: a timeline or a chart stands on a page of the "
                            "note whose files hold it")
    return True


def timeline(code: Shortcode, expansion: Expansion, page: Page, config: MkDocsConfig) -> str:
    """``<!-- timeline -->``: the note's timeline, on the one page that shows it."""
    build = build_of(config)
    note = build.note_of(page.file.src_uri)
    if code.argument:
        return expansion.markdown[code.start:code.end]  # malformed: reported in on_nav
    if _of_no_note(code, expansion, note.pictures, page) or note.pictures.timeline_page != page.file.src_uri:
        return ""
    return "\n" + timeline_html(note, page, config, build.citations.files) + "\n"


def chart(code: Shortcode, expansion: Expansion, page: Page, config: MkDocsConfig) -> str:
    """``<!-- chart: id -->``: the chart, where the note's text places it."""
    build = build_of(config)
    note = build.note_of(page.file.src_uri)
    pictures, chart_id = note.pictures, code.argument
    if not ch.SHORTCODE_RE.match(expansion.markdown[code.start:code.end]):
        return expansion.markdown[code.start:code.end]  # malformed: reported in on_nav
    if _of_no_note(code, expansion, pictures, page):
        return ""
    if chart_id not in pictures.svgs or pictures.chart_pages.get(chart_id, ("", 0))[0] != source_label(
            config, page.file.src_uri):
        return ""  # reported in on_nav
    context = chart_context(pictures.charts[chart_id], pictures.points[chart_id], pictures.svgs[chart_id], page,
                            build.citations.files, note)
    pictures.copies.setdefault(page.file.src_uri, []).extend(context["refs"].repeated)
    return "\n" + build.theme.template("partials/pictures/chart.html").render(chart=context).strip() + "\n"


@event_priority(0)
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The mark each event links to, at the start of the paragraph that states it."""
    marks = build_of(config).note_of(page.file.src_uri).pictures.marks.get(page.file.src_uri)
    if not marks:
        return html
    html, missing = tl.mark_paragraphs(html, marks)
    for anchor in missing:
        log.warning(f"{source_label(config, page.file.src_uri)}: the paragraph of timeline event "
                    f"{anchor.removeprefix('when-')!r} was not found in the rendered page (another hook changed it)")
    return html


@event_priority(100)  # after the citations' notes (100, earlier in the plugin), before search (0) indexes
def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    """The repeated notes' texts (with the links the page's own notes have) and the short forms."""
    if not page.content:
        return context
    build = build_of(config)
    note = build.note_of(page.file.src_uri)
    site = note.citations
    copies = {n.number: n for n in note.pictures.copies.get(page.file.src_uri, [])}
    if copies:
        files = build.citations.files

        def text(number: int) -> str:
            found = copies[number]
            links = "".join(str(Markup(' <a class="note-link" href="{}" aria-label="{}">{}</a>').format(
                link["href"], link["label"], link["text"])) for link in citations.note_links(found, site, page, files))
            return found.html + links

        page.content = lib.replace_numbered_tokens(page.content, _COPY_OPEN, _COPY_CLOSE, text)
    page.content = site.replace_short_form_tokens(
        page.content, lambda key, short: kf.strip_links(short) if short else str(escape(key)))
    return context


# ----------------------------------------------------------------------------- downloads
def figure_rows(note: NoteBuild, files: Files, site_url: str) -> list[dict]:
    figures, placements = note.figures.figures, note.figures.placements
    ordered = sorted((f for f in figures.values() if f.id in placements), key=lambda f: placements[f.id].order)
    rows = []
    for figure in ordered:
        placement = placements[figure.id]
        quantity = q.parse(figure.value)
        rows.append({
            "id": figure.id, "value": figure.value, "label": figure.label, "measure": figure.measure,
            "number": quantity.integer if quantity else None, "unit": quantity.unit if quantity else None,
            "qualifier": quantity.qualifier if quantity else None, "period": figure.period,
            "attribution": figure.attribution, "as_of": figure.as_of, "source_key": figure.source,
            "source_note": placement.note,
            "source": _plain_short_form(note, figure.source) if placement.note else None,
            "chapter": placement.chapter, "url": _page_url(files, site_url, placement.page, placement.anchor),
        })
    return rows


def event_rows(note: NoteBuild, files: Files, site_url: str) -> list[dict]:
    pictures = note.pictures
    rows = []
    for event in tl.sorted_events(pictures.events):
        placed = pictures.placed.get(event.id)
        if placed is None:
            continue
        rows.append({
            "id": event.id, "date": event.date, "start": event.start, "end": event.end, "label": event.label,
            "attribution": event.attribution, "source_key": event.source,
            "source_note": placed.note.number if placed.note else None,
            "source": _plain_short_form(note, event.source) if placed.note else None, "chapter": placed.chapter,
            "url": _page_url(files, site_url, placed.page, event.anchor),
        })
    return rows


def _plain_short_form(note: NoteBuild, key: str) -> str:
    return lib.strip_tags(note.citations.short_forms.get(key, key))


def _page_url(files: Files, site_url: str, src_uri: str, anchor: str) -> str:
    file = files.get_file_from_path(src_uri)
    return f"{site_url}{file.url}#{anchor}" if site_url else f"{file.url}#{anchor}"


def _sources(rows: list[dict], note: NoteBuild, config: MkDocsConfig) -> list[dl.Source]:
    urls = citations.entry_urls(config)
    keys = list(dict.fromkeys(row["source_key"] for row in rows if row.get("source_note")))
    return [dl.Source(_plain_short_form(note, key), citations.url_of(urls, key) or "") for key in keys]


def write_downloads(note: NoteBuild, config: MkDocsConfig, files: Files) -> None:
    """One note's data downloads: its key figures and its timeline, as CSV and JSON, and the
    data package that describes them, in ``data/`` under the note's folder."""
    pub = note.publication
    site_url = pub.site_url if pub is not None else (config.site_url or "")
    note_url = pub.url if pub is not None else site_url
    figure_data, event_data = figure_rows(note, files, site_url), event_rows(note, files, site_url)
    if not figure_data and not event_data:
        return
    folder = Path(config.site_dir) / note_folder(note) / dl.FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("key-figures", figure_data), ("timeline", event_data)):
        columns = dl.TABLES[name]
        (folder / f"{name}.csv").write_text(dl.to_csv(rows, columns), encoding="utf-8", newline="")
        (folder / f"{name}.json").write_text(dl.to_json(rows, columns), encoding="utf-8")
    title = pub.title if pub is not None else config.site_name
    package = dl.datapackage(
        name=(pub.slug if pub is not None else "note") + "-data", title=title, note_url=note_url,
        author=pub.author_display if pub is not None else (config.site_author or ""),
        date=pub.date_text if pub is not None else "", rights=pub.rights if pub is not None else None,
        sources=[dl.Source(title, note_url), *_sources(figure_data + event_data, note, config)])
    (folder / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n",
                                             encoding="utf-8")


def on_post_build(config: MkDocsConfig) -> None:
    """Every note's data downloads (before the link check reads the site)."""
    build = build_of(config)
    if not build.options.pictures.downloads:
        return
    for note in pictured(build):
        write_downloads(note, config, build.citations.files)
