"""Bad input fails a strict build with a message naming the file (and line)."""

from __future__ import annotations

from sitebuild import ONE_ENTRY


def test_unknown_citation_key_names_key_and_page(fixture_site):
    result = fixture_site({"index.md": "# Home\n\nText.\n\nMore text.[@nosuchkey2020]\n"}, bib=ONE_ENTRY)
    assert not result.ok
    assert any("nosuchkey2020" in m and "docs/index.md:5" in m for m in result.messages), result.text()


def test_broken_internal_link_names_page(fixture_site):
    result = fixture_site({"index.md": "# Home\n\nSee [the chapter](missing.md).\n"}, bib=ONE_ENTRY)
    assert not result.ok
    assert any("index.md" in m and "missing.md" in m for m in result.messages), result.text()


def test_broken_anchor_names_page(fixture_site):
    result = fixture_site(
        {"index.md": "# Home\n\nSee [there](other.md#nowhere).\n", "other.md": "# Other\n\nText.\n"},
        bib=ONE_ENTRY,
    )
    assert not result.ok
    assert any("index.md" in m and "nowhere" in m for m in result.messages), result.text()


def test_valid_fixture_site_builds(fixture_site):
    result = fixture_site({"index.md": "# Home\n\nText.[@smith2020title]\n"}, bib=ONE_ENTRY)
    assert result.ok, result.text()
    assert "Jane Smith" in result.html()


