"""Compiled templates kept between builds (briefing.common.theme.bytecode_cache, issue 14):
compiling Material's and the generator's templates was most of a small note's build."""

from __future__ import annotations

import jinja2

from briefing.common import theme

from sitebuild import NOTE, as_note, series_options

PAGES = as_note({"index.md": "# Home\n\n<!-- cite-this -->\n", "chapter.md": "# Chapter\n\nText.\n"})
OPTIONS = series_options()


def counting_compiles(monkeypatch) -> list[str]:
    compiled: list[str] = []
    real = jinja2.Environment.compile

    def compile_(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", compile_)
    return compiled


def test_a_second_build_compiles_no_template(fixture_site, tmp_path, monkeypatch):
    compiled = counting_compiles(monkeypatch)
    first = fixture_site(PAGES, options=OPTIONS)
    assert first.ok, first.text()
    assert "main.html" in compiled and list((tmp_path / ".cache" / "plugin" / "jinja").glob("*/__jinja2_*"))
    html = first.html(f"{NOTE}/chapter/")
    compiled.clear()
    second = fixture_site(PAGES, options=OPTIONS)
    assert second.ok, second.text()
    # only Material's search plugin still compiles its translations, in an environment of its own
    # made in its on_config (stock Material does the same)
    assert set(compiled) <= {"partials/language.html", "partials/languages/en.html"}, compiled
    assert second.html(f"{NOTE}/chapter/") == html


def test_the_cache_folder_follows_the_environments_settings():
    plain = jinja2.Environment()
    escaping = jinja2.Environment(finalize=str)
    assert theme.settings_digest(plain) == theme.settings_digest(jinja2.Environment())
    assert theme.settings_digest(plain) != theme.settings_digest(escaping)
    assert theme.settings_digest(plain) != theme.settings_digest(jinja2.Environment(extensions=["jinja2.ext.i18n"]))
