"""Previewing one note of a series (briefing.preview, `make serve NOTE=<folder>`, issue 14): the
build makes that note's pages and the series' own, nothing of the other notes, and the note's
pages read as in the whole series' build (its notes numbered alike, its navigation)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from briefing.preview import render as preview

from sitebuild import SYNTHETIC_NOTES, SYNTHETIC_PAGES, build, synthetic

NOTE = synthetic.slug(2)


def article(html: str) -> str:
    return str(BeautifulSoup(html, "html.parser").select_one("article"))


def pages_of(site) -> set[str]:
    return {path.relative_to(site).as_posix().removesuffix("index.html") for path in site.rglob("index.html")}


@pytest.fixture(scope="module")
def preview_of_one_note(tmp_path_factory, synthetic_series):
    """The same synthetic series (bench/series.py) built with BRIEFING_NOTE naming one note."""
    root = tmp_path_factory.mktemp("preview")
    config = synthetic.generate(root, SYNTHETIC_NOTES, SYNTHETIC_PAGES, entries=200)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("BRIEFING_NOTE", NOTE)
        result = build(config, root / "site")
    assert result.ok, result.text()
    return result


def test_a_preview_builds_only_that_note_s_pages_and_the_series_pages(preview_of_one_note, synthetic_series):
    built = pages_of(preview_of_one_note.site_dir)
    whole = pages_of(synthetic_series.site_dir)
    assert {p for p in built if p.startswith("note-")} == {p for p in whole if p.startswith(f"{NOTE}/")}
    assert "" in built  # the series' home
    authors = {p for p in built if p.startswith("authors/")}
    assert len(authors) == 1  # the note's author only


def test_a_previewed_note_s_pages_read_as_in_the_whole_series(preview_of_one_note, synthetic_series):
    """The same text, notes numbered alike, the same 'Part of' line and cite-this block."""
    for page in [f"{NOTE}/", *(f"{NOTE}/chapter-{c:02d}/" for c in range(1, SYNTHETIC_PAGES)), f"{NOTE}/references/"]:
        assert article(preview_of_one_note.html(page)) == article(synthetic_series.html(page)), page


def test_a_previewed_note_s_navigation_is_its_own_pages_and_the_series_home(preview_of_one_note):
    nav = BeautifulSoup(preview_of_one_note.html(f"{NOTE}/chapter-01/"), "html.parser").select_one(
        ".md-sidebar--primary nav.md-nav--primary")
    hrefs = [a["href"] for a in nav.find_all("a", href=True) if not a["href"].startswith("#")]
    assert not [href for href in hrefs if "note-" in href and NOTE not in href and not href.startswith("./")]
    texts = [a.get_text(" ", strip=True) for a in nav.find_all("a", href=True)]
    assert "Home" in texts and "References" in texts


def test_a_preview_of_no_such_note_names_the_notes(tmp_path, monkeypatch):
    config = synthetic.generate(tmp_path, 2, 2, entries=20)
    monkeypatch.setenv("BRIEFING_NOTE", "note-099")
    result = build(config, tmp_path / "site")
    assert not result.ok
    assert "briefing.preview.note: no note 'note-099'" in result.text() and "note-001, note-002" in result.text()


def test_a_deploy_build_refuses_a_preview(tmp_path, monkeypatch):
    config = synthetic.generate(tmp_path, 2, 2, entries=20)
    monkeypatch.setenv("BRIEFING_NOTE", "note-001")
    text = config.read_text(encoding="utf-8").replace("deploy: false", "deploy: true").replace(
        "https://example.github.io/briefing/", "https://owner.github.io/series/")  # not a placeholder
    config.write_text(text, encoding="utf-8")
    result = build(config, tmp_path / "site")
    assert not result.ok and "in a deploy build" in result.text(), result.text()


def test_what_a_preview_leaves_out():
    assert preview.moved_into({"a/": "n1/a/", "b/": "n2/b/", "n1.pdf": "n1/n1.pdf"}, "n1") == {
        "a/": "n1/a/", "n1.pdf": "n1/n1.pdf"}


@pytest.mark.parametrize(("note", "seconds"), [("note-001", preview.POLL_SECONDS), ("", 0.5)])
def test_a_preview_s_server_looks_for_edits_sooner(tmp_path, note, seconds):
    """mkdocs serve looks for edited files every 0.5 s (its LiveReloadServer's polling observer):
    a quarter of a second on average, a third of a preview's wait from saving to the reload.
    A preview polls every POLL_SECONDS, the paths watched before its on_serve and after it; a
    build of the whole series keeps MkDocs' pace."""
    from mkdocs.livereload import LiveReloadServer

    from briefing.plugin import BriefingPlugin

    plugin = BriefingPlugin()
    errors, warnings = plugin.load_config({"preview": {"note": note}})
    assert not errors and not warnings
    (tmp_path / "docs").mkdir()
    (tmp_path / "later").mkdir()
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    server.watch(str(tmp_path / "docs"))  # what MkDocs watches before on_serve
    try:
        assert plugin.on_serve(server, config=None, builder=server.builder) is server
        server.watch(str(tmp_path / "later"))  # config.watch, after on_serve
        assert len(server.observer.emitters) == 3  # docs/, briefing/, later/
        assert {emitter.timeout for emitter in server.observer.emitters} == {seconds}
    finally:
        server.server_close()
