"""Cost of the PDF edition (briefing.publication.pdf), as a ratio and in seconds.

Builds the real briefing in fresh Python processes (no warm caches), each timed over
load_config + build, with `pdf: true` (the default: print/index.html and the WeasyPrint PDF)
and with `pdf: false` (print/index.html only). Reports medians and the ratio.

Usage: python bench/bench_pdf.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from sitebuild import plugin_options, pointed_at_project, real_config, write_config  # noqa: E402

TIMER = """
import sys, time, logging
logging.disable(logging.INFO)
from mkdocs.config import load_config
from mkdocs.commands.build import build
start = time.perf_counter()
config = load_config(sys.argv[1], strict=True, site_dir=sys.argv[2])
build(config)
print(time.perf_counter() - start)
"""


def site_copy(root: Path, pdf: bool) -> Path:
    """The real briefing under `root`, its glossary read from the project (the generator is the installed package)."""
    for folder in ("docs", "bib", "data", "includes"):
        if (ROOT / folder).is_dir() and not (root / folder).exists():
            shutil.copytree(ROOT / folder, root / folder)
    config = pointed_at_project(real_config())
    plugin_options(config)["publication"]["pdf"] = pdf
    return write_config(root / f"mkdocs-pdf-{'on' if pdf else 'off'}.yml", config)


def time_build(config_file: Path, runs: int) -> float:
    times = []
    for run in range(runs):
        site = config_file.parent / f"site-{config_file.stem}-{run}"
        out = subprocess.run([sys.executable, "-c", TIMER, str(config_file), str(site)],
                             capture_output=True, text=True, check=True, cwd=config_file.parent)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        on, off = site_copy(root, True), site_copy(root, False)
        time_build(on, 1)  # warm the OS file cache and the font cache
        with_pdf, without = time_build(on, args.runs), time_build(off, args.runs)
        pdf = next(root.glob("site-mkdocs-pdf-on-0/*.pdf"))
        print(f"real briefing, median of {args.runs}: pdf on {with_pdf:.2f} s, pdf off {without:.2f} s, "
              f"ratio {with_pdf / without:.2f}, PDF cost {with_pdf - without:.2f} s, "
              f"{pdf.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
