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


def test_a_scan_read_back_is_the_scan():
    base = sl.Base.from_site_url("https://example.org/")
    scan = written.scan_written(HTML, True, "a/index.html", base)
    assert scan.links and scan.duplicate_ids and scan.inline and scan.scripts and scan.located.refused
    data = json.loads(json.dumps(written.scan_data(scan)))
    back = written.scan_from_data(data, "a/index.html", base)
    assert back == scan  # links, ids, duplicate ids, handlers, scripts
    assert back.located == scan.located  # where each link leads, the refused ones with why


@pytest.mark.parametrize("edit", [
    lambda d: "not a scan",
    lambda d: {**d, "links": [[1, "a", "href", 1, "", False]]},
    lambda d: {**d, "links": d["links"][:-1]},  # a link fewer than the located ones
    lambda d: {**d, "which": [len(d["targets"])] * len(d["which"])},  # a target that is not there
    lambda d: {**d, "ids": "dup"},
    lambda d: {**d, "duplicate_ids": {"dup": ["3"]}},
    lambda d: {**d, "refused": [["0", "why"]]},
    lambda d: {key: value for key, value in d.items() if key != "inline"},
])
def test_a_kept_scan_that_is_not_what_was_kept_is_refused(edit):
    base = sl.Base.from_site_url(None)
    data = written.scan_data(written.scan_written(HTML, False, "a/index.html", base))
    assert written.scan_from_data(data, "a/index.html", base) is not None
    assert written.scan_from_data(edit(data), "a/index.html", base) is None


def test_the_same_bytes_are_scanned_once_and_other_bytes_again(tmp_path, monkeypatch):
    scanned: list[str] = []
    real = written._scan
    monkeypatch.setattr(written, "_scan", lambda html, *rest: scanned.append(html) or real(html, *rest))
    keep = (str(tmp_path), "shared")
    base = sl.Base.from_site_url(None)
    first = written.scan_written(HTML, False, "a/index.html", base, keep)
    assert kept.save_opened() == 1 and len(list(tmp_path.glob("*.json"))) == 1
    assert written.scan_written(HTML, False, "a/index.html", base, keep) == first
    assert len(scanned) == 1, "the same bytes scanned again"
    written.scan_written(HTML.replace("a/#x", "b/#x"), False, "a/index.html", base, keep)
    written.scan_written(HTML, True, "a/index.html", base, keep)  # with the policy line: other lines
    written.scan_written(HTML, False, "b/index.html", base, keep)  # another page: links lead elsewhere
    written.scan_written(HTML, False, "a/index.html", base, (str(tmp_path), "other code"))
    assert len(scanned) == 5


def test_a_site_built_again_scans_no_page_and_still_checks_every_link(fixture_site, tmp_path, monkeypatch):
    """The second build reads every page's scan back; a broken link in raw HTML fails both
    builds (the check runs on what is read back), naming the page."""
    scanned: list[str] = []
    real = written._scan
    monkeypatch.setattr(written, "_scan", lambda html, with_policy, page, base:
                        scanned.append(page) or real(html, with_policy, page, base))
    pages = {**PAGES, "other.md": '# Other\n\n<a href="chapter/#no-such-part">broken</a>\n'}
    first = fixture_site(pages)
    assert not first.ok
    assert any("no-such-part" in message and "other.md" in message for message in first.messages), first.text()
    assert "other/index.html" in scanned and scans_kept(tmp_path)
    scanned.clear()
    (tmp_path / "site").rename(tmp_path / "first")
    again = fixture_site(pages)
    assert "other/index.html" not in scanned and "chapter/index.html" not in scanned
    assert not again.ok
    assert any("no-such-part" in message and "other.md" in message for message in again.messages), again.text()


def test_a_tampered_scan_is_made_again_and_the_site_checked_as_ever(fixture_site, tmp_path, monkeypatch):
    assert fixture_site(PAGES).ok
    for path in scans_kept(tmp_path):
        document = json.loads(path.read_text(encoding="utf-8"))
        document["answers"] = {key: {**scan, "links": "none"} for key, scan in document["answers"].items()}
        path.write_text(json.dumps(document), encoding="utf-8")
    scanned: list[str] = []
    real = written._scan
    monkeypatch.setattr(written, "_scan", lambda html, with_policy, page, base:
                        scanned.append(page) or real(html, with_policy, page, base))
    (tmp_path / "site").rename(tmp_path / "first")
    result = fixture_site(PAGES)
    assert result.ok, result.text()
    assert {"index.html", "chapter/index.html", "other/index.html"} <= set(scanned)


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
