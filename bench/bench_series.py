"""Series-scale speed against stock Material on the same pages (issue 14), in one run.

Every build is a whole ``mkdocs build --strict`` process (the command ``make build`` runs),
timed from start to exit, its peak memory the maximum resident set size of the process and of
the children it waited for (pandoc, the worker, the second renderer), from ``os.wait4``. Medians
of ``--runs`` builds, stock's and ours taken in pairs (stock, then ours), and the median of the
pairs' ratios: the machine's speed drifts over minutes. The
baseline, "stock", is stock Material on the same docs (``series.stock``: the theme with the
same settings, its search plugin, the same Markdown extensions; no generator, no bibtex
plugin), built the same way: its whole navigation on every page (Material's default, as issue 14
measured it); the series is also compared with stock given ``navigation.prune`` as ours is.

Cases:
- ``real``: the real site (this project's docs, .bib and mkdocs.yml), PDF off; where valgrind is
  installed, also the instructions one build of each executes (callgrind: the same count run
  after run, where the seconds of a one-second build vary by a third on this machine);
- ``series``: the synthetic series (``bench/series.py``: 50 notes x 12 pages, a 2,000-entry
  .bib, 10 citations a page), PDFs off, the citation cache warm (a first, cold build is
  reported too); the internal link check's share of the build, from its own log line;
- ``series-pdf``: the same with PDFs on, a build in which no note changed (every PDF reused);
- ``scaling``: the series at 1, 10 and 50 notes: seconds a note, ours and stock's.

Targets: real <= 1.2x stock; series <= 0.6x, with PDFs reused < 0.7x, peak memory <= 2x
stock's; the link check <= 5% of the series build. Prints one JSON line per figure and a
summary; BENCHMARKS.md records them.

Usage: python bench/bench_series.py [--runs N] [--notes N] [--pages N] [--entries N]
       [--cases real,series,series-pdf,scaling] [--scaling 1,10,50] [--base mkdocs.yml]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import series  # noqa: E402

ROOT = series.ROOT
MKDOCS = Path(sys.executable).with_name("mkdocs")
LINK_CHECK_RE = re.compile(r"internal links: .* in (?P<seconds>[\d.]+) s")
REUSED_RE = re.compile(r"PDF edition: .* reused")  # print_edition.render_pdf's line, a PDF each
RENDERED_RE = re.compile(r"PDF edition: .* rendered, in")


@dataclass
class Run:
    seconds: float
    peak_mb: float
    log: str


def build_once(config_file: Path) -> Run:
    """One ``mkdocs build --strict`` process of ``config_file`` into a fresh folder."""
    site = Path(tempfile.mkdtemp(prefix="bench-site-"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPYCACHEPREFIX": str(ROOT / ".cache" / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as make build runs it: the generator's bytecode kept
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen([str(MKDOCS), "build", "--strict", "-f", str(config_file), "-d", str(site)],
                                 stdout=out, stderr=subprocess.STDOUT, cwd=config_file.parent, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        log = out.read().decode("utf-8", "replace")
    shutil.rmtree(site, ignore_errors=True)
    if child.returncode != 0:
        raise SystemExit(f"build of {config_file} failed ({child.returncode}):\n{log[-4000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, log)


def instructions(config_file: Path) -> int | None:
    """The instructions one ``mkdocs build --strict`` of ``config_file`` executes in its own
    process (valgrind's callgrind; its children are not counted), or None without valgrind."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    site = Path(tempfile.mkdtemp(prefix="bench-site-"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPYCACHEPREFIX": str(ROOT / ".cache" / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        run = subprocess.run([valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
                              str(MKDOCS), "build", "--strict", "-f", str(config_file), "-d", str(site)],
                             capture_output=True, text=True, cwd=config_file.parent, env=env, timeout=1800)
    finally:
        shutil.rmtree(site, ignore_errors=True)
    totals = re.findall(r"==(\d+)== I\s+refs:\s+([\d,]+)", run.stderr)
    if run.returncode != 0 or not totals:
        return None
    own = re.search(r"==(\d+)==", run.stderr)[1]  # the build's process speaks first (a fork reports too)
    counts = [int(n.replace(",", "")) for pid, n in totals if pid == own]
    return counts[-1] if counts else None


def link_check_seconds(log: str) -> float | None:
    match = LINK_CHECK_RE.search(log)
    return float(match["seconds"]) if match else None


def load() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def emit(row: dict) -> dict:
    row = {"date": time.strftime("%Y-%m-%d", time.gmtime()), "load": load(), **row}
    print(json.dumps(row), flush=True)
    return row


def compare(label: str, ours: Path, stock: Path, runs: int, warm: bool = True, notes: int | None = None) -> dict:
    """Stock and ours in pairs, one after the other (after one build of ours that fills its
    caches, if ``warm``), so that a machine whose speed drifts over minutes slows both alike;
    medians of each, and the median of the pairs' ratios; with ``notes``, the seconds a note too."""
    first = build_once(ours) if warm else None
    pairs = [(build_once(stock), build_once(ours)) for _ in range(runs)]
    base, done = [p[0] for p in pairs], [p[1] for p in pairs]
    base_s, base_mb = statistics.median(r.seconds for r in base), statistics.median(r.peak_mb for r in base)
    our_s, our_mb = statistics.median(r.seconds for r in done), statistics.median(r.peak_mb for r in done)
    checks = [s for r in done if (s := link_check_seconds(r.log)) is not None]
    row = {"case": label, "runs": runs, "stock_s": round(base_s, 2), "ours_s": round(our_s, 2),
           "ratio": round(our_s / base_s, 3),
           "pair_ratio": round(statistics.median(o.seconds / b.seconds for b, o in pairs), 3),
           "stock_peak_mb": round(base_mb), "ours_peak_mb": round(our_mb),
           "memory_ratio": round(our_mb / base_mb, 2)}
    if first is not None:
        row["ours_first_build_s"] = round(first.seconds, 2)
    if checks:
        link = statistics.median(checks)
        row["link_check_s"] = round(link, 3)
        row["link_check_share"] = round(link / our_s, 4)
    row["pdfs_reused"] = len(REUSED_RE.findall(done[-1].log))
    row["pdfs_rendered"] = len(RENDERED_RE.findall(done[-1].log))
    if notes:
        row["ours_s_a_note"] = round(our_s / notes, 3)
        row["stock_s_a_note"] = round(base_s / notes, 3)
    return emit(row)


def real_site(root: Path) -> Path:
    """A copy of the real site (docs, .bib, data) with PDF off, the glossary read from here."""
    for folder in ("docs", "bib", "data"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, root / folder)
    config = series.site_config(series.read_config(ROOT / "mkdocs.yml"), pdf=False, synthetic=False)
    path = root / "mkdocs.yml"
    series.write(path, series.config_text(config))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="builds a figure (median)")
    parser.add_argument("--notes", type=int, default=50)
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--cases", default="real,series,series-pdf,scaling")
    parser.add_argument("--scaling", default="1,10,50", help="series sizes (notes) for the time a note")
    parser.add_argument("--base", type=Path, help="the mkdocs.yml the series starts from (default: this project's)")
    args = parser.parse_args()
    cases = set(args.cases.split(","))
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-series-") as tmp:
        tmp = Path(tmp)
        if "real" in cases:
            ours = real_site(tmp / "real")
            stock = series.stock_config(ours)
            rows.append(compare("real site, PDF off", ours, stock, max(args.runs, 5)))
            ours_i, stock_i = instructions(ours), instructions(stock)
            if ours_i and stock_i:
                rows.append(emit({"case": "real site, PDF off, instructions (callgrind, one build each, warm)",
                                  "ours_instructions": ours_i, "stock_instructions": stock_i,
                                  "instruction_ratio": round(ours_i / stock_i, 4)}))
        size = f"{args.notes} notes x {args.pages} pages, {args.entries} entries"
        if "series" in cases or "series-pdf" in cases:
            ours = series.generate(tmp / "series", args.notes, args.pages, args.entries, base=args.base)
            stock = series.stock_config(ours)
            if "series" in cases:
                cold = build_once(ours)
                rows.append(emit({"case": f"series {size}, PDFs off, cold citation cache (first build)",
                                  "ours_s": round(cold.seconds, 2), "ours_peak_mb": round(cold.peak_mb)}))
                rows.append(compare(f"series {size}, PDFs off", ours, stock, args.runs))
                pruned = series.stock_config(ours, "mkdocs.stock-pruned.yml", prune=True)
                rows.append(compare(f"series {size}, PDFs off, against stock with navigation.prune too", ours,
                                    pruned, args.runs))
            if "series-pdf" in cases:
                with_pdf = series.generate(tmp / "series", args.notes, args.pages, args.entries, pdf=True,
                                           base=args.base)
                first = build_once(with_pdf)  # renders every PDF and fills the PDF cache
                rows.append(emit({"case": f"series {size}, PDFs on, first build (every PDF rendered)",
                                  "ours_s": round(first.seconds, 2), "ours_peak_mb": round(first.peak_mb)}))
                rows.append(compare(f"series {size}, PDFs on, no note changed (PDFs reused)", with_pdf, stock,
                                    args.runs, warm=False))
        if "scaling" in cases:
            for notes in (int(n) for n in args.scaling.split(",")):
                ours = series.generate(tmp / f"scaling-{notes}", notes, args.pages, args.entries, base=args.base)
                rows.append(compare(f"scaling: {notes} notes x {args.pages} pages, PDFs off", ours,
                                    series.stock_config(ours), args.runs, notes=notes))
    print("targets: real <= 1.2; series <= 0.6, PDFs reused < 0.7, memory <= 2.0; link check <= 5% of the build")
    for row in rows:
        if "instruction_ratio" in row:
            print(f"{row['case']}: {row['ours_instructions']:,} vs stock {row['stock_instructions']:,} = "
                  f"{row['instruction_ratio']}x")
        if "ratio" in row:
            print(f"{row['case']}: {row['ours_s']} s vs stock {row['stock_s']} s = {row['ratio']}x "
                  f"(pairs: {row['pair_ratio']}x); "
                  f"peak {row['ours_peak_mb']} MB vs {row['stock_peak_mb']} MB = {row['memory_ratio']}x"
                  + (f"; link check {row['link_check_s']} s ({row['link_check_share']:.1%})"
                     if "link_check_s" in row else ""))


if __name__ == "__main__":
    main()
