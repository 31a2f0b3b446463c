"""Material's navigation drawn once for the pages that show it alike (issue 14):
briefing/theme/partials/nav.html (Material 9.8.1's, but for the line that draws each top-level
item) and briefing.common.material_internals.NavItems, keyed by what the ``url`` filter's output
depends on of a page (briefing.common.mkdocs_internals.url_context). At 50 notes x 12 pages
Material's nav-item macro was most of the pages' rendering; the HTML must stay Material's own."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import material
from mkdocs.utils import normalize_url

from briefing.common import material_internals, mkdocs_internals
from briefing.common.theme import PACKAGE

from sitebuild import build, synthetic, write_config

MATERIAL_NAV = Path(material.__file__).parent / "templates" / "partials" / "nav.html"
OUR_NAV = PACKAGE / "theme" / "partials" / "nav.html"
LEADING_COMMENT = re.compile(r"\A\{#-.*?-#\}\n", re.S)
MATERIAL_LINE = "{{ item.render(nav_item, path, 1) }}"
OUR_LINE = ("{{ briefing_nav_item(item.render, nav_item, path, 1, page, base_url) if briefing_nav_item is defined "
            "else item.render(nav_item, path, 1) }}")


def test_our_nav_html_is_material_s_but_for_the_line_that_draws_each_item():
    """Fails when Material's partial changes under the copy (an upgrade): copy it anew then."""
    material_nav = LEADING_COMMENT.sub("", MATERIAL_NAV.read_text(encoding="utf-8"), count=1)
    ours = LEADING_COMMENT.sub("", OUR_NAV.read_text(encoding="utf-8"), count=1)
    assert material_nav.count(MATERIAL_LINE) == 1
    assert ours == material_nav.replace(MATERIAL_LINE, OUR_LINE)
    assert material.__version__ in OUR_NAV.read_text(encoding="utf-8").split("-#}")[0]


def files_of(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def recording_draws(monkeypatch) -> list[tuple[str, str | None, bool]]:
    """(the item's first link, the page's URL or None, drawn by Material's macro) for every
    top-level item drawn through NavItems."""
    seen: list[tuple[str, str | None, bool]] = []
    real = material_internals.NavItems.draw

    def draw(self, render, item, path, level, page, base_url):
        drawn = []

        def render_(*args):
            drawn.append(True)
            return render(*args)

        html = real(self, render_, item, path, level, page, base_url)
        seen.append((material_internals.nav_urls(item)[0], None if page is None else page.url, bool(drawn)))
        return html

    monkeypatch.setattr(material_internals.NavItems, "draw", draw)
    return seen


def test_every_file_of_the_series_is_the_one_material_s_own_navigation_makes(synthetic_series, tmp_path, monkeypatch):
    """The fixture series (5 notes: the home page, note pages and chapters at two depths, the
    author pages, the 404 page, the print editions) built again with Material's own nav.html
    (a custom_dir, which comes before the generator's templates): the same bytes in every file."""
    root = synthetic_series.site_dir.parent
    custom = tmp_path / "material-nav"
    (custom / "partials").mkdir(parents=True)
    (custom / "partials" / "nav.html").write_bytes(MATERIAL_NAV.read_bytes())
    config = synthetic.read_config(root / "mkdocs.yml")
    config["theme"]["custom_dir"] = str(custom)
    seen = recording_draws(monkeypatch)
    result = build(write_config(root / "mkdocs.material-nav.yml", config), tmp_path / "site")
    assert result.ok, result.text()
    assert seen == []  # Material's nav.html drew every item itself
    ours, materials = files_of(synthetic_series.site_dir), files_of(tmp_path / "site")
    assert ours.keys() == materials.keys()
    assert "404.html" in ours and any(name.endswith("/print/index.html") for name in ours)
    assert [name for name in ours if ours[name] != materials[name]] == []


def test_an_other_note_is_drawn_once_for_each_depth_of_page_and_printed_again_for_the_rest(tmp_path, monkeypatch):
    seen = recording_draws(monkeypatch)
    result = build(synthetic.generate(tmp_path, 3, 3, entries=30, per_page=2), tmp_path / "site")
    assert result.ok, result.text()
    note = f"{synthetic.slug(0)}/"  # the first note's item: its first link is the note's own page
    outside = [(url, drawn) for first, url, drawn in seen if first == note and not (url or "").startswith(note)]
    inside = [(url, drawn) for first, url, drawn in seen if first == note and (url or "").startswith(note)]
    # drawn by Material once for the 404 page (no page: links from the site's root) and once
    # for each depth of page outside the note (the home page 0, note pages 1, chapters 2)...
    drawn_depths = [None if url is None else len(url.strip("/").split("/")) if url else 0
                    for url, drawn in outside if drawn]
    assert sorted(drawn_depths, key=lambda d: -1 if d is None else d) == [None, 0, 1, 2]
    # ...and printed again on every other page outside it (two other notes, the authors' pages)
    assert len(outside) - len(drawn_depths) >= 2 * 3
    # on its own pages it is active: drawn for each of them
    assert inside and all(drawn for _, drawn in inside)


def test_pages_given_the_same_context_get_the_same_links_from_the_url_filter():
    """url_context against MkDocs' own normalize_url, for folder and .html URLs, links out,
    the 404 page: equal contexts, equal output for every URL under the prefix."""
    groups = {
        "note": ["note-002/", "note-002/chapter-01/", "note-002/sub/deeper/", "note-002/x.html", "note-002/#top"],
        "nested": ["guide/ref/a/", "guide/ref/b.html", "guide/ref/"],
        "mixed": ["guide/ref/a/", "https://example.org/", "/absolute/", "#fragment", "../up/"],
        "outside": ["https://example.org/", "/absolute/"],
    }
    page_urls = ["", "index.html", "note-001/", "note-001/chapter-01/", "note-001/chapter-01.html", "guide/",
                 "guide/other/", "guide/other.html", "guide/ref/a/", "other/deep/er/", "404.html", "a/b/c/d/"]
    kept = 0
    for urls in groups.values():
        prefix = mkdocs_internals.link_prefix(urls)
        by_context: dict[tuple, list[str]] = {}
        for page_url in page_urls:
            context = mkdocs_internals.url_context(prefix, page_url, "")
            out = [normalize_url(url, page=SimpleNamespace(url=page_url)) for url in urls]
            if context is not None:
                kept += 1
                assert by_context.setdefault(context, out) == out, (urls, page_url, context)
        for base in ("/", "/briefing/"):
            context = mkdocs_internals.url_context(prefix, None, base)
            assert context is not None
            out = [normalize_url(url, page=None, base=base) for url in urls]
            assert by_context.setdefault(context, out) == out
    assert kept >= 30  # most pages outside a group share its links' strings with others


def test_the_prefix_is_the_links_shared_folders_and_does_not_change_mkdocs_own():
    urls = ["note-002/", "note-002/chapter-01/"]
    assert mkdocs_internals.link_prefix(urls) == ("note-002",)
    assert mkdocs_internals.link_prefix(["https://example.org/"]) is None
    assert mkdocs_internals.link_prefix(["a/b/", "c/"]) == ()
    assert normalize_url("note-002/chapter-01/", page=SimpleNamespace(url="x/")) == "../note-002/chapter-01/"
    # a page inside the prefix: its links depend on more than its depth
    assert mkdocs_internals.url_context(("note-002",), "note-002/chapter-05/", "") is None
