"""Issue 14: each page's Markdown conversion kept between builds (briefing.common.markdown_cache):
put back only when everything it depends on is the same, never for a conversion that said
something, and checked like any other page's HTML after it."""

from __future__ import annotations

import json

import pytest

from briefing.common import markdown_cache

PAGES = {"index.md": "# Home\n\nSee [the chapter](chapter.md#a-part).\n",
         "chapter.md": "# Chapter\n\n## A part\n\nText with a note.[@smith2020title]\n",
         "other.md": "# Other\n\n*More* text.\n"}


@pytest.fixture
def converted(monkeypatch) -> list[str]:
    """The pages MkDocs itself converts (src_uri), counted."""
    from mkdocs.structure.pages import Page

    calls: list[str] = []
    real = Page.render

    def render(page, config, files):
        calls.append(page.file.src_uri)
        return real(page, config, files)

    monkeypatch.setattr(Page, "render", render)
    return calls


def kept_files(tmp_path):
    return sorted((tmp_path / ".cache" / "plugin" / "markdown").glob("*.json"))


def test_a_build_with_nothing_changed_converts_no_page_and_writes_the_same_site(fixture_site, tmp_path, converted):
    first = fixture_site(PAGES)
    assert first.ok, first.text()
    assert sorted(converted) == ["chapter.md", "index.md", "other.md"]
    before = {page: first.html(page) for page in ("", "chapter/", "other/")}
    converted.clear()
    again = fixture_site(PAGES)
    assert again.ok, again.text()
    assert converted == [], "pages converted again though nothing changed"
    assert {page: again.html(page) for page in before} == before
    chapter = again.soup("chapter/")
    assert chapter.select_one('a[href="#a-part"]') is not None  # the kept table of contents is drawn
    assert chapter.title.string.startswith("Chapter")


def test_a_changed_page_alone_is_converted_again(fixture_site, converted):
    assert fixture_site(PAGES).ok
    converted.clear()
    result = fixture_site({**PAGES, "other.md": "# Other\n\n*Changed* text.\n"})
    assert result.ok, result.text()
    assert converted == ["other.md"]
    assert "<em>Changed</em>" in result.html("other/")


def test_a_new_file_in_the_site_converts_every_page_again(fixture_site, converted):
    """Where a link leads depends on the site's files: adding one converts every page."""
    assert fixture_site(PAGES).ok
    converted.clear()
    assert fixture_site({**PAGES, "new.md": "# New\n\nText.\n"}).ok
    assert sorted(converted) == ["chapter.md", "index.md", "new.md", "other.md"]


def test_a_conversion_that_warned_is_not_kept_and_warns_in_every_build(fixture_site, converted):
    pages = {**PAGES, "other.md": "# Other\n\nSee [nowhere](missing.md).\n"}
    for _ in range(2):
        converted.clear()
        result = fixture_site(pages)
        assert not result.ok
        assert any("missing.md" in message for message in result.messages), result.text()
        assert "other.md" in converted


def test_a_changed_snippet_converts_again(fixture_site, tmp_path, converted):
    includes = tmp_path / "includes"
    includes.mkdir()
    (includes / "abbreviations.md").write_text("*[TTP]: Tehrik-e-Taliban Pakistan\n", encoding="utf-8")
    snippets = {"base_path": [str(includes)], "auto_append": ["abbreviations.md"], "check_paths": True}
    extensions = ["abbr", "attr_list", {"pymdownx.snippets": snippets}]
    pages = {"index.md": "# Home\n\nThe TTP.\n"}
    assert fixture_site(pages, markdown_extensions=extensions).ok
    converted.clear()
    assert fixture_site(pages, markdown_extensions=extensions).ok
    assert converted == []
    (includes / "abbreviations.md").write_text("*[TTP]: Tehreek-e-Taliban Pakistan\n", encoding="utf-8")
    result = fixture_site(pages, markdown_extensions=extensions)
    assert result.ok, result.text()
    assert converted == ["index.md"] and 'title="Tehreek-e-Taliban Pakistan"' in result.html()


def test_an_extension_not_known_to_be_pure_keeps_nothing(fixture_site, tmp_path, converted):
    extensions = ["abbr", "attr_list", "md_in_html", "footnotes", "pymdownx.b64"]  # b64 reads image files
    assert fixture_site(PAGES, markdown_extensions=extensions).ok
    converted.clear()
    assert fixture_site(PAGES, markdown_extensions=extensions).ok
    assert sorted(converted) == ["chapter.md", "index.md", "other.md"]
    assert kept_files(tmp_path) == []


@pytest.mark.parametrize("edit", [
    lambda page: "not a conversion",
    lambda page: {**page, "toc": [{"name": 1}]},
    lambda page: {**page, "links_to_anchors": {"no-such-file.md": {"a": "no-such-file.md#a"}}},
])
def test_a_kept_conversion_that_is_not_what_was_kept_is_converted_again(fixture_site, tmp_path, converted, edit):
    assert fixture_site(PAGES).ok
    for path in kept_files(tmp_path):
        document = json.loads(path.read_text(encoding="utf-8"))
        document["answers"] = {key: edit(page) for key, page in document["answers"].items()}
        path.write_text(json.dumps(document), encoding="utf-8")
    converted.clear()
    result = fixture_site(PAGES)
    assert result.ok, result.text()
    assert sorted(converted) == ["chapter.md", "index.md", "other.md"]
    assert "<em>More</em>" in result.html("other/")


def test_a_kept_conversion_edited_to_hold_a_script_link_is_checked_like_any_page(fixture_site, tmp_path):
    """What is put back goes through the link policy after it: the javascript: link is taken
    out and the strict build fails, naming the page."""
    assert fixture_site(PAGES).ok
    for path in kept_files(tmp_path):
        document = json.loads(path.read_text(encoding="utf-8"))
        for page in document["answers"].values():
            page["content"] = page["content"].replace("<em>More</em>", '<a href="javascript:alert(1)">More</a>')
        path.write_text(json.dumps(document), encoding="utf-8")
    result = fixture_site(PAGES)
    assert not result.ok
    assert any("other.md" in m and "javascript:" in m for m in result.messages), result.text()
    assert "javascript:" not in result.html("other/")


def test_what_a_conversion_depends_on_is_in_the_shared_key():
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files

    from sitebuild import MINIMAL

    config = load_config(str(MINIMAL / "mkdocs.yml"))
    files = Files([File("index.md", config.docs_dir, config.site_dir, True)])
    base, _ = markdown_cache.shared_key(config, files, "code")
    more = Files([*files, File("other.md", config.docs_dir, config.site_dir, True)])
    keys = {base, markdown_cache.shared_key(config, files, "code2")[0],
            markdown_cache.shared_key(config, more, "code")[0]}
    config.mdx_configs["toc"] = {"permalink": False}
    keys.add(markdown_cache.shared_key(config, files, "code")[0])
    config.use_directory_urls = False
    keys.add(markdown_cache.shared_key(config, files, "code")[0])
    assert len(keys) == 5 and None not in keys
    config.mdx_configs["toc"] = {"slugify": lambda text, sep: text}
    assert markdown_cache.shared_key(config, files, "code") == (None, "an extension's options are not plain data")
