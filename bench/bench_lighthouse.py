"""Lighthouse (npm `lighthouse`, pinned in package.json) on the built site, mobile profile.

Builds the real site strict into a temporary folder, serves it from 127.0.0.1 the way GitHub
Pages does (gzip for text, `Cache-Control: max-age=600`), and runs Lighthouse with Debian's
Chromium on the home page and a chapter; then the same on the synthetic series of issue 14
(`bench/series.py`: 50 notes x 12 pages, PDFs off), on its home page (the list of 50 notes)
and the last chapter of its last note (the largest navigation and search index of the series).
Lighthouse's default profile is a mid-range phone on a slow 4G network (simulated
throttling), so the scores do not depend on this machine's loopback speed. Each page is
audited --runs times; the table shows the median performance score and the lowest of the
others. It also reports what a first visit transfers (bytes on the wire, by resource type), and
Lighthouse's benchmarkIndex of each run: this machine's CPU speed at that moment, which TBT and
FCP scale with (the same pages scored 0.91 at 990 and 1.00 at 2,100 on 2026-12-06).
Targets (issue 6; issue 14 for the series): performance >= 0.98, accessibility, best practices and SEO 1.00.

Usage: python bench/bench_lighthouse.py [--runs N] [--keep DIR] [--check] [--sites real,series]
(--check: exit 1 when a target is missed; `make audit` passes it.)
Needs node_modules/ (`npm ci`, which `make audit` runs) and /usr/bin/chromium (`make browsers`).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "bench"))
import series  # noqa: E402  (the synthetic series of issue 14)

from browsing import CHROMIUM_ARGS  # noqa: E402  (the browser tests' Chromium flags)

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PAGES = {"home": "", "chapter": "security-challenge/", "chart": "afghan-migration/"}  # chart: the inline SVG (issue 15)
SERIES_NOTES, SERIES_PAGES_A_NOTE = 50, 12
SERIES_PAGES = {"series home": "",
                "series last chapter": f"{series.slug(SERIES_NOTES - 1)}/chapter-{SERIES_PAGES_A_NOTE - 1:02d}/"}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 0.98, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
CHROME_FLAGS = CHROMIUM_ARGS
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".bib", ".ris")


class PagesLikeHandler(SimpleHTTPRequestHandler):
    """Static files as GitHub Pages serves them: text gzipped on request, cached 10 minutes."""

    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.is_file() and path.suffix in COMPRESSED):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return _Body(body)


class _Body:
    """A file-like object over bytes, for SimpleHTTPRequestHandler.do_GET's copyfile."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = (self.data, b"") if size < 0 else (self.data[:size], self.data[size:])
        return data

    def close(self) -> None:
        pass


def build(site_dir: Path, config_file: Path = ROOT / "mkdocs.yml") -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config_file),
               "--site-dir", str(site_dir)]
    done = subprocess.run(command, cwd=config_file.parent, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"strict build failed:\n{done.stderr}")


def serve(site_dir: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(PagesLikeHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def lighthouse(url: str, report: Path) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(command, env=env, check=True, timeout=180)
    return json.loads(report.read_text(encoding="utf-8"))


def transfer(result: dict) -> dict[str, int]:
    """Bytes on the wire of a first visit, by resource type (and the search index apart)."""
    sizes: dict[str, int] = {}
    for request in result["audits"]["network-requests"]["details"]["items"]:
        kind = "search index" if "search_index.json" in request["url"] else request.get("resourceType", "Other")
        sizes[kind] = sizes.get(kind, 0) + int(request.get("transferSize", 0))
    sizes["total"] = sum(sizes.values())
    return sizes


def failing(result: dict) -> list[str]:
    """Audits that cost points: their id, score and Lighthouse's summary."""
    weights = {ref["id"]: ref.get("weight", 0) for cat in result["categories"].values() for ref in cat["auditRefs"]}
    rows = []
    for audit in result["audits"].values():
        score = audit.get("score")
        if score is not None and score < 1 and weights.get(audit["id"], 0) > 0:
            rows.append(f"{audit['id']} {score:.2f} {audit.get('displayValue', '')}".strip())
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--keep", type=Path, help="also keep the JSON reports in this folder")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--sites", default="real,series",
                        help="real (this project's site), series (the synthetic series)")
    args = parser.parse_args()
    sites = args.sites.split(",")
    if unknown := set(sites) - {"real", "series"}:
        sys.exit(f"--sites: unknown {', '.join(sorted(unknown))} (real, series)")
    if not LIGHTHOUSE.exists():
        sys.exit("node_modules/.bin/lighthouse is missing: run `npm ci` (or `make audit`)")
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: run `make browsers`")

    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        tmp_path = Path(tmp)
        audited: dict[str, tuple[str, str]] = {}  # page name -> (base address, address)
        servers = []
        if "real" in sites:
            build(tmp_path / "site")
            servers.append(serve(tmp_path / "site"))
            audited.update({name: (servers[-1][1], address) for name, address in PAGES.items()})
        if "series" in sites:
            config_file = series.generate(tmp_path / "series", notes=SERIES_NOTES, pages=SERIES_PAGES_A_NOTE)
            build(tmp_path / "series-site", config_file)
            servers.append(serve(tmp_path / "series-site"))
            audited.update({name: (servers[-1][1], address) for name, address in SERIES_PAGES.items()})
        ok = True
        print("| page | performance | accessibility | best practices | SEO | first visit (gzip) |")
        print("|---|---|---|---|---|---|")
        details = []
        for name, (base, address) in audited.items():
            report = name.replace(" ", "-")
            results = [lighthouse(base + address, tmp_path / f"{report}-{run}.json") for run in range(args.runs)]
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                for run in range(args.runs):
                    shutil.copy(tmp_path / f"{report}-{run}.json", args.keep / f"{report}-{run}.json")
            scores = {cat: [r["categories"][cat]["score"] for r in results] for cat in CATEGORIES}
            summary = {
                cat: statistics.median(values) if cat == "performance" else min(values)
                for cat, values in scores.items()
            }
            ok &= all(summary[cat] >= TARGETS[cat] for cat in CATEGORIES)
            sizes = transfer(results[0])
            perf_runs = ", ".join(f"{v:.2f}" for v in scores["performance"])
            print(
                f"| {name} (`/{address}`) | {summary['performance']:.2f} ({perf_runs}) "
                f"| {summary['accessibility']:.2f} | {summary['best-practices']:.2f} | {summary['seo']:.2f} "
                f"| {sizes['total'] / 1024:.1f} KiB |",
                flush=True,
            )
            metrics = results[0]["audits"]
            details.append(
                f"{name}: FCP {metrics['first-contentful-paint']['displayValue']}, "
                f"LCP {metrics['largest-contentful-paint']['displayValue']}, "
                f"TBT {metrics['total-blocking-time']['displayValue']}, "
                f"CLS {metrics['cumulative-layout-shift']['displayValue']}; bytes: "
                + ", ".join(f"{kind} {size / 1024:.1f} KiB" for kind, size in sorted(sizes.items()) if kind != "total")
                + "; this machine's speed in each run (Lighthouse's benchmarkIndex: TBT and FCP are its CPU time x4): "
                + ", ".join(f"{result['environment'].get('benchmarkIndex', 0):.0f}" for result in results)
            )
            for result in results:
                details.extend(f"  {name}: {row}" for row in failing(result))
        for server, _ in servers:
            server.shutdown()
        print("\n".join(dict.fromkeys(details)))
        print(f"lighthouse: {'PASS' if ok else 'FAIL'} (targets: {TARGETS})")
        if args.check and not ok:
            sys.exit(1)


if __name__ == "__main__":
    main()
