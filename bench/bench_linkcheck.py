"""Speed of the external link check (briefing/links/external.py), as ratios measured in one run.

A local server on 127.0.0.1 answers every request after 200 ms and counts the requests.
200 distinct URLs on it are checked:
- serially (one request at a time): the baseline;
- concurrently with the default options (the per-host limit binds: one host), cache empty;
- again with the warm cache (mode "cached").
Targets (issue 5): concurrent <= 1/8 of serial; the warm rerun < 0.5 s with zero requests.

Usage: python bench/bench_linkcheck.py [--urls N] [--delay S]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from briefing.links import external as lc  # noqa: E402


class SlowServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, delay: float, counter):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.delay = delay
        self.counter = counter  # a multiprocessing.Value: requests received


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SlowServer

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        with self.server.counter.get_lock():
            self.server.counter.value += 1
        time.sleep(self.server.delay)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD


def serve(delay: float, counter, port) -> None:
    """The server, in its own process: in the checker's process its threads would compete
    with the checker for the GIL and the bench would measure that instead."""
    server = SlowServer(delay, counter)
    port.value = server.server_address[1]
    server.serve_forever()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.2)
    args = parser.parse_args()

    counter = multiprocessing.Value("i", 0)
    port = multiprocessing.Value("i", 0)
    process = multiprocessing.Process(target=serve, args=(args.delay, counter, port), daemon=True)
    process.start()
    while not port.value:
        time.sleep(0.01)
    urls = [f"http://127.0.0.1:{port.value}/source/{n}" for n in range(args.urls)]
    local = ("127.0.0.1/32",)  # the checker reaches public addresses only, and this server
    defaults = lc.Options(allow_networks=local)

    started = time.perf_counter()
    serial = lc.check_external(urls, lc.Options(concurrency=1, per_host=1, allow_networks=local), None, "full")
    serial_s = time.perf_counter() - started
    serial_requests = counter.value

    with tempfile.TemporaryDirectory() as tmp:
        cache_file = Path(tmp) / "results.json"
        counter.value = 0
        started = time.perf_counter()
        concurrent = lc.check_external(urls, defaults, lc.Cache(cache_file), "cached")
        concurrent_s = time.perf_counter() - started
        concurrent_requests = counter.value

        counter.value = 0
        started = time.perf_counter()
        warm = lc.check_external(urls, defaults, lc.Cache(cache_file), "cached")
        warm_s = time.perf_counter() - started
        warm_requests = counter.value
    process.terminate()
    process.join()

    ok = all(r.kind == "ok" for run in (serial, concurrent, warm) for r in run.results.values())
    ratio = concurrent_s / serial_s
    print(f"{args.urls} URLs, each answered after {args.delay * 1000:.0f} ms, one host (127.0.0.1)")
    print(f"serial (1 at a time):           {serial_s:6.2f} s  {serial_requests} requests")
    print(f"concurrent (defaults: {defaults.concurrency} in flight, {defaults.per_host} per host): "
          f"{concurrent_s:6.2f} s  {concurrent_requests} requests  ratio {ratio:.3f} (target <= 0.125)")
    print(f"warm cache rerun:               {warm_s:6.3f} s  {warm_requests} requests (target < 0.5 s, 0)")
    passed = ok and ratio <= 1 / 8 and warm_s < 0.5 and warm_requests == 0 and warm.online == 0
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
