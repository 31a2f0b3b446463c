"""A first view's main-thread work on a phone-speed CPU: ours against stock Material, same pages.

Lighthouse's performance score (bench_lighthouse.py) takes TBT and FCP from this machine's CPU
time times four, so it moves with the machine's speed of the moment (its benchmarkIndex ran
from 990 to 2,210 within one run on 2026-12-06). This bench measures the same work as a ratio
against a baseline in the same run, as issue 14's other targets are: the synthetic series
(bench/series.py, 50 notes x 12 pages, PDFs off) built with this project's mkdocs.yml, and
stock Material on the same docs (``series.stock_config``, with ``navigation.prune`` as ours, so
both pages carry the same navigation): the last note's own page and its last chapter, each
opened afresh in Debian's Chromium with a phone's viewport and Chromium's own 4x CPU throttling
(DevTools', applied, not simulated), ours and stock alternately. From the page's long-task
entries (tasks over 50 ms): the blocking time after the first contentful paint (TBT's sum, to
2.5 s after load), every long task's time, and the first contentful paint. Medians of --runs; ratio ours / stock.

Usage: python bench/bench_first_view_cpu.py [--runs N]
Needs /usr/bin/chromium (`make browsers`) and Playwright (`make test` installs it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))
import series  # noqa: E402
from bench_lighthouse import SERIES_NOTES, SERIES_PAGES_A_NOTE, build, serve  # noqa: E402

from browsing import CHROMIUM_ARGS  # noqa: E402

CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PHONE = {"width": 412, "height": 823}  # Lighthouse's mobile screen
SLOWDOWN = 4  # Lighthouse's default for a mid-range phone
# Pages both sites have (stock has no series home: the generator makes it): the last note's own
# page and its last chapter (the series' largest navigation and list of pages).
LAST = series.slug(SERIES_NOTES - 1)
PAGES = {"last note's own page": f"{LAST}/", "last chapter": f"{LAST}/chapter-{SERIES_PAGES_A_NOTE - 1:02d}/"}
LONG_TASKS = """window.__longTasks = [];
new PerformanceObserver((list) => list.getEntries().forEach((e) => window.__longTasks.push([e.startTime, e.duration])))
  .observe({type: "longtask", buffered: true});"""
MEASURE = """() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const fcp = paint ? paint.startTime : 0;
  const tasks = window.__longTasks;
  return {fcp, blocking: tasks.filter(([s, d]) => s + d > fcp).reduce((sum, [, d]) => sum + Math.max(0, d - 50), 0),
          long: tasks.reduce((sum, [, d]) => sum + d, 0)};
}"""


def first_view(browser, url: str) -> dict[str, float]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        context.add_init_script(LONG_TASKS)
        page = context.new_page()
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": SLOWDOWN})
        page.goto(url, wait_until="load")
        page.wait_for_timeout(2500)
        return page.evaluate(MEASURE)
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7, help="first views per page and site (median)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: run `make browsers`")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="first-view-cpu-") as tmp:
        tmp_path = Path(tmp)
        ours_config = series.generate(tmp_path / "series", notes=SERIES_NOTES, pages=SERIES_PAGES_A_NOTE)
        stock_config = series.stock_config(ours_config, prune=True)
        build(tmp_path / "ours", ours_config)
        build(tmp_path / "stock", stock_config)
        servers = {"ours": serve(tmp_path / "ours"), "stock": serve(tmp_path / "stock")}
        seen: dict[tuple[str, str], list[dict[str, float]]] = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(args.runs):
                for name, address in PAGES.items():
                    for site in ("stock", "ours"):
                        seen.setdefault((name, site), []).append(first_view(browser, servers[site][1] + address))
            browser.close()
        for server, _ in servers.values():
            server.shutdown()
    load = "/".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"first view's main thread at {SLOWDOWN}x CPU, medians of {args.runs} (load {load}):")
    print("| page | measure | stock | ours | ours / stock |")
    print("|---|---|---|---|---|")
    for name in PAGES:
        for measure, label in (("blocking", "blocking time after FCP"), ("long", "long tasks in all"),
                               ("fcp", "first contentful paint")):
            stock = statistics.median(run[measure] for run in seen[(name, "stock")])
            ours = statistics.median(run[measure] for run in seen[(name, "ours")])
            ratio = f"{ours / stock:.2f}" if stock else "-"
            print(f"| {name} | {label} | {stock:.0f} ms | {ours:.0f} ms | {ratio} |")


if __name__ == "__main__":
    main()
