"""Whatever an author (front matter, a note's record) or maintainer (mkdocs.yml) writes reaches
every page escaped, whichever template prints it: Material's, the 404 page, the print edition,
the series' pages and feed (briefing.site_policy.escaping, and each template's own escapes)."""

from __future__ import annotations

import lxml.html
from markupsafe import Markup

from briefing.site_policy import escaping as fixes

from sitebuild import NOTE, ONE_ENTRY, as_note, series_options

EVIL = 'A "quoted" <script>alert(1)</script> & <b>word</b>'


def pages_of(site_dir) -> dict[str, lxml.html.HtmlElement]:
    return {path.relative_to(site_dir).as_posix(): lxml.html.document_fromstring(path.read_bytes())
            for path in sorted(site_dir.rglob("*.html"))}


def assert_nothing_injected(pages):
    for name, root in pages.items():
        assert not [s for s in root.iter("script") if "alert(1)" in (s.text or "")], name
        assert not root.xpath("//b[text()='word']") or name != "404.html", name
        attributes = {attr for element in root.iter() if isinstance(element.tag, str) for attr in element.attrib}
        assert not attributes & {"quoted", '"quoted"', "<script>alert(1)</script>"}, (name, attributes)


# ----------------------------------------------------------------------------- pure functions


def test_text_is_escaped_when_printed_and_once_with_e():
    import jinja2

    env = fixes.escaping_env(jinja2.Environment())
    template = env.from_string('{{ t }}|{{ t | e }}|{{ t | striptags }}|{{ m }}|{{ s }}')
    out = template.render(t=fixes.Text('<i>"a" & b</i>'), m=Markup("<em>ok</em>"), s="<p>html</p>")
    assert out == ("&lt;i&gt;&#34;a&#34; &amp; b&lt;/i&gt;|" * 3) + "<em>ok</em>|<p>html</p>"


def test_text_marks_nested_front_matter_and_stays_a_str():
    meta = fixes.text({"description": "x", "hide": ["toc"], "n": 3, "m": Markup("<b>")})
    assert isinstance(meta["description"], fixes.Text) and meta["description"] == "x"
    assert isinstance(meta["hide"][0], fixes.Text) and "toc" in meta["hide"]
    assert meta["n"] == 3 and type(meta["m"]) is Markup


# ----------------------------------------------------------------------------- fixture sites


def test_front_matter_is_escaped_in_a_strict_build(fixture_site):
    pages = as_note({
        "index.md": f"---\ndescription: '{EVIL}'\nauthor: '{EVIL}'\n---\n# Home\n\nText.[@smith2020title]\n",
        "other.md": f"---\ntitle: '{EVIL}'\ndescription: '{EVIL}'\n---\n# Other\n\nText.\n",
    })
    result = fixture_site(pages, bib=ONE_ENTRY, options=series_options())
    assert result.ok, result.text()
    built = pages_of(result.site_dir)
    assert_nothing_injected(built)
    for name in (f"{NOTE}/index.html", f"{NOTE}/other/index.html"):
        root = built[name]
        assert root.xpath("//meta[@name='description']/@content") == [EVIL], name
        assert root.xpath("//meta[@property='og:description']/@content") == [EVIL], name
    assert built[f"{NOTE}/index.html"].xpath("//meta[@name='author']/@content") == [EVIL]
    assert built[f"{NOTE}/other/index.html"].findtext(".//title").startswith(EVIL + " - ")
    # The nav prints the front-matter title as text (one escape, not two).
    assert EVIL in [" ".join(a.text_content().split()) for a in built[f"{NOTE}/index.html"].iter("a")]


def test_settings_and_nav_titles_are_escaped_in_every_page(fixture_site):
    pages = {"index.md": "# Home & <em>more</em>\n\nText.[@smith2020title]\n", "other.md": "# Other\n\nText.\n"}
    result = fixture_site(pages, bib=ONE_ENTRY, strict=False, site_name=EVIL, site_author=EVIL,
                          site_description=EVIL, nav=["index.md", {EVIL: ["other.md"]}])
    assert result.ok, result.text()
    built = pages_of(result.site_dir)
    assert {"index.html", "other/index.html", "404.html"} <= set(built)  # (the print edition: a note's, below)
    assert_nothing_injected(built)
    for name, root in built.items():
        assert root.xpath("//meta[@name='author']/@content") == [EVIL], name
        assert EVIL in root.findtext(".//title"), name
        assert EVIL in [" ".join(e.text_content().split()) for e in root.xpath("//*[@class='md-ellipsis']")], name
        assert root.xpath("//meta[@name='description']/@content") == [EVIL], name
    # A title from the first heading is escaped once too: "&" shows as "&", not "&amp;".
    assert built["other/index.html"].xpath("//link[@rel='prev']")
    assert "Home & more" in [" ".join(a.text_content().split()) for a in built["other/index.html"].iter("a")]


def test_a_note_s_record_is_escaped_in_every_page_its_print_edition_and_the_feed(fixture_site):
    """A note's title, author and the series' record print as text: the nav's section, the series'
    home and author page, the note's own page, its chapters' "Part of" line, its print edition
    (title, byline, colophon), the 404 page and the Atom feed (which XML-escapes it)."""
    import feedparser

    pages = as_note({"index.md": "# Home\n\n<!-- cite-this -->\n", "other.md": "# Other\n\nText.[@smith2020title]\n"},
                    title=EVIL, authors=[{"given": EVIL, "family": "Smith", "affiliation": EVIL}], keywords=[EVIL])
    result = fixture_site(pages, bib=ONE_ENTRY, strict=False, site_name=EVIL, site_description=EVIL,
                          options=series_options(name=EVIL, publisher=EVIL, address=EVIL))
    assert result.ok, result.text()
    built = pages_of(result.site_dir)
    assert {"index.html", f"{NOTE}/index.html", f"{NOTE}/other/index.html", f"{NOTE}/print/index.html",
            "404.html", "authors/smith-a-quoted-script-alert-1-script-b-word-b/index.html"} <= set(built)
    assert_nothing_injected(built)
    texts = {name: " ".join(root.text_content().split()) for name, root in built.items()}
    for name in ("index.html", f"{NOTE}/other/index.html", f"{NOTE}/print/index.html", "404.html"):
        assert EVIL in texts[name], name
    assert EVIL in [" ".join(e.text_content().split()) for e in built["index.html"].xpath("//*[@class='md-ellipsis']")]
    part_of = built[f"{NOTE}/other/index.html"].xpath("//p[@class='part-of']//cite")
    assert [c.text_content() for c in part_of] == [EVIL]
    feed = feedparser.parse((result.site_dir / "feed.xml").read_bytes())
    assert not feed.bozo and feed.feed.title == EVIL and feed.entries[0].title == EVIL
    assert feed.entries[0].tags[0].term == EVIL and feed.entries[0].authors[0].name == f"{EVIL} Smith"
    # a search hit named by its note: the short title is text in the index's (HTML) title
    import json

    docs = json.loads((result.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    title = next(doc["title"] for doc in docs if doc["location"] == f"{NOTE}/other/")
    fragment = lxml.html.fragment_fromstring(title, create_parent="div")
    assert fragment.text_content() == f"{EVIL} › Other" and len(fragment) == 0, title


def test_a_front_matter_title_reaches_the_search_index_escaped(fixture_site):
    """Material's search takes the front matter's title as the (HTML) title of the text
    before the page's first heading, and its search results show it as HTML."""
    import json

    result = fixture_site({"index.md": "# Home\n\nText.\n",
                           "other.md": f"---\ntitle: '{EVIL}'\n---\nText before any heading.\n\n## Sub\n\nMore.\n"},
                          bib=ONE_ENTRY)
    assert result.ok, result.text()
    docs = json.loads((result.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    title = next(doc["title"] for doc in docs if doc["location"] == "other/")
    fragment = lxml.html.fragment_fromstring(title, create_parent="div")
    assert fragment.text_content() == EVIL and len(fragment) == 0, title
    assert lxml.html.document_fromstring(result.html("other")).findtext(".//title").startswith(EVIL + " - ")


def test_a_nav_title_reaches_the_contents_list_as_text(fixture_site):
    pages = {"index.md": "# Home\n\n## Contents\n\n<!-- contents -->\n", "other.md": "# Other\n\nText.\n"}
    result = fixture_site(pages, bib=ONE_ENTRY, nav=[{"Home": "index.md"}, {EVIL + " *[x]*": "other.md"}])
    assert result.ok, result.text()
    root = lxml.html.document_fromstring(result.html())
    links = root.xpath("//article//ol/li/a")
    assert [" ".join(a.text_content().split()) for a in links] == [EVIL + " *[x]*"]
    assert not links[0].xpath(".//*")  # no <b>, <script> or <em> made of it


def test_extra_s_strings_are_escaped_in_every_page(fixture_site):
    """mkdocs.yml's extra: (briefing.site_policy.settings makes its strings text)."""
    result = fixture_site(
        {"index.md": "---\nstatus: new\n---\n# Home\n\nText.\n", "other.md": "# Other\n\nText.\n"},
        extra={"generator": False, "status": {"new": EVIL},
               "social": [{"icon": "fontawesome/brands/github", "link": "https://github.com/example?a=1&b=2",
                           "name": EVIL}],
               "alternate": [{"name": EVIL, "link": "/briefing/", "lang": "en"}]})
    assert result.ok, result.text()
    pages = pages_of(result.site_dir)
    assert_nothing_injected(pages)
    home = lxml.html.document_fromstring((result.site_dir / "index.html").read_bytes())
    (status,) = home.xpath("//span[contains(@class, 'md-status--new')]")
    assert status.get("title") == EVIL  # the text as written, once escaped in the HTML
    (social,) = home.xpath("//a[contains(@class, 'md-social__link')]")
    assert social.get("href") == "https://github.com/example?a=1&b=2" and social.get("title") == EVIL
    assert EVIL in [a.text_content().strip() for a in home.xpath("//a[@hreflang='en']")]
    raw = (result.site_dir / "index.html").read_text(encoding="utf-8")
    assert 'title="A &#34;quoted&#34; &lt;script&gt;' in raw


# ----------------------------------------------------------------------------- the real site
