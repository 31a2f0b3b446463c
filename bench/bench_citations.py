"""Cost of the citation layer (mkdocs-bibtex + the generator, briefing/), as a ratio.

Builds, in one run, each with and without the citation layer:
- the real briefing;
- a synthetic series (bench/series.py): 50 notes x 12 pages, a 2,000-entry .bib, 10 citations a page.
"Without" removes the bibtex plugin and the generator (one plugin since issue 12: its citation
layer cannot be taken out alone, so the ratio now also counts the link check, the Content-Security-
Policy and the other concerns, about 1.8 s of a 600-page build): citations stay literal text.
Each build runs in a fresh Python process and is timed twice: load_config + build inside
the process, and the whole process (what `make build` costs). "Cold" empties the citation
cache (.cache/plugin/citations) first; "warm" keeps it. The PDF edition is off throughout
(bench_pdf.py measures it). Target (issue 3): with / without <= 1.5 at both sizes.

Usage: python bench/bench_citations.py [--runs N] [--pages N] [--entries N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from sitebuild import plugin_options, pointed_at_project, real_config, synthetic, write_config  # noqa: E402

TIMER = """
import sys, time, logging
logging.basicConfig(level=logging.WARNING)
from mkdocs.config import load_config
from mkdocs.commands.build import build
start = time.perf_counter()
config = load_config(sys.argv[1], strict=True, site_dir=sys.argv[2])
build(config)
print(time.perf_counter() - start)
"""


def without_layer(config: dict) -> dict:
    config = json.loads(json.dumps(config))
    config["plugins"] = [p for p in config["plugins"] if (next(iter(p)) if isinstance(p, dict) else p) == "search"]
    return config


def without_pdf(config: dict) -> dict:
    """The PDF edition costs seconds with or without citations (bench_pdf.py measures it)."""
    publication = plugin_options(config).get("publication")
    if isinstance(publication, dict):
        publication["pdf"] = False
    return config


def time_build(config_file: Path, runs: int, cold: bool = True) -> tuple[float, float]:
    """Median (in-process build time, whole-process wall time) of `runs` builds, each in a
    fresh Python process; `cold` empties the citation cache before each build."""
    inside, whole = [], []
    for _ in range(runs):
        if cold:
            shutil.rmtree(config_file.parent / ".cache" / "plugin" / "citations", ignore_errors=True)
        site = Path(tempfile.mkdtemp(prefix="bench-site-"))
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", TIMER, str(config_file), str(site)],
                              capture_output=True, text=True, check=False)
        whole.append(time.perf_counter() - start)
        shutil.rmtree(site, ignore_errors=True)
        if done.returncode != 0:
            raise SystemExit(f"build of {config_file} failed:\n{done.stderr[-3000:]}{done.stdout[-2000:]}")
        inside.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(inside), statistics.median(whole)


def synthetic_series(root: Path, pages: int, entries: int, per_page: int) -> Path:
    """bench/series.py's series (the series' contract: note folders with records) of about
    ``pages`` pages, 12 a note; PDFs off."""
    return synthetic.generate(root, max(1, pages // 12), 12, entries, per_page)


def compare(label: str, config_file: Path, runs: int) -> dict:
    """Without the layer; with it and an empty citation cache (a first build, CI); with it and
    a warm cache (every later build, `mkdocs serve`, edits that leave citations alone)."""
    config = synthetic.read_config(config_file)  # MkDocs' loader: the series' mkdocs.yml has !ENV
    without = write_config(config_file.parent / "mkdocs.without.yml", without_layer(config))
    base_in, base_whole = time_build(without, runs)
    cold_in, cold_whole = time_build(config_file, runs, cold=True)
    warm_in, warm_whole = time_build(config_file, runs, cold=False)
    row = {"site": label, "runs": runs,
           "without_s": [round(base_in, 2), round(base_whole, 2)],
           "cold_s": [round(cold_in, 2), round(cold_whole, 2)],
           "warm_s": [round(warm_in, 2), round(warm_whole, 2)],
           "cold_ratio": [round(cold_in / base_in, 2), round(cold_whole / base_whole, 2)],
           "warm_ratio": [round(warm_in / base_in, 2), round(warm_whole / base_whole, 2)]}
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3, help="builds per configuration (median)")
    parser.add_argument("--series-runs", type=int, default=1)
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--entries", type=int, default=2000)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-citations-") as tmp:
        real = Path(tmp) / "real"
        shutil.copytree(ROOT / "docs", real / "docs")
        for folder in ("bib", "data"):
            if (ROOT / folder).is_dir():
                shutil.copytree(ROOT / folder, real / folder)
        config = without_pdf(pointed_at_project(real_config()))
        rows.append(compare("real briefing", write_config(real / "mkdocs.yml", config), args.runs))
        series = synthetic_series(Path(tmp) / "series", args.pages, args.entries, 10)
        rows.append(compare(f"series: {args.pages} pages, {args.entries} entries", series, args.series_runs))
    print("pairs are [in-process build, whole `mkdocs build` process]; target: ratio <= 1.5")
    for row in rows:
        for kind in ("cold_ratio", "warm_ratio"):
            inside, whole = row[kind]
            print(f"{row['site']}: {kind} in-process {inside} ({'ok' if inside <= 1.5 else 'OVER'}), "
                  f"whole process {whole} ({'ok' if whole <= 1.5 else 'OVER'})")


if __name__ == "__main__":
    main()
