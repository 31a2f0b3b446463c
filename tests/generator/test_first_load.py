"""What a first view costs a reader's phone beyond its bytes (issue 14: Lighthouse's TBT): the
files the build writes so that Material's bundle does less as a page loads. The browser side
(one sitemap request, colours that switch at once) is in tests/browser/test_first_view.py and
test_palette.py."""

from __future__ import annotations

import re
from pathlib import Path

import material

from briefing.common import material_internals, theme

MATERIAL_PALETTE = next((Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob(
    "palette.*.min.css"))


def test_palette_css_leaves_out_only_the_rule_on_the_switching_attribute():
    css = MATERIAL_PALETTE.read_text(encoding="utf-8")
    assert css.count("data-md-color-switching") == 3  # the rule's three selectors, as Material 9.8 writes them
    lighter = material_internals.palette_css(css)
    assert lighter is not None and "data-md-color-switching" not in lighter
    assert len(css) - len(lighter) == len(material_internals._SWITCHING)
    assert material_internals.palette_css(lighter) is None  # no rule: the copy is left as it is


def test_the_site_s_palette_css_has_no_rule_on_the_switching_attribute_and_ours_keys_it_on_a_switch(fixture_site):
    result = fixture_site({"index.md": "# Home\n\nText.\n"})
    assert result.ok, result.text()
    (palette,) = (result.site_dir / "assets" / "stylesheets").glob("palette.*.min.css")
    assert palette.name == MATERIAL_PALETTE.name  # the address Material's base.html links
    css = palette.read_text(encoding="utf-8")
    assert "data-md-color-switching" not in css
    assert "--md-typeset-a-color" in css  # the rest of Material's palette is there
    ours = result.stylesheet()
    assert re.search(r"\[data-briefing-switching\] \*,\s*\[data-briefing-switching\] ::before,\s*"
                     r"\[data-briefing-switching\] ::after \{ transition-duration: 0s !important; \}", ours)
    script = (result.site_dir / "assets" / "javascripts" / "material-load.js").read_text(encoding="utf-8")
    assert 'setAttribute("data-briefing-switching"' in script


def test_a_site_s_own_palette_css_is_left_alone(fixture_site):
    own = "/* the site's own */ [data-md-color-switching] *{transition-duration:0s!important}\n"
    result = fixture_site({"index.md": "# Home\n\nText.\n",
                           f"assets/stylesheets/{MATERIAL_PALETTE.name}": own})
    assert result.ok, result.text()
    assert (result.site_dir / "assets" / "stylesheets" / MATERIAL_PALETTE.name).read_text(encoding="utf-8") == own


def _sheets(result, page: str = "") -> list[str]:
    return [link["href"] for link in result.soup(page).find_all("link", rel="stylesheet")]


def test_a_page_links_one_style_sheet_of_the_generator_s_after_material_s_and_before_the_site_s(fixture_site):
    """Six small sheets were six requests the first paint waited for (issue 14)."""
    result = fixture_site({"index.md": "# Home\n\nText.\n", "deep/page.md": "# Deep\n\nText.\n",
                           "extra.css": ".mine { color: red; }\n"}, extra_css=["extra.css"])
    assert result.ok, result.text()
    sheets = _sheets(result)
    assert [re.sub(r"\.[0-9a-f]{8}\.", ".*.", href) for href in sheets] == [
        "assets/stylesheets/main.*.min.css", "assets/stylesheets/palette.*.min.css",
        "assets/briefing.*.css", "extra.css"]
    assert _sheets(result, "deep/page")[2] == "../../" + sheets[2]  # the same file from every page
    text = result.stylesheet()
    parts = re.findall(r"^/\* (assets/[a-z-]+\.css) \*/$", text, re.M)
    assert parts == [asset.path for asset in theme.STYLES]  # in order: a later part wins
    for asset in theme.STYLES:
        assert asset.source.read_text(encoding="utf-8") in text
        assert not (result.site_dir / asset.path).exists()  # not shipped on its own as well


def test_a_site_s_own_file_of_a_part_s_name_is_that_part_of_the_style_sheet(fixture_site):
    first = fixture_site({"index.md": "# Home\n\nText.\n"})
    assert first.ok, first.text()
    name_before = _sheets(first)[2]
    own = "/* the site's own reader.css */ .note-aside { color: teal; }\n"
    result = fixture_site({"index.md": "# Home\n\nText.\n", "assets/reader.css": own})
    assert result.ok, result.text()
    text = result.stylesheet()
    assert own in text
    reader = next(asset for asset in theme.STYLES if asset.path == "assets/reader.css")
    assert reader.source.read_text(encoding="utf-8") not in text
    assert text.index(own) < text.index("/* assets/key-figures.css */")  # in the part's place
    assert _sheets(result)[2] != name_before  # a new name for a new text: no stale sheet kept by a browser


def test_the_sitemap_lists_each_page_on_a_line_of_its_own_without_the_build_s_date(fixture_site):
    result = fixture_site({"index.md": "# Home\n\nText.\n", "second.md": "# Second\n\nText & more.\n",
                           "third/index.md": "# Third\n\nText.\n"})
    assert result.ok, result.text()
    text = (result.site_dir / "sitemap.xml").read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset ')
    assert "<lastmod>" not in text
    lines = [line for line in text.splitlines() if line.startswith("<url>")]
    assert lines == [f"<url><loc>https://example.github.io/briefing/{path}</loc></url>"
                     for path in ("", "second/", "third/")]
