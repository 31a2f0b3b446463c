"""Building sites in tests: strict in-process builds of the real site and of small fixture
sites in temporary folders. Imported by name (`from sitebuild import ...`): a module called
`conftest` is ambiguous once tests/browser/ has its own."""

from __future__ import annotations

import copy
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "afghanistan-and-pakistan-friends-or-foes.txt"

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


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record):
        self.records.append(record.getMessage())


def build(config_file: Path, site_dir: Path, strict: bool = True) -> BuildResult:
    """Build in-process like `mkdocs build --strict` (never -q) and collect its warnings."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config = load_config(str(config_file), strict=strict, site_dir=str(site_dir))
        mkdocs_build(config)
        return BuildResult(True, site_dir, handler.records)
    except (Abort, MkDocsException, SystemExit) as error:
        return BuildResult(False, site_dir, handler.records, str(error))
    finally:
        logger.removeHandler(handler)


def real_config() -> dict:
    """The project's mkdocs.yml as MkDocs reads it: ``!ENV`` tags (site_url) resolved from the
    environment, so a copy written out by ``write_config`` holds plain values."""
    from mkdocs.utils.yaml import yaml_load

    with open(ROOT / "mkdocs.yml", encoding="utf-8") as file:
        return yaml_load(file)


def pointed_at_project(config: dict) -> dict:
    """A copy of an mkdocs.yml's settings for a site in another folder that still uses this
    project's generator (the briefing plugin), theme overrides and glossary (and watches nothing)."""
    config = copy.deepcopy(config)
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    for ext in config["markdown_extensions"]:
        if isinstance(ext, dict) and "pymdownx.snippets" in ext:
            ext["pymdownx.snippets"]["base_path"] = [str(ROOT / "includes")]
    config["watch"] = []
    return config


def write_config(path: Path, config: dict) -> Path:
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def make_site(
    root: Path,
    pages: dict[str, str],
    bib: str | None = None,
    nav: list | None = None,
    **overrides,
) -> Path:
    """A small site in `root` using the project's generator, theme overrides and settings.

    pages: path under docs/ -> Markdown. bib: the .bib text (defaults to the real library).
    overrides: top-level mkdocs.yml keys to replace.
    """
    config = real_config()
    docs = root / "docs"
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    (docs / "assets").mkdir(parents=True, exist_ok=True)
    scripts = [js["path"] if isinstance(js, dict) else js for js in config.get("extra_javascript", [])]
    for css in config.get("extra_css", []) + scripts:  # the built pages link them (check_links checks)
        source = ROOT / "docs" / css
        if source.exists():
            (docs / css).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, docs / css)
    (root / "bib").mkdir(exist_ok=True)
    bib_text = bib if bib is not None else (ROOT / "bib" / "references.bib").read_text(encoding="utf-8")
    (root / "bib" / "references.bib").write_text(bib_text, encoding="utf-8")
    config = pointed_at_project(config)
    if nav is None:
        config.pop("nav", None)
    else:
        config["nav"] = nav
    config.update(overrides)
    return write_config(root / "mkdocs.yml", config)
