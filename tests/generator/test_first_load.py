"""What a first view costs a reader's phone beyond its bytes (issue 14: Lighthouse's TBT): the
files the build writes so that Material's bundle does less as a page loads. The browser side
(one sitemap request, colours that switch at once) is in tests/browser/test_first_view.py and
test_palette.py."""

from __future__ import annotations

import re
from pathlib import Path

import material

from briefing.common import material_internals

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
    ours = (result.site_dir / "assets" / "briefing.css").read_text(encoding="utf-8")
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
