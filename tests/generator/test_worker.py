"""The build's one worker process (briefing.common.worker, issue 14): at series size the link
scans and Material's search indexing run there, and the site is the one an in-process build
writes: the same search index, byte for byte (same entries, same order, same fields)."""

from __future__ import annotations

import pytest

from briefing.common import material_internals, page_split, worker

from sitebuild import build, minimal_config, synthetic


def submitted(monkeypatch) -> list[str]:
    """The names of the functions the build sends to its worker process, in order (and, last
    of all, the worker)."""
    names: list = []
    submit = worker.Worker.submit

    def spy(self, function, *args):
        names.append(function.__name__)
        spy.worker = self
        return submit(self, function, *args)

    monkeypatch.setattr(worker.Worker, "submit", spy)
    return names


def index_of(site_dir) -> bytes:
    return (site_dir / material_internals.SEARCH_INDEX).read_bytes()


@pytest.mark.parametrize("command", ["build", "serve"])
def test_a_series_search_index_is_the_same_indexed_in_the_worker_or_in_process(tmp_path, monkeypatch, command):
    """6 notes x 12 pages (over BACKGROUND_PAGES): each page indexed in the worker, one process
    for the scans and the index; the index the same bytes as Material indexing in the build's
    process (as one build of `mkdocs serve` too)."""
    config = synthetic.generate(tmp_path, notes=6, pages=12, entries=120, per_page=4)
    monkeypatch.setattr(page_split, "SPLIT_PAGES", 10**6)  # every page rendered here (test_page_split: both)
    names = submitted(monkeypatch)
    background = build(config, tmp_path / "worker", command=command)
    assert background.ok, background.text()
    pages = 6 * 12 + 1  # the notes' pages and the series' home (and its author pages)
    assert names.count("index_page") >= pages and names.count("summary_written") >= pages
    # the print editions (read there, as written), the moved addresses and the 404 page (read
    # here) summarised there too; last, what it kept for the next build written
    assert set(names) == {"index_page", "summary_written", "summary_of_file", "save_opened"}
    assert names.count("summary_of_file") == 6 and names[-1] == "save_opened"
    sent = worker.Worker.submit.worker
    assert sent.submitted == len(names) and sent.sent <= len(names) // worker.BATCH + 3  # in batches
    names.clear()
    monkeypatch.setattr(worker, "BACKGROUND_PAGES", 10**6)
    in_process = build(config, tmp_path / "in-process", command=command)
    assert in_process.ok, in_process.text()
    assert names == []  # nothing sent: no worker
    assert index_of(background.site_dir) == index_of(in_process.site_dir)
    last = synthetic.slug(5)
    assert f'"location":"{last}/' in index_of(background.site_dir).decode()  # the last note's pages are in it


@pytest.mark.parametrize("enabled", [True, False], ids=["search", "search-disabled"])
def test_a_small_site_indexed_in_the_worker_has_the_same_index(fixture_site, monkeypatch, tmp_path, enabled):
    """Headings, a page excluded from search, tags and a boost (Material's fields), front-matter
    titles: the entries the worker sends back are Material's own."""
    pages = {
        "index.md": "---\ntitle: The home\ntags: [one, 2]\nsearch:\n  boost: 2\n---\n\nNo h1 here.\n\n"
                    "## First\n\nText *with* `code`.\n\n### Deeper { #deep }\n\n- a\n- b\n",
        "other.md": "# Other\n\nIntro.\n\n## A heading\n\n<div data-search-exclude>hidden</div>\n\nShown.\n",
        "hidden.md": "---\nsearch:\n  exclude: true\n---\n\n# Hidden\n\nNever indexed.\n",
    }
    plugins = [{"search": {"enabled": enabled}}, *minimal_config()["plugins"][1:]]
    names = submitted(monkeypatch)
    monkeypatch.setattr(worker, "BACKGROUND_PAGES", 0)
    background = fixture_site(pages, plugins=plugins)
    assert background.ok, background.text()
    if enabled:
        assert names.count("index_page") == 3 - 1  # the excluded page sends nothing
        first = index_of(background.site_dir)
        monkeypatch.setattr(worker, "BACKGROUND_PAGES", 10**6)
        (tmp_path / "site").rename(tmp_path / "site-worker")
        in_process = fixture_site(pages, plugins=plugins)
        assert in_process.ok, in_process.text()
        assert first == index_of(in_process.site_dir)
        assert b'"tags":["one","2"]' in first and b'"boost":2' in first and b"Never indexed" not in first
    else:
        assert "index_page" not in names
        assert not (background.site_dir / material_internals.SEARCH_INDEX).exists()


@pytest.mark.parametrize("let_go", [True, False], ids=["build", "serve"])
def test_the_worker_s_search_entries_are_let_go_once_the_index_is_written_by_a_build(let_go):
    """A build drops the entries once they are in the index (13 MB of a 600-page build's peak,
    held to its end); under serve Material keeps them for a dirty rebuild."""
    import json

    class Done:
        def __init__(self, value):
            self.value = value

        def result(self):
            return self.value

    snapshot = material_internals.PageSnapshot("<h1 id=\"t\">Title</h1><p>Text</p>", (material_internals.TocItem(
        "t", "#t"),), "page/", "Title", {})
    index = material_internals.WorkerSearchIndex(lambda function, *args: Done(function(*args)), None, let_go,
                                                 lang=["en"], separator=r"[\s\-]+", pipeline=[], fields={})
    index.pending.append(Done(material_internals.index_page(snapshot)))  # a page's entries, as the worker sends them
    written = json.loads(index.generate_search_index(None))
    assert [doc["location"] for doc in written["docs"]] == ["page/"]
    assert (index.entries == []) is let_go
