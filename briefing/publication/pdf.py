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
- ``render_reusing``: ``render``, unless the PDF cache (``pdf_cache``) holds this PDF, made
  from the same print edition, code and files: then that PDF is put at the target.
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

from briefing.publication import pdf_cache


@dataclass(frozen=True)
class Refusal:
    url: str  # as WeasyPrint asked for it (absolute: file:///..., https://...)
    reason: str  # why it was not loaded, for people


@dataclass
class PdfRun:
    seconds: float
    refused: list[Refusal] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)  # site paths of the files the PDF loaded
    reused: bool = False  # the PDF came from the cache (render_reusing), not from WeasyPrint


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
    path = Path(url2pathname(parts.path)).resolve()  # url2pathname decodes %-escapes, once, as the loader does
    site = root.resolve()
    if path != site and site not in path.parents:
        return f"it lies outside the built site ({site})"
    return None


def site_path(url: str, root: Path) -> str | None:
    """The site path of a ``file:`` URL inside ``root`` (None for anything else)."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        return None
    path, site = Path(url2pathname(parts.path)).resolve(), root.resolve()
    return path.relative_to(site).as_posix() if site in path.parents else None


def local_only_fetcher(root: Path, refused: list[Refusal] | None = None, timeout: float = 10,
                       loaded: list[str] | None = None):
    """A WeasyPrint URL fetcher for the site's own files (see ``refusal``); each address it
    does not load is added to ``refused`` and WeasyPrint leaves it out of the PDF; each file it
    loads, to ``loaded`` (its site path)."""
    import weasyprint

    class LocalOnlyFetcher(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            reason = refusal(url, root)
            if reason is None:
                try:
                    response = super().fetch(url, headers)
                except Exception as error:  # noqa: BLE001 - recorded, then WeasyPrint's own handling
                    reason = f"it cannot be read ({type(error).__name__}: {error})"
                else:
                    if loaded is not None and (path := site_path(url, root)) is not None:
                        loaded.append(path)
                    return response
            if refused is not None:
                refused.append(Refusal(url, reason))
            raise ValueError(f"the PDF does not load {url}: {reason}")

    return LocalOnlyFetcher(timeout=timeout, allowed_protocols=("file", "data"), allow_redirects=False)


def _render_here(html_path: Path, target: Path, root: Path) -> tuple[list[Refusal], list[str]]:
    import weasyprint

    refused: list[Refusal] = []
    loaded: list[str] = []
    fetcher = local_only_fetcher(root, refused, loaded=loaded)
    document = weasyprint.HTML(filename=str(html_path), url_fetcher=fetcher)
    document.write_pdf(target)
    return refused, loaded


def _child(conn, html_path: Path, target: Path, root: Path) -> None:
    try:
        refused, loaded = _render_here(html_path, target, root)
        conn.send({"refused": [(r.url, r.reason) for r in refused], "loaded": loaded})
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
            refused, loaded = _render_here(html_path, partial, root)
        else:
            refused, loaded = _render_in_child(html_path, partial, root, timeout)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return PdfRun(time.perf_counter() - started, refused, loaded)


def render_reusing(html_path: Path, target: Path, root: Path, timeout: float, cache: Path, code_digest: str,
                   ) -> PdfRun:
    """``render``, or the cached PDF made from the same print edition (``html_path``'s bytes),
    the same generator (``code_digest``), the same WeasyPrint and the same files of the site
    (``pdf_cache``); a rendered PDF is stored in ``cache`` for the next build. WeasyPrint is
    imported only to render (its version read from its metadata: importing it takes 47 MB, about
    the whole of a 600-page build's other memory, for nothing when every PDF is reused)."""
    from importlib import metadata

    started = time.perf_counter()
    entry_key = pdf_cache.key(html_path.read_bytes(), code_digest, metadata.version("weasyprint"))
    entry = pdf_cache.lookup(cache, target.name, entry_key, root)
    if entry is not None:
        pdf_cache.reuse(entry, target)
        return PdfRun(time.perf_counter() - started, [Refusal(url, reason) for url, reason in entry.refused],
                      sorted(entry.files), reused=True)
    run = render(html_path, target, root, timeout)
    refused = [(r.url, r.reason) for r in run.refused]
    html_site_path = site_path(html_path.resolve().as_uri(), root)
    files = pdf_cache.digests([p for p in run.loaded if p != html_site_path], root)
    pdf_cache.store(cache, target.name, entry_key, target, files, refused)
    return run


def _render_in_child(html_path: Path, partial: Path, root: Path, timeout: float) -> tuple[list[Refusal], list[str]]:
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
    return [Refusal(url, reason) for url, reason in outcome["refused"]], outcome["loaded"]


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
