"""Paper #2 ("Afghanistan and Pakistan: Friends or Foes?"): its figures file, its callouts
and its "At a glance" cards claim what its text supports."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from briefing.key_figures import figures as kf

from sitebuild import PAPER

ROOT = Path(__file__).resolve().parents[2]

REQUIRED = {  # value as the note words it -> the chapter that states it
    "60%": f"{PAPER}/historical-perspective",
    "500%": f"{PAPER}/historical-perspective",
    "nearly 2,300": f"{PAPER}/historical-perspective",
    "1.7 million": f"{PAPER}/security-challenge",
    "around 200,000": f"{PAPER}/security-challenge",
    "circa four million": f"{PAPER}/afghan-migration",
    "approximately seven million": f"{PAPER}/afghan-migration",
    "In the region of six million": f"{PAPER}/afghan-migration",
    "3.5 million": f"{PAPER}/afghan-migration",
    "two million": f"{PAPER}/afghan-migration",  # to Iran: the migration chart's first wave (issue 15)
    "nearly 800,000": f"{PAPER}/afghan-migration",
    "at least 600,000": f"{PAPER}/afghan-migration",
}


SOURCES = {
    "60%": 5, "500%": 5, "nearly 2,300": 5,  # the caretaker Prime Minister's claim, in Gul (note 5)
    "In the region of six million": 6, "3.5 million": 6, "two million": 6, "nearly 800,000": 6,
    "at least 600,000": 7,  # Kugelman's note covers it alone
    "approximately seven million": None, "circa four million": None,  # after note 7: the author's own
    "1.7 million": 9, "around 200,000": 9,  # note 8's marker stands before the sentence
}


OWN = {value for value, note in SOURCES.items() if note is None}


def _soup(site_dir: Path, url_path: str) -> BeautifulSoup:
    path = site_dir / url_path.strip("/") / "index.html" if not url_path.endswith(".html") else site_dir / url_path
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")



def test_real_figures_file_is_clean_and_complete():
    path = ROOT / "docs" / PAPER / "figures.yml"  # beside the note's index.md
    figures, problems = kf.load_figures(path.read_text(encoding="utf-8"), f"docs/{PAPER}/figures.yml")
    assert problems == []
    assert set(REQUIRED) <= {f.value for f in figures}


def _resolve(href: str, page_url: str) -> tuple[str, str]:
    parts = urlsplit(urljoin("http://site.invalid/" + page_url, href))
    return parts.path, parts.fragment


def test_the_figures_file_is_not_published(real_site):
    assert not list(real_site.site_dir.rglob("figures.yml"))


def test_home_page_shows_every_figure_linking_to_the_text(real_site):
    home = _soup(real_site.site_dir, PAPER)
    heading = home.find(id="at-a-glance")
    assert heading is not None and heading.name == "h2" and "At a glance" in heading.get_text()
    cards = home.select("li.at-a-glance__card")
    values = {card.select_one(".key-figure__value").get_text(): card for card in cards}
    assert set(REQUIRED) <= set(values), sorted(values)
    for value, card in values.items():
        path, fragment = _resolve(card.select_one("a.at-a-glance__link")["href"], f"{PAPER}/")
        target = _soup(real_site.site_dir, path).find(id=fragment)
        assert target is not None, (value, path, fragment)
        assert target.name == "p" and kf.contains(" ".join(target.get_text().split()), value), value
        if value in REQUIRED:
            assert path.strip("/") == REQUIRED[value]
        source = card.select_one("a.key-figure__source")
        if value in OWN:
            assert source is None and "Source: the note itself" in card.get_text(), value
            continue
        path, fragment = _resolve(source["href"], f"{PAPER}/")
        note = _soup(real_site.site_dir, path).find(id=fragment)
        assert note is not None and note.name == "li" and fragment.startswith("fn:"), (value, fragment)


def test_callouts_stand_after_their_paragraph_and_link_their_note(real_site):
    seen = set()
    for chapter in set(REQUIRED.values()):
        page = _soup(real_site.site_dir, chapter)
        for group in page.select("div.key-figures"):
            paragraph = group.find_previous_sibling()
            assert paragraph.name == "p" and paragraph["id"].startswith("stated-")
            for aside in group.select("aside.key-figure"):
                value = aside.select_one(".key-figure__value").get_text()
                seen.add(value)
                assert kf.contains(" ".join(paragraph.get_text().split()), value)
                assert aside.select_one(".key-figure__kicker").get_text() == "Key figure"
                for part in aside["aria-labelledby"].split():
                    assert page.find(id=part) is not None
                link = aside.select_one("a.key-figure__source")
                if value in OWN:
                    assert link is None and "Source: the note itself" in aside.get_text()
                else:
                    note = page.find(id=link["href"].lstrip("#"))
                    assert note is not None and note.name == "li"
                assert "[@" not in str(aside) and not aside.select("sup")
    assert set(REQUIRED) <= seen


def test_notes_still_number_one_to_fifteen(real_site):
    notes, markers = [], []
    for path in sorted(real_site.site_dir.rglob("index.html")):
        if path.parent.name == "print":
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        notes += [int(li["id"].split(":")[1]) for li in soup.select("div.briefing-notes li[id^='fn:']")]
        # the text's markers (the timeline and charts repeat notes with markers of their own, no id)
        markers += [int(sup["id"].split(":")[1]) for sup in soup.select("sup.note-ref[id^='fnref:']")]
    assert sorted(notes) == list(range(1, 16))
    assert sorted(markers) == list(range(1, 16))


def test_key_figures_css_is_loaded_with_print_rules(real_site):
    home = real_site.html(PAPER)
    assert re.search(r'href="[^"]*assets/briefing\.[0-9a-f]{8}\.css"', home)
    css = real_site.stylesheet().split("/* assets/key-figures.css */", 1)[1].split("\n/* assets/", 1)[0]
    assert "@media print" in css and "var(--md-default-fg-color)" in css


def _cards(real_site) -> dict:
    home = _soup(real_site.site_dir, PAPER)
    return {card.select_one(".key-figure__value").get_text(): card for card in home.select("li.at-a-glance__card")}


def test_real_callouts_credit_what_the_text_supports(real_site):
    for value, card in _cards(real_site).items():
        source = card.select_one("a.key-figure__source")
        assert (int(source["title"].split()[-1]) if source else None) == SOURCES[value], value
    cards = _cards(real_site)
    for value in ("60%", "500%", "nearly 2,300"):
        claim = cards[value].select_one(".key-figure__claim").get_text()
        assert claim.startswith("“The caretaker Prime Minister of Pakistan, Anwar-ul-Haq Kakar, said"), value
    assert cards["around 200,000"].select_one(".key-figure__claim").get_text() == "“According to official sources …”"
    for value in ("In the region of six million", "3.5 million"):
        meta = " ".join(cards[value].select_one(".key-figure__meta").get_text().split())
        assert meta.startswith("Period: after the Soviet invasion of Afghanistan in 1979.") and "As of" not in meta
    for value in OWN:
        assert "As of" not in cards[value].get_text()


def test_at_a_glance_follows_reading_order(real_site):
    chapters = [f"{PAPER}/historical-perspective", f"{PAPER}/afghan-migration", f"{PAPER}/security-challenge"]
    in_text = [aside.select_one(".key-figure__value").get_text()
               for chapter in chapters for aside in _soup(real_site.site_dir, chapter).select("aside.key-figure")]
    assert list(_cards(real_site)) == in_text
    assert in_text.index("1.7 million") > in_text.index("circa four million")  # not the file's order
