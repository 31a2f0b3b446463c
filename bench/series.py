"""A synthetic series of notes, written to the series' contract (README "Add a note"), for the
benchmarks and the tests of series-scale behaviour: deterministic (the same options give the
same bytes), built with no network, PDFs off unless asked.

``generate(root, notes=50, pages=12, entries=2000)`` writes under ``root``:
- ``docs/<slug>/index.md`` for each note: its ``note:`` record (title, authors with given,
  family and affiliation, number, date, chapters), its title and byline, its abstract under
  ``## Abstract`` and a summary; then ``pages - 1`` chapters ``docs/<slug>/chapter-NN.md``.
  Every page of a note (its index.md too) holds ``per_page`` sentences of distinct text, each
  ending in a citation of the shared library: ``pages x per_page`` citations a note;
- ``docs/<slug>/figures.yml``: one key figure a note, stated (and cited) by the first
  chapter's first paragraph and shown there as a callout;
- ``bib/references.bib``: the shared library of ``entries`` entries;
- ``mkdocs.yml``: the project's own configuration (or ``base``), without its note-specific
  parts (``moved:`` addresses), its PDFs off unless ``pdf=True``.

Each note's text holds a word of its own (``note_word``), so a test can search for a word only
the last note holds. ``stock_config`` writes the baseline of issue 14 beside it: the same docs
with stock Material (the theme, its search, the same Markdown extensions; no generator, no
bibtex plugin).

Usage: python bench/series.py OUT [--notes N] [--pages N] [--entries N] [--pdf] [--stock]
"""

from __future__ import annotations

import argparse
import copy
import random
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = 2023
PREVIEW_ENV = "BRIEFING-NOTE-FROM-THE-ENVIRONMENT"  # written as mkdocs.yml's !ENV [BRIEFING_NOTE, ""]
WORDS = ("security policy border migration region government militant refugee talks tension economy province "
         "agreement report analysis capital neighbour influence support trade river valley council treaty "
         "delegation frontier harvest market season census survey district ministry envoy mandate corridor "
         "customs crossing tribal court election budget drought relief convoy network").split()
GIVEN = ("Amina", "Bilal", "Clara", "Dawood", "Elena", "Farid", "Grace", "Hamid", "Irene", "Jawad")
FAMILY = ("Rahimi", "Okafor", "Lindqvist", "Siddiqui", "Moreau", "Baheer", "Tanaka", "Qureshi", "Novak", "Ferreira")


def letters(number: int, width: int = 3) -> str:
    """``number`` in base 26 as lower-case letters (0 -> 'aaa'), so it reads as one word."""
    out = ""
    for _ in range(width):
        number, digit = divmod(number, 26)
        out = chr(ord("a") + digit) + out
    return out


def note_word(index: int) -> str:
    """A word that only note ``index`` (from 0) holds: its text has it, no other note's does."""
    return f"zelkova{letters(index)}"


def slug(index: int) -> str:
    return f"note-{index + 1:03d}"


def key(entry: int) -> str:
    return f"src{entry:04d}"


def library(entries: int, rng: random.Random) -> str:
    """``entries`` online articles, each with what the notes print (author, title, outlet,
    date, url, urldate) and a short title."""
    bib = []
    for n in range(entries):
        title = " ".join(rng.choice(WORDS) for _ in range(7)).capitalize()
        bib.append(
            f"@article{{{key(n)},\n  author = {{Author{letters(n)}, Given}},\n  title = {{{title}}},\n"
            f"  shorttitle = {{{' '.join(title.split()[:3])}}},\n  journaltitle = {{Outlet {n % 40}}},\n"
            f"  date = {{{entry_date(n)}}},\n  url = {{https://example.org/{n}}},\n"
            f"  urldate = {{2024-01-01}},\n}}\n"
        )
    return "\n".join(bib)


def entry_date(n: int) -> str:
    return f"20{10 + n % 14}-0{1 + n % 9}-1{n % 9}"


def sentences(rng: random.Random, count: int, entries: int, word: str, words: int = 40) -> list[str]:
    """``count`` sentences of random words (one of them ``word``), each ending in a citation."""
    out = []
    for _ in range(count):
        text = [rng.choice(WORDS) for _ in range(words)]
        text[rng.randrange(1, words)] = word
        out.append(" ".join(text).capitalize() + f".[@{key(rng.randrange(entries))}]")
    return out


def note_files(index: int, pages: int, entries: int, per_page: int, rng: random.Random) -> dict[str, str]:
    """The files of note ``index``: its index.md, ``pages - 1`` chapters, its figures.yml."""
    word = note_word(index)
    given, family = GIVEN[index % len(GIVEN)], FAMILY[(index // len(GIVEN)) % len(FAMILY)]
    title = f"Synthetic Note {index + 1}: {' '.join(rng.choice(WORDS) for _ in range(4)).title()}"
    chapters = [f"chapter-{c:02d}.md" for c in range(1, pages)]
    record = {"title": title,
              "authors": [{"given": given, "family": family, "affiliation": "Centre for Synthetic Studies"}],
              "number": index + 1,
              "date": f"{2010 + index // 12}-{index % 12 + 1:02d}",
              "chapters": chapters}
    front = yaml.safe_dump({"note": record}, sort_keys=False, allow_unicode=True)
    abstract = " ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + f" {word}."
    summary = "\n\n".join(sentences(rng, per_page, entries, word))
    files = {"index.md": (f"---\n{front}---\n\n# {title}\n\n{given} {family}\n{{: .note-byline }}\n\n"
                          f"## Abstract\n\n{abstract}\n\n## Summary\n\n{summary}\n\n"
                          "## Contents\n\n<!-- contents -->\n\n<!-- cite-this -->\n\n<!-- at-a-glance -->\n")}
    figure_source = rng.randrange(entries)
    value = f"{1000 + 37 * index:,}"
    for number, chapter in enumerate(chapters, start=1):
        heading = " ".join(rng.choice(WORDS) for _ in range(3)).title()
        paragraphs = sentences(rng, per_page, entries, word)
        if number == 1:
            paragraphs[0] = (f"The district survey counted {value} households in the valley.[@{key(figure_source)}]"
                             "\n\n<!-- key-figure: households-counted -->")
        files[chapter] = f"# {heading}\n\n" + "\n\n".join(paragraphs) + "\n"
    files["figures.yml"] = yaml.safe_dump([{
        "id": "households-counted", "value": value, "label": "households counted by the district survey",
        "as_of": entry_date(figure_source), "source": key(figure_source)}], sort_keys=False)
    return files


def site_config(base: dict, pdf: bool, synthetic: bool = True) -> dict:
    """``base`` (an mkdocs.yml's settings) for a copy of a site in another folder: the glossary
    read from this project, nothing watched, no external link check, PDFs as asked. For the
    synthetic series (``synthetic``) also no ``nav:`` and no moved addresses (the records make
    the navigation; the real note's old addresses are not its)."""
    config = copy.deepcopy(base)
    if synthetic:
        config.pop("nav", None)
    config["watch"] = []
    for ext in config.get("markdown_extensions", []):
        if isinstance(ext, dict) and "pymdownx.snippets" in ext:
            ext["pymdownx.snippets"]["base_path"] = [str(ROOT / "includes")]
    for item in config["plugins"]:
        if isinstance(item, dict) and isinstance(item.get("briefing"), dict):
            options = item["briefing"]
            if synthetic and isinstance(options.get("series"), dict):
                options["series"].pop("moved", None)
                config["site_name"] = options["series"]["name"]
            options.setdefault("publication", {})["pdf"] = pdf
            options.setdefault("links", {})["external"] = "off"
            options.setdefault("preview", {})["note"] = PREVIEW_ENV  # as mkdocs.yml: make serve NOTE=
    return config


def config_text(config: dict) -> str:
    """``config`` as mkdocs.yml text, the one note to preview read from BRIEFING_NOTE again."""
    text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
    return text.replace(PREVIEW_ENV, '!ENV [BRIEFING_NOTE, ""]')


def read_config(path: Path) -> dict:
    """An mkdocs.yml as MkDocs reads it (``!ENV`` resolved)."""
    from mkdocs.utils.yaml import yaml_load

    with open(path, encoding="utf-8") as file:
        return yaml_load(file)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def generate(root: Path, notes: int = 50, pages: int = 12, entries: int = 2000, per_page: int = 10,
             pdf: bool = False, base: Path | None = None) -> Path:
    """Write the synthetic series under ``root``; return its mkdocs.yml."""
    if notes < 1 or pages < 2 or entries < 1:
        raise ValueError("a series needs at least 1 note, 2 pages a note (its page and a chapter) and 1 entry")
    rng = random.Random(SEED)
    write(root / "bib" / "references.bib", library(entries, rng))
    for index in range(notes):
        for name, text in note_files(index, pages, entries, per_page, rng).items():
            write(root / "docs" / slug(index) / name, text)
    config = site_config(read_config(base or ROOT / "mkdocs.yml"), pdf)
    path = root / "mkdocs.yml"
    write(path, config_text(config))
    return path


def stock(config: dict, prune: bool = False) -> dict:
    """Stock Material on the same docs (issue 14's baseline): the same theme settings, its
    search plugin, the same Markdown extensions and validation; no generator, no bibtex plugin,
    no hooks, no extra CSS/JS of ours. Its navigation whole on every page (Material's default,
    as issue 14 measured it) unless ``prune`` (then ``navigation.prune`` as ours)."""
    config = copy.deepcopy(config)
    config["plugins"] = ["search"]
    features = config.get("theme", {}).get("features", [])
    if not prune and "navigation.prune" in features:
        features.remove("navigation.prune")
    for name in ("hooks", "extra_css", "extra_javascript", "watch"):
        config.pop(name, None)
    return config


def stock_config(config_file: Path, name: str = "mkdocs.stock.yml", prune: bool = False) -> Path:
    """Write the stock baseline beside ``config_file`` (same folder: the same docs)."""
    path = config_file.parent / name
    write(path, yaml.safe_dump(stock(read_config(config_file), prune), sort_keys=False, allow_unicode=True))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the series into (created)")
    parser.add_argument("--notes", type=int, default=50)
    parser.add_argument("--pages", type=int, default=12, help="pages a note: its own page and pages-1 chapters")
    parser.add_argument("--entries", type=int, default=2000, help="entries of the shared .bib")
    parser.add_argument("--pdf", action="store_true", help="render each note's PDF (off by default)")
    parser.add_argument("--stock", action="store_true", help="also write mkdocs.stock.yml, the stock baseline")
    parser.add_argument("--base", type=Path, help="the mkdocs.yml to start from (default: this project's)")
    args = parser.parse_args()
    config = generate(args.out, args.notes, args.pages, args.entries, pdf=args.pdf, base=args.base)
    print(config)
    if args.stock:
        print(stock_config(config))


if __name__ == "__main__":
    main()
