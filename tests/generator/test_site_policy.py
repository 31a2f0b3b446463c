"""The build enforces what the site promises: nothing a page loads comes from another site,
every link is of the site, http(s) or mailto:, and no link runs code (hooks/_sitelinks.py,
hooks/check_links.py). A page that breaks a rule fails the strict build naming the Markdown
file and line, and what it broke is taken out before any other hook sees it."""

from __future__ import annotations

import pytest

from briefing.links import scan as sl

from sitebuild import NOTE, ONE_ENTRY, as_note, series_options

BASE = sl.Base.from_site_url("https://example.github.io/briefing/")

# (raw HTML in a chapter, the URL (or text) refused, what the message says)
HOSTILE = [
    ('<img src="https://third.party/x.png" alt="x">', "https://third.party/x.png", "third-party request (<img src>)"),
    ('<script src="https://cdn.example/x.js"></script>', "https://cdn.example/x.js", "(<script src>)"),
    ('<iframe src="https://third.party/frame"></iframe>', "https://third.party/frame", "(<iframe src>)"),
    ('<link rel="preconnect" href="https://fonts.gstatic.com">', "https://fonts.gstatic.com", "(<link href>)"),
    ('<link rel="dns-prefetch" href="//tracker.example">', "//tracker.example", "(<link href>)"),
    ('<base href="https://third.party/base/">', "https://third.party/base/", "(<base href>)"),
    ('<meta http-equiv="refresh" content="0; url=https://third.party/away/">', "https://third.party/away/",
     "(<meta http-equiv=refresh>)"),
    ('<p style="background: url(https://third.party/bg.png)">x</p>', "https://third.party/bg.png", "(<p style>)"),
    ('<p style="background: u\\72l(https://third.party/esc.png)">x</p>', "https://third.party/esc.png", "(<p style>)"),
    ('<style>@import "https://third.party/x.css";</style>', "https://third.party/x.css", "(<style>)"),
    ('<object data="https://third.party/x.swf"></object>', "https://third.party/x.swf", "(<object data>)"),
    ('<video poster="https://third.party/p.png"></video>', "https://third.party/p.png", "(<video poster>)"),
    ('<img srcset="a.png 1x, https://third.party/b.png 2x" alt="">', "https://third.party/b.png", "(<img srcset>)"),
    ('<svg><image href="https://third.party/i.png"/></svg>', "https://third.party/i.png", "(<image href>)"),
    ('<a ping="https://third.party/p" href="https://example.org/">x</a>', "https://third.party/p",
     "send the reader's request"),
    ('<form action="javascript:alert(1)"></form>', "javascript:alert(1)", "javascript: links are not allowed"),
    ('<form><button formaction="https://third.party/form/">go</button></form>', "https://third.party/form/",
     "(<button formaction>)"),
    ('<svg><a xlink:href="javascript:alert(2)"><text>x</text></a></svg>', "javascript:alert(2)",
     "javascript: links are not allowed"),
    ('<a href="&#1;javascript:alert(3)">x</a>', "\x01javascript:alert(3)", "javascript: links are not allowed"),
    ('<a href="https://example.org/\x01x">x</a>', "https://example.org/\x01x", "control character U+0001"),
    ('<a href="http://[::1">x</a>', "http://[::1", "not a valid URL"),
    ('<a href="tel:+441280814080">x</a>', "tel:+441280814080", "unsupported scheme tel:"),
    ('<img src="mailto:a@b.org" alt="">', "mailto:a@b.org", "mailto: is not an address <img src> can load"),
    ('<p onclick="alert(4)">x</p>', "alert(4)", "inline event handler onclick="),
    ('<iframe srcdoc="&lt;script&gt;alert(5)&lt;/script&gt;"></iframe>', "<script>alert(5)</script>", "srcdoc"),
    ('<script>alert(6)</script>', "alert(6)", "inline <script>"),
]


# ----------------------------------------------------------------------------- pure functions


@pytest.mark.parametrize(("snippet", "what", "reason"), HOSTILE)
def test_police_content_takes_out_what_breaks_a_rule(snippet, what, reason):
    cleaned, refused = sl.police_content(f"<p>Before.</p>\n{snippet}\n<p>After.</p>", BASE)
    assert [(item.line, item.what) for item in refused] == [(2, what)]
    assert reason in refused[0].reason
    assert what not in cleaned and "Before." in cleaned and "After." in cleaned
    assert sl.police_content(cleaned, BASE)[1] == []


@pytest.mark.parametrize(
    "snippet",
    [
        '<a href="https://example.org/x">an external link</a>', '<a href="mailto:editor@example.org">mail</a>',
        '<a href="../other/#a">internal</a>', '<img src="../assets/x.png" alt="x">',
        '<link rel="canonical" href="https://example.github.io/briefing/">',
        '<link rel="alternate" type="application/x-bibtex" href="https://example.org/x.bib">',
        '<img src="https://example.github.io/briefing/assets/x.png" alt="the site\'s own address">',
        '<blockquote cite="https://example.org/source">q</blockquote>', '<svg><use href="#icon"/></svg>',
        '<script type="application/json">{"a": 1}</script>', '<p style="color: red">x</p>',
    ],
)
def test_police_content_leaves_allowed_html_untouched(snippet):
    text = f"<p>x</p>\n{snippet}\n"
    assert sl.police_content(text, BASE) == (text, [])


def test_css_urls_are_read_through_comments_escapes_and_nesting():
    css = ('/* url(https://comment.example/) */\n@media print {\n  p { background: u\\72l("https://a.example/") }\n}\n'
           '@font-face { src: url(f.woff2) format("woff2") }\np { background: image-set("b.png" 1x) }')
    assert sl.css_urls(css) == [("https://a.example/", 2), ("f.woff2", 4), ("b.png", 5)]


def test_the_site_check_refuses_a_third_party_script_in_any_file(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<html><head><script src="https://cdn.example/x.js"></script>\n'
                                     '<script>var theme = 1;</script></head><body onload="go()"></body></html>')
    problems = sl.check_site(site, "https://example.github.io/briefing/")
    assert [(p.link, p.line, p.reason.split(":")[0]) for p in problems] == [
        ("go()", 2, "inline event handler onload="),
        ("https://cdn.example/x.js", 1, "third-party request (<script src>)"),
    ]


def test_source_line_finds_the_url_as_written():
    source = ('# T\n\n<img src="https://a.example/x.png">\n<a href="&#1;javascript:x">a</a>\n[y](http://[::1)\n'
              '<a href="https://a.example/">b</a>\n')
    assert sl.source_line(source, "\x01javascript:x") == 4
    assert sl.source_line(source, "http://[::1") == 5
    assert sl.source_line(source, "https://a.example/") == 6  # the whole URL, not the start of a longer one
    assert sl.source_line(source, "a.example/x") == 3  # else where it stands in a longer text
    assert sl.source_line(source, "nowhere") is None


# ----------------------------------------------------------------------------- strict builds


def test_a_chapter_breaking_the_rules_fails_naming_file_and_line_of_each(fixture_site):
    """One chapter holding every case of HOSTILE, each in a block of its own on line 6, 10, 14..."""
    blocks = "".join(f"<div>\n{snippet}\n</div>\n\n" for snippet, _, _ in HOSTILE)
    result = fixture_site({"index.md": f"# Home\n\nText.[@smith2020title]\n\n{blocks}"}, bib=ONE_ENTRY)
    assert not result.ok
    assert "Traceback" not in result.text()
    for index, (_, what, reason) in enumerate(HOSTILE):
        line = 6 + 4 * index
        assert any(m.startswith(f"briefing.links: docs/index.md:{line}: ") and reason in m and repr(what) in m
                   for m in result.messages), (line, reason, result.text())
    assert len([m for m in result.messages if m.startswith("briefing.links: docs/index.md:")]) == len(HOSTILE)


def test_a_markdown_link_mkdocs_cannot_parse_fails_naming_file_and_line(fixture_site):
    result = fixture_site({"index.md": "# Home\n\nText.\n\nSee [x](http://[::1) and ![y](http://[::2).\n"},
                          bib=ONE_ENTRY)
    assert not result.ok
    assert "Traceback" not in result.text()
    for url in ("http://[::1", "http://[::2"):
        assert any("docs/index.md:5: not a valid URL (Invalid IPv6 URL)" in m and url in m
                   for m in result.messages), result.text()


def test_what_breaks_a_rule_reaches_no_page_and_no_hook(fixture_site):
    page = ('# Home\n\nText.[@smith2020title]\n\n<a href="&#1;javascript:alert(1)">x</a> '
            '<img src="https://third.party/x.png" alt="y">\n')
    result = fixture_site(as_note({"index.md": page}), bib=ONE_ENTRY, strict=False,
                          options={**series_options(), "publication": {"pdf": True}})
    assert result.ok, result.text()  # the print edition and PDF are built: no traceback
    for name in (f"{NOTE}/index.html", f"{NOTE}/print/index.html"):
        built = (result.site_dir / name).read_text(encoding="utf-8")
        assert "javascript:" not in built and "third.party" not in built, name
    assert (result.site_dir / NOTE / "a-minimal-note.pdf").is_file()


