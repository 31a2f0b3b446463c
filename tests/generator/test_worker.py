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
    # a build's entries stay in the worker, which writes the index; serve's come back
    indexing = {"build": "hold_page", "serve": "index_page"}[command]
    assert names.count(indexing) >= pages and names.count("summary_written") >= pages
    # the print editions (read there, as written), the moved addresses and the 404 page (read
    # here) summarised there too; last, what it kept for the next build written
    written = {"build": {"write_held"}, "serve": set()}[command]
    assert set(names) == {indexing, "summary_written", "summary_of_file", "save_opened"} | written
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
        assert names.count("hold_page") == 3 - 1 and "write_held" in names  # the excluded page sends nothing
        first = index_of(background.site_dir)
        monkeypatch.setattr(worker, "BACKGROUND_PAGES", 10**6)
        (tmp_path / "site").rename(tmp_path / "site-worker")
        in_process = fixture_site(pages, plugins=plugins)
        assert in_process.ok, in_process.text()
        assert first == index_of(in_process.site_dir)
        assert b'"tags":["one","2"]' in first and b'"boost":2' in first and b"Never indexed" not in first
    else:
        assert "hold_page" not in names and "write_held" not in names
        assert not (background.site_dir / material_internals.SEARCH_INDEX).exists()


def test_a_build_s_search_entries_stay_in_the_worker_which_writes_the_index(tmp_path, monkeypatch):
    """Under `mkdocs build` the build's process receives no search entry (13 MB of a 600-page
    build's peak): the worker holds them and writes the index, Material's bytes, each hit
    named by its note; the second renderer's entries reach the worker in a file of their own."""
    from briefing.common import page_split

    config = synthetic.generate(tmp_path, notes=6, pages=12, entries=120, per_page=4)
    answers: list = []
    result = worker.Job.result

    def spy(self):
        answer = result(self)
        answers.append(answer)
        return answer

    def never(*args):
        raise AssertionError("the build's process read the second renderer's entries")

    monkeypatch.setattr(worker.Job, "result", spy)
    monkeypatch.setattr(material_internals, "read_elsewhere", never)  # the worker (spawned) has its own
    held = build(config, tmp_path / "held")
    assert held.ok, held.text()
    entries = [answer for answer in answers if isinstance(answer, list) and answer and isinstance(answer[0], dict)]
    assert answers and entries == []
    assert any(type(answer) is int and answer > 6 * 12 for answer in answers)  # write_held: how many it wrote
    monkeypatch.undo()
    monkeypatch.setattr(page_split, "SPLIT_PAGES", 10**6)
    monkeypatch.setattr(worker, "BACKGROUND_PAGES", 10**6)
    in_process = build(config, tmp_path / "in-process")
    assert in_process.ok, in_process.text()
    assert index_of(held.site_dir) == index_of(in_process.site_dir)
    assert index_of(held.site_dir).count(b" \\u203a ") >= 6 * 12  # each page's hit named by its note


@pytest.mark.parametrize("hold", [True, False], ids=["build", "serve"])
def test_held_entries_are_written_by_the_worker_and_served_ones_come_back(tmp_path, hold):
    """The index a held WorkerSearchIndex has the worker write is Material's, named; under
    serve the entries come back and stay (Material keeps them for a dirty rebuild)."""
    import json

    class Done:
        def __init__(self, value):
            self.value = value

        def result(self):
            return self.value

    snapshot = material_internals.PageSnapshot("<h1 id=\"t\">Title</h1><p>Text</p><h2 id=\"s\">Sub</h2><p>More</p>",
                                               (material_internals.TocItem("t", "#t"), material_internals.TocItem(
                                                   "s", "#s")), "note/page/", "Title", {})
    config = {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": [], "fields": {}}
    index = material_internals.WorkerSearchIndex(lambda function, *args: Done(function(*args)), None, hold, **config)
    index.notes = {"note": "A <Note>"}
    toc = [type("T", (), {"id": item.id, "url": item.url, "children": []})() for item in snapshot.toc]
    page = type("Page", (), {"meta": {}, "content": snapshot.content, "url": snapshot.url, "title": snapshot.title,
                             "toc": toc})
    index.add_entry_from_context(page())
    path = tmp_path / "search" / "search_index.json"
    if hold:
        assert len(index.pending) == 1 and index.entries == []
        assert index.write(str(path)) == 2
        assert material_internals._HELD == {}  # the worker lets them go once written
        written = json.loads(path.read_text(encoding="utf-8"))
    else:
        written = json.loads(index.generate_search_index(None))
        assert len(index.entries) == 2  # kept for a dirty rebuild
    assert [(doc["location"], doc["title"]) for doc in written["docs"]] == [
        ("note/page/", "A &lt;Note&gt; \u203a Title"), ("note/page/#s", "Sub")]
    assert written["config"] == config


def test_a_page_the_worker_cannot_index_fails_a_held_index_as_an_unheld_one(tmp_path):
    """Held, a page's entries never come back; what went wrong indexing it still does, and the
    index is not written without the page."""
    class Done:
        def __init__(self, function, *args):
            try:
                self.value, self.error = function(*args), None
            except Exception as error:  # noqa: BLE001 - as the worker's batch keeps it
                self.value, self.error = None, error

        def result(self):
            if self.error is not None:
                raise self.error
            return self.value

    page = type("Page", (), {"meta": {}, "content": None, "url": "page/", "title": "T", "toc": []})
    for hold in (True, False):
        index = material_internals.WorkerSearchIndex(Done, None, hold, lang=["en"], separator=r"[\s\-]+",
                                                     pipeline=[], fields={})
        index.add_entry_from_context(page())  # no content: Material's parser fails on it
        path = tmp_path / "search_index.json"
        with pytest.raises(TypeError):
            index.write(str(path)) if hold else index.generate_search_index(None)
        assert not path.exists()
