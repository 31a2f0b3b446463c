"""Every HTML page of the site carries a Content-Security-Policy that allows the site's own
files and the hashes of its own inline scripts and styles, nothing else
(hooks/content_security_policy.py). The browser tests (tests/browser/test_csp_enforced.py) show
that the browser enforces it and that the real site breaks it nowhere."""

from __future__ import annotations

import re
import tracemalloc

import lxml.html

from briefing.site_policy import csp

from sitebuild import NOTE, ONE_ENTRY, as_note, series_options

PAGE = """<!doctype html>
<html><head>
<meta charset="utf-8">
<script>var a = 1;</script>
<script id="__config" type="application/json">{"b": 2}</script>
<script src="x.js"></script>
<style>p { color: red }</style>
</head><body><script type="module">import "./y.js";</script></body></html>"""


def test_inline_scripts_that_run_are_hashed_and_data_blocks_are_not():
    assert csp.inline_scripts(PAGE) == ["var a = 1;", 'import "./y.js";']
    assert csp.inline_styles(PAGE) == ["p { color: red }"]
    # The hash Chromium asks for when it blocks <script>var x=1;</script>.
    assert csp.sha256("var x=1;") == "'sha256-hY782Iu6H/g1I2gZmb4nWf3mmxS9Tfhe+dnlwYVVuDs='"


def test_the_policy_comes_right_after_meta_charset():
    html = csp.with_policy(PAGE, "default-src 'self'")
    head = html.split("<head>")[1]
    assert head.index('<meta charset="utf-8">') < head.index("Content-Security-Policy") < head.index("<script")
    assert csp.with_policy("<p>no head</p>", "x") is None


def test_every_page_gets_the_hashes_of_the_whole_site():
    """Material's instant navigation runs the next page's inline scripts under the policy of
    the page the reader opened first."""
    policy = csp.site_policy(["<script>one()</script>", "<script>two()</script>"])
    assert csp.sha256("one()") in policy and csp.sha256("two()") in policy
    assert policy.startswith("default-src 'self'; script-src 'self' 'sha256-")
    assert "unsafe-inline" not in policy.split("style-src-attr")[0] and "unsafe-eval" not in policy


def test_every_built_page_has_one_policy_listing_its_inline_scripts(fixture_site):
    """Every page: the series' home, a note's pages, its print edition, the page at a moved address."""
    result = fixture_site(as_note({"index.md": "# Home\n\nText.[@smith2020title]\n", "other.md": "# Other\n\nText.\n"}),
                          bib=ONE_ENTRY, options=series_options(moved={"other/": f"{NOTE}/other/"}))
    assert result.ok, result.text()
    pages = sorted(result.site_dir.rglob("*.html"))
    assert {p.relative_to(result.site_dir).as_posix() for p in pages} >= {
        "index.html", "404.html", f"{NOTE}/index.html", f"{NOTE}/print/index.html", "other/index.html"}
    for path in pages:
        text = path.read_text(encoding="utf-8")
        root = lxml.html.document_fromstring(text)
        metas = root.xpath("//meta[@http-equiv='Content-Security-Policy']")
        assert len(metas) == 1, path
        head = root.find("head")
        assert list(head).index(metas[0]) == 1, path  # right after <meta charset>, before what it governs
        policy = metas[0].get("content")
        for body in csp.inline_scripts(text) + csp.inline_styles(text):
            assert csp.sha256(body) in policy, (path, body[:40])
        assert re.search(r"default-src 'self';", policy)


def test_a_page_with_a_policy_of_its_own_fails_the_build(fixture_site):
    page = '# Home\n\n<meta http-equiv="Content-Security-Policy" content="default-src *">\n\nText.\n'
    result = fixture_site({"index.md": page}, bib=ONE_ENTRY)
    assert not result.ok
    assert any("index.html: has a Content-Security-Policy of its own" in m for m in result.messages), result.text()


def test_a_page_kept_from_an_earlier_build_gets_the_policy_anew(tmp_path):
    """`mkdocs build --dirty` leaves pages it did not write again, with last build's policy."""
    page = '<html><head><meta charset="utf-8"></head><body><script>{}</script></body></html>'
    (tmp_path / "a.html").write_text(page.format("one()"))

    assert csp.apply(tmp_path) == []
    first = (tmp_path / "a.html").read_text()
    (tmp_path / "b.html").write_text(page.format("two()"))
    assert csp.apply(tmp_path) == []
    again = (tmp_path / "a.html").read_text()
    assert again.count("Content-Security-Policy") == 1 and csp.sha256("two()") in again and again != first


def test_the_policy_pass_holds_one_page_at_a_time(tmp_path):
    """At series size the site's HTML is 50 MB: the pass that puts the policy in must not hold
    all of it (and a copy) at once, as it did (80 MB above the rest of a 600-page build)."""
    pages = 40
    filler = "<p>" + "x" * 100_000 + "</p>"
    for number in range(pages):
        (tmp_path / f"p{number}.html").write_text(
            f'<html><head><meta charset="utf-8"><script>page({number})</script></head><body>{filler}</body></html>')
    tracemalloc.start()
    try:
        assert csp.apply(tmp_path) == []
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 * len(filler), f"{peak:,} bytes at once for {pages} pages of {len(filler):,}"
    written = (tmp_path / "p7.html").read_text()
    assert all(csp.sha256(f"page({number})") in written for number in range(pages))  # every page's hash on each


def test_no_policy_under_mkdocs_serve(fixture_site):
    """MkDocs' live reload puts a new inline script into every page it serves."""
    pages = {"index.md": "# Home\n\nText.\n"}
    served = fixture_site(pages, command="serve")
    assert served.ok, served.text()
    assert "Content-Security-Policy" not in served.html()
    built = fixture_site(pages)
    assert built.ok and "Content-Security-Policy" in built.html()
