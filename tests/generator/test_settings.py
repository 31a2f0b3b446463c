"""mkdocs.yml's settings that Material's templates print or include (extra:, and theme:'s palette,
icons and language): no script from another site, only http(s) links or paths of the site,
icons and languages the theme has, known extra keys, and their text escaped wherever it is
printed (briefing.site_policy.settings; the escaping itself: test_escaping.py)."""

from __future__ import annotations

import re
from pathlib import Path

import material
import pytest

from briefing.site_policy import settings as policy

THEME_DIRS = [str(Path(material.__file__).parent / "templates")]  # Material's .icons/
GITHUB = "fontawesome/brands/github"


# ----------------------------------------------------------------------------- pure functions


@pytest.mark.parametrize("link", ["https://example.org/a?b=1&c=2", "http://example.org", "/", "about/",
                                  "../feed.xml", "#top", "mailto:office@example.org"])
def test_a_link_may_be_http_s_or_a_path_of_the_site(link):
    assert policy.link_problem(link) is None


@pytest.mark.parametrize(("link", "fix"), [
    ("javascript:alert(1)", "a javascript: link: write an http(s) address"),
    ("JavaScript:alert(1)", "a javascript: link"),
    ("data:text/html,x", "a data: link"),
    ("mailto:", "write the address after mailto:"),
    ("tel:+441234", "a tel: link"),
    ('https://example.org/" onmouseover="x', "percent-encode them"),
    ("https://example.org/a b", "percent-encode them"),
    ("https://example.org/<b>", "percent-encode them"),
    ("//example.org/a", "write the address with its scheme: https://example.org/a"),
    ("https:/nowhere", "names its site"),
    ("http://[::1", "not an address"),
    ("", "write an address as text"),
    (None, "write an address as text"),
    (3, "write an address as text"),
])
def test_a_link_that_is_no_http_s_address_or_path_names_the_fix(link, fix):
    assert fix in policy.link_problem(link)


def test_check_sorts_errors_from_warnings_each_at_its_key():
    errors, warnings = policy.check_extra({
        "generator": False, "homepage": "https://example.org/",
        "social": [{"icon": GITHUB, "link": "https://github.com/x", "name": "X"},
                   {"icon": "nosuch/icon", "link": "ftp://x.org/", "colour": "red"}],
        "status": {"new": "Recently added", "b d": "Bad"}, "tags": {"Rivers": "rivers", "Borders": "a b"},
        "analytics": {"provider": "google"}, "polyfills": ["https://cdn.example/x.js"], "scope": "/",
        "generatr": False,
    }, THEME_DIRS)
    assert [policy.key_name(e.path) for e in errors] == [
        "extra.social[1].link", "extra.social[1].icon", "extra.status.b d", "extra.tags.Borders",
        "extra.analytics", "extra.polyfills"]
    assert [policy.key_name(w.path) for w in warnings] == ["extra.social[1].colour", "extra.generatr"]
    assert "they are: icon, link, name" in str(warnings[0])


@pytest.mark.parametrize(("value", "fix"), [
    ({"scope": '/");alert(1);("'}, "write a path of letters"),
    ({"generator": "no"}, "true or false"),
    ({"social": {"icon": GITHUB}}, "a list of links in the footer"),
    ({"social": [{"link": "https://x.org/"}]}, "name one of the theme's icons"),
    ({"status": ["new"]}, "a mapping of page status"),
    ({"consent": {"title": "Cookies"}}, "the cookie banner for analytics"),
])
def test_a_wrong_value_is_an_error_that_names_the_fix(value, fix):
    errors, warnings = policy.check_extra(value, THEME_DIRS)
    assert len(errors) == 1 and fix in str(errors[0]) and not warnings


def test_the_theme_s_icons_are_looked_for_in_every_theme_folder(tmp_path):
    (tmp_path / ".icons" / "own").mkdir(parents=True)
    (tmp_path / ".icons" / "own" / "mark.svg").write_text("<svg/>", encoding="utf-8")
    assert policy.icon_problem("own/mark", THEME_DIRS + [str(tmp_path)]) is None
    assert "no icon 'own/mark'" in policy.icon_problem("own/mark", THEME_DIRS)
    assert policy.icon_problem("../../etc/passwd", THEME_DIRS + [str(tmp_path)]) is not None


# ----------------------------------------------------------------------------- builds


def _line_of(config_file, key: str, under: str = "extra") -> int:
    """The line of mkdocs.yml where ``key:`` is first written under ``under:``."""
    lines = config_file.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"{under}:")
    return next(number for number, line in enumerate(lines, 1)
                if number > start and re.match(rf"\s*-?\s*{re.escape(key)}:", line))


@pytest.mark.parametrize(("extra", "key", "message"), [
    ({"analytics": {"provider": "google", "property": "G-XXXXXXXX"}}, "analytics",
     "extra.analytics: an analytics provider's script, fetched from its site by every page: "
     "the site makes no request to another site"),
    ({"polyfills": ["https://cdn.example/p.js"]}, "polyfills", "extra.polyfills: scripts fetched from another site"),
    ({"social": [{"icon": GITHUB, "link": "javascript:alert(1)"}]}, "link",
     "extra.social[0].link: a javascript: link: write an http(s) address, or a path of the site"),
    ({"social": [{"icon": "nosuch/icon", "link": "https://x.org/"}]}, "icon",
     "extra.social[0].icon: the theme has no icon 'nosuch/icon'"),
    ({"homepage": 'https://x.org/" onclick="x'}, "homepage", "extra.homepage: an address has no space, quote"),
    ({"scope": '/");alert(1);("'}, "scope", "extra.scope: write a path of letters, digits"),
    ({"status": {"new thing": "New"}}, "new thing", "extra.status.new thing: 'new thing' is a class name"),
])
def test_a_wrong_extra_fails_the_strict_build_naming_mkdocs_yml_its_line_the_key_and_the_fix(
        fixture_site, tmp_path, extra, key, message):
    result = fixture_site({"index.md": "# Home\n\nText.\n"}, extra=extra)
    assert not result.ok
    line = _line_of(tmp_path / "mkdocs.yml", key)
    assert f"mkdocs.yml:{line}: {message}" in result.text(), result.text()
    assert "Traceback" not in result.text()


def test_an_unknown_extra_key_is_a_warning_a_strict_build_fails_on(fixture_site, tmp_path):
    result = fixture_site({"index.md": "# Home\n\nText.\n"}, extra={"generator": False, "generatr": True})
    assert not result.ok
    line = _line_of(tmp_path / "mkdocs.yml", "generatr")
    assert (f"mkdocs.yml:{line}: extra.generatr: not a setting Material or this generator reads "
            "(they are: alternate, annotate, generator, homepage, scope, social, status, tags, version): "
            "correct it or remove it") in result.text()
    loose = fixture_site({"index.md": "# Home\n\nText.\n"}, strict=False, extra={"generatr": True})
    assert loose.ok and any("extra.generatr" in message for message in loose.messages)


# ----------------------------------------------------------------------------- theme:


def _theme(fixture_site, tmp_path, **changes):
    from sitebuild import minimal_config

    theme = {**minimal_config()["theme"], **changes}
    return fixture_site({"index.md": "# Home\n\nText.\n"}, theme=theme)


def _palette(**toggle) -> list[dict]:
    return [{"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo",
             "toggle": {"icon": "material/weather-night", "name": "Switch to dark mode", **toggle}}]


def test_check_theme_names_each_wrong_icon_colour_css_name_and_language():
    theme = {"palette": [{"scheme": "default", "primary": 'indigo" x', "toggle": {"icon": "nosuch/a", "name": "x"}},
                         {"scheme": "slate", "accent": "deep purple", "toggle": {"icon": "material/weather-sunny"}}],
             "icon": {"logo": "material/library", "repo": "nosuch/b", "admonition": {"note": "octicons/tag-16",
                                                                                   "x}<b": "octicons/tag-16"}},
             "language": "xx"}
    errors = policy.check_theme(theme, THEME_DIRS)
    assert [policy.key_name(e.path) for e in errors] == [
        "theme.palette[0].primary", "theme.palette[0].toggle.icon", "theme.icon.repo", "theme.icon.admonition.x}<b",
        "theme.language"]
    assert policy.check_theme({"palette": _palette(), "language": "ur", "icon": {"logo": "material/library"}},
                              THEME_DIRS) == []
    assert "no language '../../x'" in str(policy.check_theme({"language": "../../x"}, THEME_DIRS)[0])


@pytest.mark.parametrize(("changes", "key", "message"), [
    ({"palette": _palette(icon="nosuch/icon")}, "icon",
     "theme.palette[0].toggle.icon: the theme has no icon 'nosuch/icon'"),
    ({"icon": {"repo": "nosuch/icon"}}, "repo", "theme.icon.repo: the theme has no icon 'nosuch/icon'"),
    ({"language": "xx"}, "language", "theme.language: the theme has no language 'xx': write one of Material's"),
    ({"palette": [{"scheme": 'default" onclick="x'}]}, "scheme", "theme.palette[0].scheme: 'default\" onclick=\"x'"),
])
def test_a_wrong_theme_setting_fails_the_strict_build_naming_mkdocs_yml_its_line_the_key_and_the_fix(
        fixture_site, tmp_path, changes, key, message):
    """An icon or a language the theme lacks stopped the build with Jinja's TemplateNotFound."""
    result = _theme(fixture_site, tmp_path, **changes)
    assert not result.ok
    line = _line_of(tmp_path / "mkdocs.yml", key, under="theme")
    assert f"mkdocs.yml:{line}: {message}" in result.text(), result.text()
    assert "Traceback" not in result.text() and "TemplateNotFound" not in result.text()


def test_a_palette_toggle_s_name_and_media_are_escaped(fixture_site, tmp_path):
    name = 'Dark "mode" <b>x</b> & more'
    result = _theme(fixture_site, tmp_path, palette=[{**_palette(name=name)[0], "media": '(x) "y" <b>'}])
    assert result.ok, result.text()
    raw = result.html()
    assert 'aria-label="Dark &#34;mode&#34; &lt;b&gt;x&lt;/b&gt; &amp; more"' in raw
    assert 'title="Dark &#34;mode&#34; &lt;b&gt;x&lt;/b&gt; &amp; more"' in raw
    assert 'data-md-color-media="(x) &#34;y&#34; &lt;b&gt;"' in raw
    assert "<b>x</b>" not in raw


# ----------------------------------------------------------------------------- a page's front matter


def test_check_a_page_s_icon_template_and_status():
    assert policy.page_problems({"icon": "material/library", "template": "main.html", "status": "new",
                                 "title": "x"}, THEME_DIRS) == []
    errors = policy.page_problems({"icon": "nosuch/icon", "template": "../main.html", "status": "new one"}, THEME_DIRS)
    assert [policy.key_name(e.path) for e in errors] == ["icon", "template", "status"]
    assert policy.page_problems({"template": THEME_DIRS[0] + "/main.html"}, THEME_DIRS)  # a path, not a name


@pytest.mark.parametrize(("front", "message"), [
    ("icon: nosuch/icon", "icon: the theme has no icon 'nosuch/icon': name one of its icons"),
    ("template: nosuch.html", "template: the theme has no template 'nosuch.html': name one of its templates "
                              "(main.html) or a file of the site's custom_dir, or leave it out"),
    ("status: 'new\" data-x=\"y'", "status: 'new\" data-x=\"y' is a class name in the page"),
])
def test_a_page_s_wrong_icon_template_or_status_fails_naming_the_page_and_the_line(fixture_site, front, message):
    """An icon or template the theme lacks stopped the build with Jinja's TemplateNotFound."""
    result = fixture_site({"index.md": "# Home\n\nText.\n",
                           "other.md": f"---\ntitle: Other\n{front}\n---\n# Other\n\nText.\n"})
    assert not result.ok
    assert f"docs/other.md:3: {message}" in result.text(), result.text()
    assert "TemplateNotFound" not in result.text()


def test_an_unknown_front_matter_key_is_a_warning_a_strict_build_fails_on(fixture_site):
    pages = {"index.md": "# Home\n\nText.\n",
             "other.md": "---\ntitle: Other\ndescription: A page.\ncolour: red\n---\n# Other\n\nText.\n"}
    result = fixture_site(pages)
    assert not result.ok
    assert ("docs/other.md:4: colour: not a front matter key MkDocs, Material or this generator reads (they are: "
            "title, description, author, template, icon, status, subtitle, hide, search, tags, note): correct it "
            "or remove it") in result.text(), result.text()
    assert len([m for m in result.messages if "front matter key" in m]) == 1  # title and description are known
    assert fixture_site(pages, strict=False).ok
