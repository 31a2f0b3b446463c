"""Issue 14: the link scans and Material's search entries kept between builds
(briefing.common.kept): read back only for the same bytes, checked for shape, worked out again
for anything else, and the link check itself run on every build."""

from __future__ import annotations

import json

import pytest

from briefing.common import kept, material_internals, worker
from briefing.links import scan as sl
from briefing.links import written

PAGES = {"index.md": "# Home\n\nSee [the chapter](chapter.md#a-part).\n",
         "chapter.md": "# Chapter\n\n## A part\n\nText.\n\n## Another\n\nMore text.\n",
         "other.md": "# Other\n\n*More* text.\n"}

HTML = """<!doctype html><html><head><link rel="stylesheet" href="assets/x.css">
<link rel="canonical" href="https://example.org/a/"><style>body{background:url("img/a.png")}</style></head>
<body><a href="a/#x" id="one">a</a><a href="../out/">out</a><a href="javascript:alert(1)">bad</a>
<img src="img/b.png" srcset="img/c.png 2x, img/d.png 3x"><p id="dup">1</p><p id="dup">2</p>
<button onclick="go()">go</button><script>var a = 1;</script><a href="mailto:x@example.org">m</a>
<a href="https://example.org/a/b/#y">own</a><a name="anchor"></a></body></html>"""


def scans_kept(root):
    return sorted((root / ".cache" / "plugin" / "links" / "scans" / "pages").glob("*.json"))


def entries_kept(root):
    return sorted((root / ".cache" / "plugin" / "search" / "entries").glob("*.json"))


@pytest.fixture(autouse=True)
def no_open_stores():
    kept.forget()
    yield
    kept.forget()


def test_a_summary_read_back_is_the_summary():
    base = sl.Base.from_site_url("https://example.org/")
    scan = written.scan_written(HTML, True, "a/index.html", base)
    assert scan.links and scan.duplicate_ids and scan.inline and scan.located.refused
    summary = sl.summarize(scan, "a/index.html", base)
    assert summary.flagged and summary.ids == scan.ids and summary.targets == scan.located.targets
    assert summary.links == len(scan.links)
    data = json.loads(json.dumps(written.summary_data(summary)))
    assert written.summary_from_data(data) == summary


def test_summaries_share_one_target_object_for_links_pages_repeat():
    """The theme's links are the same targets on every page: each summary made or read back
    holds the one object of the process, so a batch of them pickles each target once (a
    600-page build's summaries: a few thousand targets, not 90,000 tuples)."""
    import pickle

    base = sl.Base.from_site_url("https://example.org/")
    made = [sl.summarize(written.scan_written(HTML, True, page, base), page, base) for page in ("a/index.html",
                                                                                              "a/index.html")]
    read = written.summary_from_data(json.loads(json.dumps(written.summary_data(made[0]))))
    assert made[0].targets and made[0].targets == made[1].targets == read.targets
    assert all(one is other is again for one, other, again in zip(made[0].targets, made[1].targets, read.targets,
                                                               strict=True))
    back = pickle.loads(pickle.dumps(made))  # as a batch of answers crosses from the worker
    assert back[0].targets[0] is back[1].targets[0]


@pytest.mark.parametrize("edit", [
    lambda d: "not a summary",
    lambda d: {**d, "ids": "dup"},
    lambda d: {**d, "ids": [1]},
    lambda d: {**d, "targets": [["a", "no", ""]]},
    lambda d: {**d, "targets": [["a", False]]},
    lambda d: {**d, "flagged": 1},
    lambda d: {**d, "links": len(d["targets"]) - 1},  # fewer links than the targets they lead to
    lambda d: {key: value for key, value in d.items() if key != "links"},
])
def test_a_kept_summary_that_is_not_what_was_kept_is_refused(edit):
    base = sl.Base.from_site_url(None)
    data = written.summary_data(sl.summarize(written.scan_written(HTML, False, "a/index.html", base), "a/index.html",
                                             base))
    assert written.summary_from_data(data) is not None
    assert written.summary_from_data(edit(data)) is None


def test_the_same_bytes_are_scanned_once_and_other_bytes_again(tmp_path, monkeypatch):
    scanned: list[str] = []
    real = written.scan_written
    monkeypatch.setattr(written, "scan_written", lambda html, *rest: scanned.append(html) or real(html, *rest))
    keep = (str(tmp_path), "shared")
    base = sl.Base.from_site_url(None)
    first = written.summary_written(HTML, False, "a/index.html", base, keep)
    assert kept.save_opened() == 1 and len(list(tmp_path.glob("*.json"))) == 1
    assert written.summary_written(HTML, False, "a/index.html", base, keep) == first
    assert len(scanned) == 1, "the same bytes scanned again"
    written.summary_written(HTML.replace("a/#x", "b/#x"), False, "a/index.html", base, keep)
    written.summary_written(HTML, True, "a/index.html", base, keep)  # with the policy line: another file
    written.summary_written(HTML, False, "b/index.html", base, keep)  # another page: links lead elsewhere
    written.summary_written(HTML, False, "a/index.html", base, (str(tmp_path), "other code"))
    assert len(scanned) == 5


def test_the_check_of_summarised_pages_reads_a_page_again_only_to_report_it(tmp_path, monkeypatch):
    """A summarised page is read again from the site, whole, for the lines of what is wrong on
    it; a page with nothing to report is not."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text('<p id="top">x</p>\n<a href="a/#there">a</a>\n', encoding="utf-8")
    (site / "a" / "index.html").write_text('<h1 id="here">A</h1>\n\n<a href="../#top">home</a>\n',
                                           encoding="utf-8")
    base = sl.Base.from_site_url(None)
    summaries = {page: sl.summarize(sl.scan_html((site / page).read_text(encoding="utf-8")), page, base)
                 for page in ("a/index.html", "index.html")}
    read: list[str] = []
    real = sl.scan_html
    monkeypatch.setattr(sl, "scan_html", lambda text, *rest: read.append(text) or real(text, *rest))
    check = sl.check_whole_site(site, None, summaries)
    assert [(p.page, p.link, p.line) for p in check.problems] == [("index.html", "a/#there", 2)]
    assert check.links == 2 and len(read) == 1 and "a/#there" in read[0]


@pytest.mark.parametrize("background", [True, False], ids=["worker", "in-process"])
def test_a_site_built_again_checks_every_link_on_the_kept_summaries(fixture_site, tmp_path, monkeypatch, background):
    """A broken link in raw HTML fails every build, its summary read back or not, naming the
    page and its line; a tampered summary is made again (in the worker at series size)."""
    monkeypatch.setattr(worker, "BACKGROUND_PAGES", 0 if background else 10**6)
    pages = {**PAGES, "other.md": '# Other\n\n<a href="../chapter/#no-such-part">broken</a>\n'}
    for build in ("first", "again", "tampered"):
        if build == "tampered":
            for path in scans_kept(tmp_path):
                document = json.loads(path.read_text(encoding="utf-8"))
                answers = document["answers"]
                document["answers"] = {key: {**summary, "links": "none"} for key, summary in answers.items()}
                path.write_text(json.dumps(document), encoding="utf-8")
        result = fixture_site(pages)
        assert not result.ok
        assert any("no-such-part" in message and "other.md" in message and "line" in message
                   for message in result.messages), (build, result.text())
        assert scans_kept(tmp_path), "the worker kept no summaries"
        (tmp_path / "site").rename(tmp_path / build)


def test_search_entries_are_made_once_for_the_same_page(tmp_path, monkeypatch):
    made: list[str] = []
    real = material_internals._index
    monkeypatch.setattr(material_internals, "_index", lambda snapshot: made.append(snapshot.url) or real(snapshot))
    snapshot = material_internals.PageSnapshot(
        "<h1 id=\"t\">Title</h1><p>Text</p><h2 id=\"s\">Part</h2><p>More</p>",
        (material_internals.TocItem("t", "#t"), material_internals.TocItem("s", "#s")), "note/page/", "Title", {})
    keep = (str(tmp_path), "shared")
    first = material_internals.index_page(snapshot, keep)
    assert first == real(snapshot) and [entry["location"] for entry in first] == ["note/page/", "note/page/#s"]
    kept.save_opened()
    assert material_internals.index_page(snapshot, keep) == first and made == ["note/page/"]
    changed = material_internals.PageSnapshot(snapshot.content.replace("More", "Else"), snapshot.toc, snapshot.url,
                                              snapshot.title, snapshot.meta)
    assert "Else" in material_internals.index_page(changed, keep)[1]["text"]
    unplain = material_internals.PageSnapshot(snapshot.content, snapshot.toc, snapshot.url, snapshot.title,
                                              {"search": {"boost": object()}})
    material_internals.index_page(unplain, keep)  # meta that is not plain data: made, not kept
    assert made == ["note/page/"] * 3


def test_search_entries_kept_by_the_worker_give_the_same_index_and_a_tampered_file_is_ignored(
        fixture_site, tmp_path, monkeypatch):
    monkeypatch.setattr(worker, "BACKGROUND_PAGES", 0)
    first = fixture_site(PAGES)
    assert first.ok, first.text()
    index = (first.site_dir / material_internals.SEARCH_INDEX).read_bytes()
    assert entries_kept(tmp_path), "the worker kept no entries"
    (tmp_path / "site").rename(tmp_path / "first")
    again = fixture_site(PAGES)
    assert again.ok, again.text()
    assert (again.site_dir / material_internals.SEARCH_INDEX).read_bytes() == index
    for path in entries_kept(tmp_path):
        document = json.loads(path.read_text(encoding="utf-8"))
        document["answers"] = {key: [{"location": 1}] for key in document["answers"]}
        path.write_text(json.dumps(document), encoding="utf-8")
    (tmp_path / "site").rename(tmp_path / "second")
    third = fixture_site(PAGES)
    assert third.ok, third.text()
    assert (third.site_dir / material_internals.SEARCH_INDEX).read_bytes() == index
