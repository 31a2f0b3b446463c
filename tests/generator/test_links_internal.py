"""Internal links of the built site (briefing/links/internal.py, briefing/links/scan.py): every
href/src resolves to a file of the site and every fragment to an id; a broken one fails the
strict build naming page and link."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.links import internal as check_links
from briefing.links import scan as sl

from sitebuild import ONE_ENTRY

# Not imported from conftest: tests/browser/conftest.py takes that module name in a full run.
ROOT = Path(__file__).resolve().parents[2]


def warnings_of(result) -> list[str]:
    return [m for m in result.messages if "check_links" in m or "broken" in m or "not allowed" in m]


# --------------------------------------------------------------------------- pure functions


def test_scan_html_finds_links_ids_and_lines():
    scan = sl.scan_html(
        '<p id="a">x</p>\n<a href="b/#c" name="n">y</a>\n<img src="i.png" srcset="s1.png 1x, s2.png 2x">\n'
        '<link rel="canonical" href="https://h/">'
    )
    assert scan.ids == {"a", "n"}
    assert [(link.url, link.attr, link.line) for link in scan.links] == [
        ("b/#c", "href", 2), ("i.png", "src", 3), ("s1.png", "srcset", 3), ("s2.png", "srcset", 3),
        ("https://h/", "href", 4),
    ]
    assert scan.links[-1].rel == "canonical"


@pytest.mark.parametrize(
    ("url", "scheme"),
    [("javascript:alert(1)", "javascript"), (" JavaScript:x", "javascript"), ("java\nscript:x", "javascript"),
     ("\x01data:text/html,x", "data"), ("mailto:a@b.c", "mailto"), ("../x/", ""), ("#f", ""),
     ("https://x.org", "https")],
)
def test_scheme_as_a_browser_reads_it(url, scheme):
    assert sl.scheme_of(url) == scheme


def test_base_recognises_the_sites_own_absolute_urls():
    base = sl.Base.from_site_url("https://Example.github.io/briefing/")
    assert base.own("https://example.github.io/briefing/conclusion/") == "conclusion/"
    assert base.own("https://example.github.io/briefing/") == ""
    assert base.own("https://example.github.io/briefing") == ""
    assert base.own("https://example.github.io/other/") is None
    assert base.own("https://elsewhere.org/briefing/") is None
    assert sl.Base.from_site_url(None).own("https://example.github.io/briefing/") is None


@pytest.fixture
def tiny_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "chapter").mkdir(parents=True)
    (site / "assets").mkdir()
    (site / "assets" / "style.css").write_text("p{}")
    (site / "index.html").write_text('<h1 id="home">Home</h1><a href="chapter/#s1">c</a>')
    (site / "chapter" / "index.html").write_text('<h2 id="s1">S</h2><a name="old">o</a>')
    (site / "404.html").write_text('<a href="/briefing/chapter/">c</a>')
    return site


@pytest.mark.parametrize(
    ("page", "link", "expected"),
    [
        ("index.html", "chapter/", "chapter/index.html"),
        ("index.html", "chapter", "chapter/index.html"),
        ("index.html", "./chapter/index.html", "chapter/index.html"),
        ("chapter/index.html", "..", "index.html"),
        ("chapter/index.html", "../", "index.html"),
        ("chapter/index.html", "../assets/style.css?v=1", "assets/style.css"),
        ("chapter/index.html", "#s1", "chapter/index.html"),
        ("chapter/index.html", "", "chapter/index.html"),
        ("404.html", "/briefing/chapter/", "chapter/index.html"),
        ("404.html", "https://example.github.io/briefing/", "index.html"),
    ],
)
def test_resolve_finds_the_target_file(tiny_site, page, link, expected):
    base = sl.Base.from_site_url("https://example.github.io/briefing/")
    assert sl.resolve(link, page, base, tiny_site)[0] == expected


@pytest.mark.parametrize(
    ("page", "link", "reason"),
    [
        ("index.html", "missing/", "no file 'missing/index.html'"),
        ("index.html", "assets/style.cs", "no file 'assets/style.cs'"),
        ("index.html", "../../etc/passwd", "leads outside the site"),
        ("index.html", "/elsewhere/x/", "outside the site's base path"),
    ],
)
def test_resolve_explains_a_missing_target(tiny_site, page, link, reason):
    base = sl.Base.from_site_url("https://example.github.io/briefing/")
    target, _, why = sl.resolve(link, page, base, tiny_site)
    assert target is None and reason in why


def test_check_site_reports_every_kind_of_problem(tiny_site):
    (tiny_site / "chapter" / "bad.html").write_text(
        '<a href="index.html#s1">ok</a>\n<a href="index.html#old">ok</a>\n<a href="#top">ok</a>\n'
        '<a href="mailto:a@b.org">ok</a>\n'
        '<a href="https://example.org/x">external: not checked here</a>\n'
        '<a href="index.html#nope">x</a>\n<a href="../nope/">x</a>\n<a href="javascript:void(0)">x</a>\n'
        '<img src="data:image/png;base64,AAAA">\n<a href="file:///etc/passwd">x</a>\n'
    )
    problems = sl.check_site(tiny_site, "https://example.github.io/briefing/")
    found = {(p.page, p.link, p.line): p.reason for p in problems}
    assert set(found) == {
        ("chapter/bad.html", "index.html#nope", 6),
        ("chapter/bad.html", "../nope/", 7),
        ("chapter/bad.html", "javascript:void(0)", 8),
        ("chapter/bad.html", "data:image/png;base64,AAAA", 9),
        ("chapter/bad.html", "file:///etc/passwd", 10),
    }
    assert "no element with id 'nope'" in found[("chapter/bad.html", "index.html#nope", 6)]
    assert found[("chapter/bad.html", "javascript:void(0)", 8)].startswith("javascript: links are not allowed")


def nav_site(root: Path, pages: int) -> Path:
    """A site of ``pages`` pages, each in a folder of its own (as MkDocs writes them), each
    repeating a navigation to every page (relative links, different on every page as the
    theme's are) and linking the next page's heading."""
    site = root / "site"
    for n in range(pages):
        folder = site / f"p{n}"
        folder.mkdir(parents=True)
        nav = "".join(f'<a href="../p{m}/">{m}</a><a href="../p{m}/#h">h</a>' for m in range(pages))
        (folder / "index.html").write_text(f'<h1 id="h">{n}</h1><nav>{nav}</nav>'
                                           f'<a href="../p{(n + 1) % pages}/index.html#h">next</a>'
                                           f'<a href="#h">top</a>')
    (site / "index.html").write_text('<a href="p0/">start</a><a href="./p0/#h">start</a>')
    return site


def test_the_link_check_resolves_each_distinct_target_once(tmp_path, monkeypatch):
    """Linear (issue 14): each place the links name is looked up in the site once, however many
    pages link it (the theme's navigation on every page), not once a link (pages squared)."""
    pages = 12
    site = nav_site(tmp_path, pages)
    looked_up = []
    find = sl.find
    monkeypatch.setattr(sl, "find", lambda target, tree: looked_up.append(target) or find(target, tree))
    check = sl.check_whole_site(site, "https://example.github.io/briefing/")
    assert check.problems == []
    links = pages * (2 * pages + 2) + 2
    assert check.links == links
    # for every m: p<m>/, p<m>/#h, and p<m>/index.html#h (its "next" link and its own "#h": one
    # place); the home page's links name places the others name too
    distinct = pages * 3
    assert len(looked_up) == check.targets == distinct
    assert len(set(looked_up)) == len(looked_up)  # never the same target twice


def test_links_located_with_their_scan_are_not_located_again_by_the_check(tmp_path, monkeypatch):
    """Issue 14: where each link leads is worked out where its page is scanned (at series size
    in the build's worker process); the check itself locates no link of a scan that comes
    located, looks each distinct target up once, and goes through a page's links only when one
    is broken (132,971 check_link calls at 600 pages before)."""
    pages = 12
    site = nav_site(tmp_path, pages)
    (site / "p3" / "index.html").write_text('<h1 id="h">3</h1><a href="../p4/#nowhere">x</a><a href="../p4/">y</a>'
                                            '<a href="../p4/#nowhere">again</a><a href="javascript:x()">z</a>')
    base = sl.Base.from_site_url("https://example.github.io/briefing/")
    scans = {page: sl.scan_html((site / page).read_text()) for page in sl.html_files(site)}
    for page, scan in scans.items():
        scan.located = sl.locate_links(scan, page, base)
    assert len(scans["p0/index.html"].located.targets) == 2 * pages + 2  # each of its links names a place of its own
    calls = {"locate": 0, "check_link": 0, "reason": 0}

    def counted(name, function):
        def count(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)
        return count

    monkeypatch.setattr(sl, "locate", counted("locate", sl.locate))
    monkeypatch.setattr(sl, "check_link", counted("check_link", sl.check_link))
    monkeypatch.setattr(sl.TargetChecks, "reason", counted("reason", sl.TargetChecks.reason))
    check = sl.check_whole_site(site, "https://example.github.io/briefing/", scans)
    distinct = len({target for scan in scans.values() for target in scan.located.targets})
    assert calls == {"locate": 0, "check_link": 0, "reason": distinct} and check.targets == distinct
    assert [(p.page, p.link, p.line, p.reason.split(":")[0]) for p in check.problems] == [
        ("p3/index.html", "../p4/#nowhere", 1, "broken anchor"),
        ("p3/index.html", "../p4/#nowhere", 1, "broken anchor"),
        ("p3/index.html", "javascript:x()", 1, "javascript"),
    ]
    # the same problems, in the same order, as a check that locates every link itself
    assert sl.check_whole_site(site, "https://example.github.io/briefing/").problems == check.problems
    assert calls["locate"] == check.links - 1  # (all but the javascript: link, refused by its scheme)


def test_one_lookup_answers_every_link_to_a_target_broken_ones_too(tmp_path):
    site = nav_site(tmp_path, 3)
    (site / "p1" / "index.html").unlink()
    check = sl.check_whole_site(site, "https://example.github.io/briefing/")
    broken = {(p.page, p.link) for p in check.problems}
    assert ("p0/index.html", "../p1/") in broken and ("p2/index.html", "../p1/#h") in broken
    assert ("index.html", "p0/") not in broken
    assert all(p.reason.startswith("broken link: no file 'p1/index.html'") for p in check.problems)


def test_describe_names_page_source_lines_and_link():
    problems = [sl.Problem("a/index.html", "x/", 3, "broken link: no file"),
                sl.Problem("a/index.html", "x/", 9, "broken link: no file"),
                sl.Problem("404.html", "y", 1, "broken link: no file")]
    messages = check_links.describe(problems, {"a/index.html": "docs/a.md"})
    assert messages == [
        "docs/a.md (a/index.html, lines 3, 9): broken link: no file: 'x/'",
        "404.html (line 1): broken link: no file: 'y'",
    ]


# --------------------------------------------------------------------------- strict builds


def test_broken_raw_html_link_fails_the_strict_build(fixture_site):
    result = fixture_site(
        {"index.md": '# Home\n\nText.\n\n<a href="../nowhere/">a raw link</a>\n'}, bib=ONE_ENTRY
    )
    assert not result.ok
    assert any("docs/index.md" in m and "'../nowhere/'" in m and "broken link" in m for m in result.messages), \
        result.text()


def test_broken_raw_html_anchor_fails_the_strict_build(fixture_site):
    result = fixture_site(
        {
            "index.md": '# Home\n\n<a href="other/#no-such-heading">there</a>\n',
            "other.md": "# Other\n\n## A heading\n",
        },
        bib=ONE_ENTRY,
    )
    assert not result.ok
    assert any(
        "docs/index.md" in m and "other/#no-such-heading" in m and "no element with id 'no-such-heading'" in m
        for m in result.messages
    ), result.text()


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,hello"])
def test_javascript_and_data_links_fail_the_strict_build(fixture_site, link):
    result = fixture_site(
        {"index.md": f'# Home\n\n<a href="{link}">click</a>\n'}, bib=ONE_ENTRY
    )
    assert not result.ok
    scheme = link.split(":")[0]
    assert any("docs/index.md" in m and link in m and f"{scheme}: links are not allowed" in m
               for m in result.messages), result.text()


def test_good_raw_links_notes_and_mailto_pass(fixture_site):
    result = fixture_site(
        {
            "index.md": '# Home\n\nText.[@smith2020title]\n\n<a href="other/#a-heading">ok</a> '
                        '<a href="mailto:editor@example.org">mail</a> <a href="#fn:1">note</a>\n',
            "other.md": "# Other\n\n## A heading\n",
        },
        bib=ONE_ENTRY,
    )
    assert result.ok, result.text()
    assert not warnings_of(result)


def test_bad_linkcheck_setting_is_a_configuration_error(fixture_site):
    result = fixture_site({"index.md": "# Home\n"}, bib=ONE_ENTRY,
                          options={"publication": None, "links": {"external": "sometimes"}})
    assert not result.ok
    assert "mkdocs.yml: briefing.links.external" in result.text() and "sometimes" in result.text()


def test_unknown_linkcheck_key_is_a_warning(fixture_site):
    result = fixture_site({"index.md": "# Home\n"}, bib=ONE_ENTRY,
                          options={"publication": None, "links": {"external": False, "extrnal": "full"}})
    assert not result.ok
    assert any("extrnal" in m for m in result.messages), result.text()


def test_report_inside_site_dir_is_refused(fixture_site):
    result = fixture_site({"index.md": "# Home\n"}, bib=ONE_ENTRY,
                          options={"publication": None, "links": {"external": "cached", "report": "site/report.txt"}})
    assert not result.ok
    assert "inside site_dir" in result.text()




def test_duplicate_ids_are_reported_with_their_lines(tiny_site):
    (tiny_site / "chapter" / "twice.html").write_text('<p id="x">a</p>\n<p id="y">b</p>\n<div id="x">c</div>\n')
    problems = sl.check_site(tiny_site, "https://example.github.io/briefing/")
    assert [(p.page, p.link, p.line, p.reason) for p in problems] == [
        ("chapter/twice.html", "x", 3, "duplicate id (lines 1, 3): each id must be unique in its page"),
    ]


def test_duplicate_ids_fail_the_strict_build(fixture_site):
    result = fixture_site({"index.md": '# Home\n\n<div id="same">a</div>\n\n<div id="same">b</div>\n'},
                          bib=ONE_ENTRY)
    assert not result.ok
    assert any("docs/index.md" in m and "duplicate id" in m and "'same'" in m for m in result.messages), \
        result.text()


def test_a_plain_relative_link_is_located_without_urlsplit(monkeypatch):
    """Issue 14: most links of a series' pages (navigation, notes) are plain relative links;
    locating them is string work without urlsplit (the check was a fifth of a 600-page build)."""
    from briefing.links import scan

    base = scan.Base.from_site_url("https://example.org/site/")
    expected = {link: scan.locate(link, "note/chapter/index.html", base)
                for link in ("../other/", "../other/#fn:2", "#fnref:1", "", "img/a%20b.png", "../../..//x", "./")}
    monkeypatch.setattr(scan, "urlsplit", lambda *a, **k: (_ for _ in ()).throw(AssertionError("urlsplit")))
    for link, target in expected.items():
        assert scan.locate(link, "note/chapter/index.html", base) == target, link
    assert expected["../other/#fn:2"] == scan.Target("note/other", True, "fn:2")
    assert expected["img/a%20b.png"] == scan.Target("note/chapter/img/a b.png", False, "")
    assert expected["../../..//x"][0] is None  # leads outside the site


@pytest.mark.parametrize("background", [False, True], ids=["in-process", "worker"])
def test_pages_are_scanned_as_written_with_the_lines_of_the_finished_files(fixture_site, monkeypatch, background):
    """The link check scans each page from the HTML the build writes (issue 14), in a worker
    process at series size, not read again from site_dir; the scans are those of the finished
    files (the Content-Security-Policy's line counted), so lines in messages stay the file's."""
    from briefing.common import worker
    from briefing.links import written

    monkeypatch.setattr(worker, "BACKGROUND_PAGES", 0 if background else 10**6)
    seen: dict = {}
    collect = written.WrittenScans.collect

    def spy(self, site_dir):
        seen["written"] = set(self.done) | set(self.pending)
        seen["background"] = self.worker.started
        seen["base"] = self.base
        seen["scans"] = collect(self, site_dir)
        return seen["scans"]

    monkeypatch.setattr(written.WrittenScans, "collect", spy)
    result = fixture_site({"index.md": "# Home\n\nSee [the other page](other.md).\n",
                           "other.md": "# Other\n\n<a href=\"index.html#nowhere\">a broken anchor</a>\n"},
                          strict=False)
    assert "no element with id 'nowhere'" in result.text()
    assert seen["background"] is background
    assert {"index.html", "other/index.html"} <= seen["written"]
    on_disk = sl.scan_site(result.site_dir)
    base = seen["base"]
    # each page comes back summarised (its ids, its distinct targets: its links located where it
    # was scanned, in the worker at series size)
    assert seen["scans"] == {page: sl.summarize(scan, page, base) for page, scan in on_disk.items()}
    assert any(link.url == "index.html#nowhere" for link in on_disk["other/index.html"].links)
    assert "other/index.html, line " in result.text()  # the line of the file, read again to report it


def test_the_files_no_page_scan_covers_are_read_before_the_policy_pass_rewrites_them(tmp_path):
    """At series size the print editions, moved addresses and 404 page are scanned in the worker
    while the policy pass rewrites every file in the build's process: each is read here, when it
    is handed over, so the worker never reads a file the pass has half written (seen once: a
    404.html scanned with no links)."""
    from briefing.common.worker import Worker
    from briefing.links import written

    (tmp_path / "404.html").write_text('<a href="#top">top</a>\n', encoding="utf-8")
    scans = written.WrittenScans(with_policy=False, base=sl.Base.from_site_url(None), worker=Worker(background=True))
    try:
        scans.add_files(tmp_path)
        (tmp_path / "404.html").write_text("", encoding="utf-8")  # as the pass truncates it, before it writes
        found = scans.collect(tmp_path)
    finally:
        scans.worker.stop()
    assert found["404.html"].targets == (sl.Target("404.html", False, "top"),)  # its one link, #top


def test_every_print_edition_is_read_by_the_worker_before_the_policy_pass_rewrites_it(tmp_path):
    """At series size a print edition is summarised in the worker from its file, as it is written
    (the build's process never holds it again); the files' hand-over (before the policy pass)
    waits until the worker has read every one of them."""
    from briefing.common.worker import Worker
    from briefing.links import written

    edition = tmp_path / "note" / "print" / "index.html"
    edition.parent.mkdir(parents=True)
    edition.write_text('<h1 id="t">T</h1>\n<a href="#t">t</a>\n', encoding="utf-8")
    scans = written.WrittenScans(with_policy=False, base=sl.Base.from_site_url(None), worker=Worker(background=True))
    try:
        scans.add_edition("note/print/index.html", edition)
        scans.add_files(tmp_path)
        edition.write_text("", encoding="utf-8")  # as the pass truncates it, before it writes
        found = scans.collect(tmp_path)
    finally:
        scans.worker.stop()
    assert found["note/print/index.html"] == sl.ScanSummary(frozenset({"t"}), (sl.Target("note/print/index.html",
                                                                                        False, "t"),), False, 1)


def test_a_scan_holds_each_repeated_url_once_in_compact_links():
    """A 600-page site's scans hold 133,000 links, most of them the navigation's, repeated
    (issue 14: 47 MB before, 24 MB with slots and one string for each repeated value)."""
    scan = sl.scan_html('<p><a href="../x/" rel="next">a</a> <link href="../x/" rel="next"></p>')
    first, second = scan.links
    assert first.url is second.url and first.rel is second.rel
    assert not hasattr(first, "__dict__") and not hasattr(sl.Inline("script", "", 1, ""), "__dict__")
