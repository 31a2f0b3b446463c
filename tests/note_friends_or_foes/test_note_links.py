"""Paper #2's links: every source of its library is collected, the built note has no broken
link and keeps the site's promises (no third-party request)."""

from __future__ import annotations

from pathlib import Path

from briefing.links import external as lc
from briefing.links import scan as sl

from sitebuild import real_config

ROOT = Path(__file__).resolve().parents[2]



def test_real_library_urls_are_all_collected():
    found = lc.collect_bib_urls([ROOT / "bib" / "references.bib"], ROOT)
    assert len(found) >= 13
    assert all(source.urldate for sources in found.values() for source in sources)


def test_the_real_site_has_no_broken_link(real_site):
    site_url = real_config()["site_url"]
    problems = sl.check_site(real_site.site_dir, site_url)
    assert problems == []
    assert not [m for m in real_site.messages if "broken" in m or "not allowed" in m]


def test_the_real_site_keeps_its_promises(real_site):
    from sitebuild import real_config

    site_url = real_config()["site_url"]
    assert sl.check_site(real_site.site_dir, site_url) == []
    fetched = [link for scan in sl.scan_site(real_site.site_dir).values() for link in scan.links if link.fetch]
    assert fetched and not [link for link in fetched if sl.is_external(link.url, sl.Base.from_site_url(site_url))]
