"""Issue 14: at series size the pages are rendered by two processes (briefing.common.page_split),
and the site is the one a single renderer writes, byte for byte; what the second renderer says
is said by the build, and its failure fails the build, naming the page, with no traceback."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from briefing.build import SITE
from briefing.common import page_memory, page_split

from sitebuild import build, read_config, synthetic, write_config

release = page_memory.let_go


def files_of(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """The second renderers forked (by the build's process)."""
    made: list[int] = []
    fork = os.fork

    def spy():
        pid = fork()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", spy)
    return made


def series(tmp_path: Path, notes: int = 6) -> Path:
    return synthetic.generate(tmp_path, notes=notes, pages=12, entries=120, per_page=4)


def test_the_second_renderer_takes_the_last_notes_whole_and_never_the_pages_of_no_note():
    scopes = {"index.md": SITE, "authors/a/index.md": SITE}
    files = [SimpleNamespace(src_uri="index.md")]
    for note in ("n1", "n2", "n3", "n4"):
        for page in ("index.md", "c1.md", "c2.md"):
            files.append(SimpleNamespace(src_uri=f"{note}/{page}"))
            scopes[f"{note}/{page}"] = note
    files.append(SimpleNamespace(src_uri="authors/a/index.md"))
    build = SimpleNamespace(scope_of=scopes.__getitem__)
    share = page_split.second_share(files, build)
    assert share == {f"{note}/{page}" for note in ("n3", "n4") for page in ("index.md", "c1.md", "c2.md")}
    assert page_split.second_share(files[:4], build) == frozenset()  # one note: nothing to share
    assert page_split.second_share(files, build, share=0.9) == share | {f"n2/{p}" for p in ("index.md", "c1.md",
                                                                                            "c2.md")}


def test_a_series_rendered_by_two_processes_is_the_site_one_renders(tmp_path, monkeypatch, forks):
    config = series(tmp_path)
    let_go: list[str] = []
    monkeypatch.setattr(page_memory, "let_go", lambda page: let_go.append(page.file.src_uri) or release(page))
    split = build(config, tmp_path / "split")
    assert split.ok, split.text()
    assert len(forks) == 1, "no second renderer"
    # the build lets go of each page it leaves to the second renderer as it skips it (not at the end)
    theirs = [src for src in let_go if src.startswith(synthetic.slug(5) + "/")]
    assert len(theirs) == len(set(theirs)) >= 12  # the last note: its pages, each once
    monkeypatch.setattr(page_split, "SPLIT_PAGES", 10**6)
    one = build(config, tmp_path / "one")
    assert one.ok, one.text()
    assert len(forks) == 1
    ours, theirs = files_of(split.site_dir), files_of(one.site_dir)
    assert ours.keys() == theirs.keys()
    assert [name for name in ours if ours[name] != theirs[name]] == []
    last = synthetic.slug(5)
    assert f"{last}/print/index.html" in ours  # the second renderer's note: its print edition
    assert f'"location":"{last}/'.encode() in ours["search/search_index.json"]


def test_a_warning_about_a_page_the_second_renderer_renders_fails_the_strict_build(tmp_path, forks):
    config = series(tmp_path)
    chapter = tmp_path / "docs" / synthetic.slug(5) / "chapter-02.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + '\n<figure><img src="x.png" alt="x"></figure>\n',
                       encoding="utf-8")
    (chapter.parent / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = build(config, tmp_path / "site")
    assert len(forks) == 1
    assert not result.ok
    assert any("chapter-02.md" in message and "figure without a source" in message for message in result.messages), \
        result.text()


def test_a_page_the_second_renderer_cannot_render_fails_the_build_naming_it(tmp_path, forks):
    """A template of the site's own that fails as it renders (a template the theme lacks fails
    the build before it renders anything: briefing.site_policy.settings)."""
    config = series(tmp_path)
    settings = read_config(config)
    settings["theme"]["custom_dir"] = "overrides"
    write_config(config, settings)
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "broken.html").write_text(
        '{% extends "main.html" %}{% block content %}{{ no_such_value.attr }}{% endblock %}', encoding="utf-8")
    chapter = tmp_path / "docs" / synthetic.slug(5) / "chapter-03.md"
    chapter.write_text("---\ntemplate: broken.html\n---\n\n" + chapter.read_text(encoding="utf-8"),
                       encoding="utf-8")
    result = build(config, tmp_path / "site")
    assert len(forks) == 1
    assert not result.ok
    assert result.error == "Aborted with a BuildError!"  # a PluginError: MkDocs prints no traceback
    assert any(f"rendering {synthetic.slug(5)}/chapter-03.md failed" in message and "no_such_value" in message
               for message in result.messages), result.text()
