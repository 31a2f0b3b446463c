"""The PDF edition: WeasyPrint renders the print edition (``print/index.html``) in a child
process that may read the site's own files only and is stopped at a deadline.

- ``local_only_fetcher``: a ``weasyprint.URLFetcher`` (WeasyPrint 70 reads its private
  ``_fail_on_errors``, so a plain function does not fit) that serves ``data:`` URLs and files
  inside the built site, and refuses, and records, everything else: the network, files
  outside the site, files it cannot read.
- ``render``: forks a child that renders to a temporary file; the parent waits at most
  ``timeout`` seconds, then kills it. The PDF appears at its target only when complete.
  ``fork`` (not ``spawn``): the child starts in milliseconds with WeasyPrint already imported,
  where a new interpreter spends about 0.9 s importing it again.
- ``locate``: where a refused address stands in the pages' Markdown, for the message.

Pure functions and one child process; no MkDocs events (``print_edition.py`` calls ``render``).
"""

from __future__ import annotations

import html
import multiprocessing
import os
import posixpath
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname


@dataclass(frozen=True)
class Refusal:
    url: str  # as WeasyPrint asked for it (absolute: file:///..., https://...)
    reason: str  # why it was not loaded, for people


@dataclass
class PdfRun:
    seconds: float
    refused: list[Refusal] = field(default_factory=list)


class PdfTimeout(Exception):
    """The renderer was still running at the deadline and was stopped; nothing was written."""


class PdfError(Exception):
    """The renderer failed; nothing was written."""


def refusal(url: str, root: Path) -> str | None:
    """Why the PDF may not load ``url`` (None: it may): only ``data:`` URLs and files inside
    ``root`` (the built site), symbolic links resolved."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return None
    if scheme != "file":
        return "the PDF is built offline from the site's own files, never from the network"
    path = Path(url2pathname(unquote(parts.path))).resolve()
    site = root.resolve()
    if path != site and site not in path.parents:
        return f"it lies outside the built site ({site})"
    return None


def local_only_fetcher(root: Path, refused: list[Refusal] | None = None, timeout: float = 10):
    """A WeasyPrint URL fetcher for the site's own files (see ``refusal``); each address it
    does not load is added to ``refused`` and WeasyPrint leaves it out of the PDF."""
    import weasyprint

    class LocalOnlyFetcher(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            reason = refusal(url, root)
            if reason is None:
                try:
                    return super().fetch(url, headers)
                except Exception as error:  # noqa: BLE001 - recorded, then WeasyPrint's own handling
                    reason = f"it cannot be read ({type(error).__name__}: {error})"
            if refused is not None:
                refused.append(Refusal(url, reason))
            raise ValueError(f"the PDF does not load {url}: {reason}")

    return LocalOnlyFetcher(timeout=timeout, allowed_protocols=("file", "data"), allow_redirects=False)


def _render_here(html_path: Path, target: Path, root: Path) -> list[Refusal]:
    import weasyprint

    refused: list[Refusal] = []
    document = weasyprint.HTML(filename=str(html_path), url_fetcher=local_only_fetcher(root, refused))
    document.write_pdf(target)
    return refused


def _child(conn, html_path: Path, target: Path, root: Path) -> None:
    try:
        refused = _render_here(html_path, target, root)
        conn.send({"refused": [(r.url, r.reason) for r in refused]})
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which raises
        conn.send({"error": f"{type(error).__name__}: {error}"})
    finally:
        conn.close()


def render(html_path: Path, target: Path, root: Path, timeout: float) -> PdfRun:
    """Render ``html_path`` to ``target`` in a child process stopped after ``timeout`` seconds.

    Raises PdfTimeout (the child was killed) or PdfError; either way ``target`` is untouched.
    Imports WeasyPrint here first, so a missing WeasyPrint or Pango raises ImportError/OSError
    in the caller's process."""
    import weasyprint  # noqa: F401 - imported once, before the fork: the child inherits it

    started = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    partial = Path(name)
    try:
        if "fork" not in multiprocessing.get_all_start_methods():  # not POSIX: no bound
            refused = _render_here(html_path, partial, root)
        else:
            refused = _render_in_child(html_path, partial, root, timeout)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return PdfRun(time.perf_counter() - started, refused)


def _render_in_child(html_path: Path, partial: Path, root: Path, timeout: float) -> list[Refusal]:
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, html_path, partial, root), name="pdf-edition", daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(max(timeout, 0)):
            raise PdfTimeout(f"still rendering after {timeout:g} s")
        try:
            outcome = receive.recv()
        except EOFError:
            outcome = {"error": "the renderer stopped without a result"}
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if "error" in outcome:
        raise PdfError(f"{outcome['error']} (exit code {child.exitcode})")
    return [Refusal(url, reason) for url, reason in outcome["refused"]]


def locate(url: str, sources: dict[str, str]) -> list[str]:
    """Each ``path:line`` of the pages' Markdown (``sources``: path shown -> text) that names
    ``url``: the address itself, or for a local file its file name."""
    parts = urlsplit(url)
    needle = posixpath.basename(unquote(parts.path)) if parts.scheme.lower() == "file" else url
    if not needle:
        return []
    found = []
    for where, text in sources.items():
        for number, line in enumerate(text.splitlines(), start=1):
            if needle in line or needle in html.unescape(line):
                found.append(f"{where}:{number}")
    return found
