"""Building sites in tests: strict in-process builds of the real site and of small fixture
sites in temporary folders. Imported by name (`from sitebuild import ...`): a module called
`conftest` is ambiguous once tests/browser/ has its own."""

from __future__ import annotations

import copy
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"  # the generator's tests start from its mkdocs.yml
NOTES = MINIMAL / "notes"  # made-up notes, one folder each, for series of fixture notes
SECOND_NOTE = ROOT / "tests" / "fixtures" / "second-note"  # a placeholder note built beside Paper #2
SEED = ROOT / "tests" / "note_friends_or_foes" / "seed" / "afghanistan-and-pakistan-friends-or-foes.txt"
# A small synthetic series (bench/series.py, issue 14) with this project's mkdocs.yml: what a
# page of the 600-page series holds, at a size a test can build (tests/conftest.py's synthetic_series).
sys.path.insert(0, str(ROOT / "bench"))
import series as synthetic  # noqa: E402, F401  (imported from here by the tests)

SYNTHETIC_NOTES, SYNTHETIC_PAGES = 5, 4
PAPER = "afghanistan-and-pakistan-friends-or-foes"  # Paper #2's folder in docs/ (and its address)
# The minimal series' record: options={"series": SERIES} makes a fixture site a series.
SERIES = {"name": "A Minimal Series", "publisher": "Some University", "place": "Somewhere",
          "address": "1 Test Road, Somewhere"}

# A one-entry library for fixture sites that need a valid citation and nothing more.
ONE_ENTRY = """@article{smith2020title,
  author = {Smith, Jane},
  title = {A Title about {Pakistan}},
  journaltitle = {The Journal},
  date = {2020-01-02},
  url = {https://example.org/a},
  urldate = {2023-11-14},
}
"""


# ----------------------------------------------------------------------------- builds
@dataclass
class BuildResult:
    ok: bool
    site_dir: Path
    messages: list[str] = field(default_factory=list)  # WARNING and ERROR records of mkdocs.*
    error: str = ""

    def text(self) -> str:
        return "\n".join(self.messages + [self.error])

    def html(self, page: str = "") -> str:
        return (self.site_dir / page / "index.html").read_text(encoding="utf-8")

    def soup(self, page: str = "") -> BeautifulSoup:
        return BeautifulSoup(self.html(page), "html.parser")

    def stylesheet(self) -> str:
        """The text of the generator's one style sheet (briefing.common.theme.stylesheet)."""
        (sheet,) = (self.site_dir / "assets").glob("briefing.*.css")
        return sheet.read_text(encoding="utf-8")

    def endnotes(self, page: str = "") -> dict[str, str]:
        """A page's numbered notes, number -> text (spaces collapsed), without their links back."""
        found = {}
        for li in self.soup(page).select("div.briefing-notes li"):
            for a in li.select("a.note-link, a.footnote-backref"):
                a.decompose()
            found[li["value"]] = words(li.get_text(""))
        return found


def words(text: str) -> str:
    """Text with its runs of white space as single spaces."""
    return " ".join(text.split())


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record):
        self.records.append(record.getMessage())


def build(config_file: Path, site_dir: Path, strict: bool = True, command: str = "build") -> BuildResult:
    """Build in-process like `mkdocs build --strict` (never -q) and collect its warnings; the
    plugins' startup and shutdown events run around it as the `mkdocs` command runs them
    (``command="serve"``: as one build of `mkdocs serve`)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config = load_config(str(config_file), strict=strict, site_dir=str(site_dir))
        config.plugins.on_startup(command=command, dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
        return BuildResult(True, site_dir, handler.records)
    except (Abort, MkDocsException, SystemExit) as error:
        return BuildResult(False, site_dir, handler.records, str(error))
    finally:
        logger.removeHandler(handler)


def read_config(path: Path) -> dict:
    """An mkdocs.yml as MkDocs reads it: ``!ENV`` tags (site_url) resolved from the environment,
    so a copy written out by ``write_config`` holds plain values."""
    from mkdocs.utils.yaml import yaml_load

    with open(path, encoding="utf-8") as file:
        return yaml_load(file)


def real_config() -> dict:
    """The real site's mkdocs.yml (for Paper #2's own tests and the benches)."""
    return read_config(ROOT / "mkdocs.yml")


def paper_publication():
    """Paper #2's Publication as the real site's build makes it (its record, the series', the options)."""
    from mkdocs.config import load_config

    from briefing.publication.record import from_note
    from briefing.series.record import parse
    from briefing.series.render import series_record

    config = load_config(str(ROOT / "mkdocs.yml"))
    options = config.plugins["briefing"].config
    record, problems = parse((ROOT / "docs" / PAPER / "index.md").read_text(encoding="utf-8"), PAPER,
                             f"docs/{PAPER}/index.md")
    assert record is not None and problems == [], problems
    return from_note(record, series_record(config, options.series), options.publication)


def real_with_second_note(root: Path) -> Path:
    """A copy of the real site in ``root`` with the fixture second note beside Paper #2
    (tests/fixtures/second-note/: its folder under docs/, its entries added to the library);
    returns its mkdocs.yml."""
    import shutil

    shutil.copytree(ROOT / "docs", root / "docs")
    shutil.copytree(SECOND_NOTE / "docs", root / "docs", dirs_exist_ok=True)
    (root / "bib").mkdir()
    bib = (ROOT / "bib" / "references.bib").read_text(encoding="utf-8")
    extra = (SECOND_NOTE / "references.bib").read_text(encoding="utf-8")
    (root / "bib" / "references.bib").write_text(bib + "\n" + extra, encoding="utf-8")
    shutil.copy(ROOT / "CITATION.cff", root / "CITATION.cff")
    return write_config(root / "mkdocs.yml", pointed_at_project(real_config()))


def minimal_config() -> dict:
    """The minimal note's mkdocs.yml, which the generator's fixture sites start from."""
    return read_config(MINIMAL / "mkdocs.yml")


def plugin_options(config: dict, name: str = "briefing") -> dict:
    """The options of plugin ``name`` in an mkdocs.yml's settings (the dict itself, to edit)."""
    for index, item in enumerate(config["plugins"]):
        if item == name:
            config["plugins"][index] = {name: {}}
            return config["plugins"][index][name]
        if isinstance(item, dict) and name in item:
            if item[name] is None:
                item[name] = {}
            return item[name]
    raise KeyError(f"no plugin {name!r} in {config['plugins']!r}")


def merged(base: dict, changes: dict) -> dict:
    """``base`` with ``changes`` merged in, mapping by mapping; a value of None removes the key."""
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def with_options(config: dict, options: dict | None) -> dict:
    """A copy of the settings with ``options`` merged into the briefing plugin's options."""
    config = copy.deepcopy(config)
    if options:
        target = plugin_options(config)
        replaced = merged(target, options)
        target.clear()
        target.update(replaced)
    return config


def pointed_at_project(config: dict) -> dict:
    """A copy of the real mkdocs.yml's settings for a copy of the note in another folder (the
    benches): the glossary read from this project, nothing watched."""
    config = copy.deepcopy(config)
    for ext in config["markdown_extensions"]:
        if isinstance(ext, dict) and "pymdownx.snippets" in ext:
            ext["pymdownx.snippets"]["base_path"] = [str(ROOT / "includes")]
    config["watch"] = []
    return config


def write_config(path: Path, config: dict) -> Path:
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def note_pages(*folders: str, changes: dict[str, str] | None = None) -> dict[str, str]:
    """The pages of fixture notes (tests/fixtures/minimal/notes/<folder>/), as make_site takes
    them ("first-note/index.md" -> Markdown); ``changes`` replaces or adds pages (None drops one)."""
    pages = {}
    for folder in folders or ("first-note",):
        for path in sorted((NOTES / folder).rglob("*")):
            if path.is_file():
                pages[path.relative_to(NOTES).as_posix()] = path.read_text(encoding="utf-8")
    for name, text in (changes or {}).items():
        if text is None:
            pages.pop(name, None)
        else:
            pages[name] = text
    return pages


NOTE = "note"  # the folder of as_note's note
RECORD = {"title": "A Minimal Note",
          "authors": [{"honorific": "Dr", "given": "Jane", "family": "Smith",
                       "affiliation": "Centre for Testing, Some University"}],
          "number": 1, "date": "2024-02"}


def as_note(pages: dict[str, str], folder: str = NOTE, **record) -> dict[str, str]:
    """Pages written as for a site of plain pages, made one note of a series: each under
    ``folder``, its index.md's front matter holding the record (``RECORD`` with ``record``
    merged in; its chapters: the other pages, in the given order) and, when it has none, an
    abstract at the end. Pair with series_options()."""
    from mkdocs.utils.meta import get_data

    home = pages.get("index.md", "# A Minimal Note\n\n## Abstract\n\nA note.\n")
    body, meta = get_data(home)
    if "## Abstract" not in body:  # a note gives its abstract
        body = body.rstrip("\n") + "\n\n## Abstract\n\nA note.\n"
    chapters = [name for name in pages if name != "index.md" and name.endswith(".md")]
    meta["note"] = {**RECORD, "chapters": chapters, **record}
    out = {f"{folder}/index.md": "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n\n"
           + body}
    out.update({f"{folder}/{name}": text for name, text in pages.items() if name != "index.md"})
    return out


def series_options(**changes) -> dict:
    """The briefing plugin's options for a series of fixture notes (``changes`` under series:)."""
    return {"series": {**SERIES, **changes}}


def make_site(
    root: Path,
    pages: dict[str, str],
    bib: str | None = None,
    nav: list | None = None,
    options: dict | None = None,
    **overrides,
) -> Path:
    """A small site in `root`, from the minimal note's settings (tests/fixtures/minimal/).

    pages: path under docs/ -> Markdown. bib: the .bib text (defaults to the minimal note's
    three entries). nav: the nav (default: none, pages in file order). options: merged into
    the briefing plugin's options (``{"publication": {"pdf": True}}``; None removes a key).
    overrides: top-level mkdocs.yml keys to replace.
    """
    config = with_options(minimal_config(), options)
    docs = root / "docs"
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    docs.mkdir(parents=True, exist_ok=True)
    (root / "bib").mkdir(exist_ok=True)
    bib_text = bib if bib is not None else (MINIMAL / "bib" / "references.bib").read_text(encoding="utf-8")
    (root / "bib" / "references.bib").write_text(bib_text, encoding="utf-8")
    if nav is None:
        config.pop("nav", None)
    else:
        config["nav"] = nav
    config.update(overrides)
    return write_config(root / "mkdocs.yml", config)
