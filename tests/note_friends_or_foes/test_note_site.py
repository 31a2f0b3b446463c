"""Paper #2, "Afghanistan and Pakistan: Friends or Foes?" (the real note, docs/<PAPER>/), built
strict in the series' site: chapters, its text verbatim against the seed
(tests/note_friends_or_foes/seed/), its golden notes and bibliography, search, no third party,
its glossary, its configuration."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
import yaml
from bs4 import BeautifulSoup

from sitebuild import PAPER, ROOT, SEED, real_config

HERE = Path(__file__).resolve().parent
HOME = f"{PAPER}/"  # the note's own page (title page, abstract, contents)
CHAPTERS = [
    (f"{PAPER}/historical-perspective/", "Historical Perspective"),
    (f"{PAPER}/afghan-migration/", "Afghan Migration"),
    (f"{PAPER}/security-challenge/", "An Emerging Security Challenge in the Region"),
    (f"{PAPER}/conclusion/", "Conclusion"),
]
REFERENCES = f"{PAPER}/references/"
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# The notes and the bibliography as an editor has read them against the footnotes of the PDF
# (SEED): each note's access date, note 1's report number and month, the columns (VOA's "South
# and Central Asia", Foreign Policy's "South Asia Brief") before the periodical, National
# Geographic Education as one name, notes 3 and 12 with the pages the footnotes give.
GOLDEN = json.loads((HERE / "golden" / "notes.json").read_text(encoding="utf-8"))
GOLDEN_BIBLIOGRAPHY = json.loads((HERE / "golden" / "bibliography.json").read_text(encoding="utf-8"))


def soup(result, page: str = "") -> BeautifulSoup:
    return BeautifulSoup(result.html(page), "html.parser")


def squash(text: str) -> str:
    return " ".join(text.split())


def author_text(result, page: str) -> str:
    """The page's article text as a reader sees it, without what we add: note markers, the
    notes, header permalinks, and anything marked as ours."""
    article = soup(result, page).select_one("article")
    for element in article.select(
        "sup.note-ref, div.footnote, a.headerlink, .source-figure__frame, [data-editorial], .editorial"
    ):
        element.decompose()
    return squash(article.get_text(""))


def seed_paragraphs() -> list[str]:
    """The author's paragraphs from the PDF text: footnote blocks out, page-break splits
    rejoined, note markers and the extraction's *italic* marks removed."""
    blocks = [block.strip() for block in SEED.read_text(encoding="utf-8").split("\n\n")]
    start = blocks.index("Abstract") + 1
    body = [b for b in blocks[start:] if b and b[0] not in SUPERSCRIPTS and not b.startswith(("* ", "https://"))]
    joined: list[str] = []
    for block in body:
        previous = joined[-1] if joined else ""
        if previous.endswith("-") and not previous.endswith(" -"):
            joined[-1] = previous + block  # a word split at a page break
        elif previous and previous[-1] not in ".?!:\"*”" + SUPERSCRIPTS and len(previous) > 60:
            joined[-1] = previous + " " + block  # a sentence split at a page break
        else:
            joined.append(block)
    return [squash(re.sub(f"[{SUPERSCRIPTS}*]", "", block)) for block in joined]


def test_seed_paragraphs_are_the_expected_ones():
    paragraphs = seed_paragraphs()
    headings = [p for p in paragraphs if len(p) < 60]
    assert headings == [title for _, title in CHAPTERS]
    assert any("Tehrik-e-Taliban Pakistan (TTP) and other militant groups" in p for p in paragraphs)
    assert any("among which are approximately 1.7 million" in p for p in paragraphs)
    assert any("Mohajideen-e-Albader (MeA)" in p for p in paragraphs)


def test_home_page_has_title_author_series_abstract_and_contents(real_site):
    page = soup(real_site, HOME)
    assert page.h1.get_text(strip=True).rstrip("¶") == "Afghanistan and Pakistan: Friends or Foes?"
    text = squash(page.select_one("article").get_text(" "))
    assert "Dr Muhammad Tahir Mahmood" in text
    assert "Research Note Series, Paper #2, November 2023" in text
    assert "SSEASRC" in text and "BUCSIS" in text and "University of Buckingham" in text
    note = page.select_one("#fn\\:author")
    assert squash(note.get_text()) == (
        "* Research Fellow at the Centre for Security and Intelligence Studies (BUCSIS), "
        "University of Buckingham, United Kingdom."
    )
    assert page.select_one('a.footnote-ref[href="#fn:author"]') is not None
    assert [h.get_text(strip=True).rstrip("¶") for h in page.select("article h2")][:2] == ["Abstract", "Contents"]
    abstract = seed_paragraphs()[0]
    assert abstract.startswith("After four decades of relative amity")
    assert abstract in author_text(real_site, HOME)
    contents = page.select_one("h2#contents").find_next("ol")
    assert [a.get_text(strip=True) for a in contents.select("a")] == [t for _, t in CHAPTERS]
    # back matter after the chapters, not numbered as a fifth one
    assert [a.get_text(strip=True) for a in contents.find_next_sibling("p", class_="contents-back").select("a")] == [
        "References"]
    assert [a["href"] for a in contents.select("a")][:4] == [url.removeprefix(HOME) for url, _ in CHAPTERS]


def test_chapters_in_order_under_their_titles(real_site):
    # on the note's own page: the navigation holds the current note's pages (navigation.prune)
    nav_links = [HOME + a["href"] for a in soup(real_site, HOME).select("nav.md-nav--primary a.md-nav__link[href]")]
    positions = [nav_links.index(url) for url, _ in CHAPTERS]
    assert positions == sorted(positions)
    for url, title in CHAPTERS:
        assert soup(real_site, url).h1.get_text(strip=True).rstrip("¶") == title


def test_every_author_paragraph_is_published_verbatim(real_site):
    paragraphs = seed_paragraphs()
    pages = {url: author_text(real_site, url) for url, _ in CHAPTERS}
    pages[HOME] = author_text(real_site, HOME)
    titles = {title for _, title in CHAPTERS}
    for paragraph in paragraphs:
        if paragraph in titles:
            continue
        assert any(paragraph in text for text in pages.values()), paragraph[:80]


def test_photograph_is_a_captioned_figure_linking_to_its_source_without_the_image(real_site):
    page = soup(real_site, f"{PAPER}/security-challenge/")
    figure = page.select_one("figure.source-figure")
    caption = figure.figcaption
    caption_text = "Refugees arrive in trucks at the Pakistan-Afghanistan border. Source BBC News."
    assert caption_text in squash(caption.get_text())
    assert caption.select_one("sup.note-ref a").get_text() == "15"
    assert figure.select_one("a.source-figure__link")["href"] == "https://www.bbc.co.uk/news/world-asia-67259108"
    assert figure.find("img") is None


def test_glossary_expands_acronyms_as_the_note_words_them(real_site):
    expected = {
        "TTP": "Tehrik-e-Taliban Pakistan",
        "IS-K": "Islamic State- Khorasan",
        "ISI": "Inter-Services Intelligence",
        "NATO": "North Atlantic Treaty Organisation",
        "LeJ": "Lashkar-e-Jhangvi",
        "JeM": "Jaish-e-Muhammad",
        "LeI": "Lashkar-e-Islam",
        "MeA": "Mohajideen-e-Albader",
        "TJP": "Tehrik-e-Jihad Pakistan",
    }
    found = {}
    for url, _ in CHAPTERS:
        for abbr in soup(real_site, url).select("article abbr"):
            found[abbr.get_text()] = abbr["title"]
    for acronym, expansion in expected.items():
        assert found.get(acronym) == expansion, acronym
    home = {a.get_text(): a["title"] for a in soup(real_site, HOME).select("article abbr")}
    assert home["SSEASRC"] == "South and South East Asia Security Research Centre"
    assert home["BUCSIS"].startswith("Centre for Security and Intelligence Studies")


# ----------------------------------------------------------------------------- notes


def notes_of(result) -> dict[str, dict]:
    notes = {}
    for url, _ in CHAPTERS:
        for li in soup(result, url).select("div.briefing-notes li"):
            links = [(a.get_text(), a["href"]) for a in li.select("a.note-link")]
            for a in li.select("a.note-link, a.footnote-backref"):
                a.decompose()
            notes[li["value"]] = {"page": url, "cites": li["data-cites"].split(), "text": squash(li.get_text("")),
                                  "links": links, "id": li["id"]}
    return notes


def test_fifteen_notes_numbered_as_the_paper_numbers_them(real_site):
    notes = notes_of(real_site)
    assert list(notes) == [str(n) for n in range(1, 16)]
    for number, note in notes.items():
        assert note["id"] == f"fn:{number}"
        marker = soup(real_site, note["page"]).select_one(f"sup#fnref\\:{number} a.footnote-ref")
        assert marker is not None and marker.get_text() == number and marker["href"] == f"#fn:{number}"


@pytest.mark.parametrize("number", [str(n) for n in range(1, 16)])
def test_golden_note(real_site, number):
    note = notes_of(real_site)[number]
    note["page"] = note["page"].removeprefix(HOME)  # golden pages are the note's own ("conclusion/")
    assert {k: note[k] for k in ("page", "cites", "text")} == GOLDEN[number]


def test_golden_bibliography(real_site):
    entries = soup(real_site, REFERENCES).select("div.csl-entry")
    assert [{"key": e["id"].removeprefix("ref-"), "text": squash(e.p.get_text(""))} for e in entries] == (
        GOLDEN_BIBLIOGRAPHY)


def test_every_note_and_entry_of_an_online_source_gives_the_access_date_the_footnote_gives(real_site):
    """The footnotes' "(Accessed on November 14, 2023)", in Chicago's form."""
    accessed = {}
    for block in SEED.read_text(encoding="utf-8").split("\n\n"):
        for url, day in re.findall(r"<?(https?://\S+?)>? \(Accessed on ([A-Z][a-z]+ \d+, \d{4})\)", block):
            accessed[url] = day
    assert len(accessed) == 13
    notes = notes_of(real_site)
    for number, note in notes.items():
        for url, day in accessed.items():
            if url in note["text"]:
                assert f"accessed {day}, {url}" in note["text"], number
    for entry in GOLDEN_BIBLIOGRAPHY:
        [url] = [url for url in accessed if url in entry["text"]]
        assert f"Accessed {accessed[url]}. {url}" in entry["text"], entry["key"]


def test_repeats_are_short_forms_linking_to_the_full_note(real_site):
    notes = notes_of(real_site)
    assert notes["3"]["text"] == "Haqqani, “Pakistan’s Pyrrhic Victory,” 1."  # "See, n. 2, p. 1."
    assert ("Full note: n. 2", "#fn:2") in notes["3"]["links"]
    assert notes["12"]["text"] == "Gul, “Pakistan to Taliban-Ruled Afghanistan,” 2."  # "See, n. 5, p. 2."
    assert ("Full note: n. 5", "../historical-perspective/#fn:5") in notes["12"]["links"]  # across chapters
    assert notes["14"]["text"] == "Hussain, “As Pakistan Deports Refugees.”"
    assert ("Full note: n. 11", "#fn:11") in notes["14"]["links"]


def test_note_8_cites_both_sources_in_one_note(real_site):
    note = notes_of(real_site)["8"]
    assert note["cites"] == ["ahmed2022dollar", "aamir2023deport"]
    assert note["text"].startswith("Khurshid Ahmed, “Dollar Smuggling")
    assert "; Adnan Aamir, “Pakistan Intends to Deport 1.7 Million Afghans,”" in note["text"]
    assert [link for link in note["links"] if link[0].startswith("Bibliography")] == [
        ("Bibliography: Ahmed", "../references/#ref-ahmed2022dollar"),
        ("Bibliography: Aamir", "../references/#ref-aamir2023deport"),
    ]


def test_note_links_are_named_by_their_visible_text(real_site):
    """An accessible name that starts with the visible text (WCAG 2.5.3, label in name)."""
    links = [a for url, _ in CHAPTERS for a in soup(real_site, url).select("a.note-link")]
    assert links
    for a in links:
        assert a["aria-label"].startswith(a.get_text() + " — "), a


def test_no_placeholder_is_left_in_any_page(real_site):
    """Notes, the bibliography and callouts' short forms replace private-use placeholders."""
    for path in [*real_site.site_dir.rglob("*.html"), real_site.site_dir / "search" / "search_index.json"]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"[\ue000-\ue019]|\\ue0[01]", text), path
    callout = soup(real_site, f"{PAPER}/historical-perspective/").select_one(".key-figure__source")
    assert callout is not None and "Gul" in callout.get_text()


def test_notes_are_clean_text_with_linked_urls(real_site):
    for url, _ in CHAPTERS:
        for li in soup(real_site, url).select("div.briefing-notes li"):
            html = str(li)
            assert "nocase" not in html and "\\" not in li.get_text() and "{" not in li.get_text()
            for a in li.select("p > a[href^='http']"):
                assert a.get_text() == a["href"]


def test_references_page_lists_every_entry_sorted_with_anchors_and_citing_notes(real_site):
    page = soup(real_site, REFERENCES)
    entries = page.select("div.csl-entry")
    assert len(entries) == 13
    ids = [entry["id"] for entry in entries]
    assert len(set(ids)) == 13 and all(i.startswith("ref-") for i in ids)
    sort_keys = [squash(entry.p.get_text()).lstrip("“").lower() for entry in entries]
    assert sort_keys == sorted(sort_keys)
    haqqani = page.select_one("#ref-haqqani2021pyrrhic")
    assert haqqani.p.get_text().startswith("Haqqani, Husain. “Pakistan’s Pyrrhic Victory in Afghanistan.”")
    assert [(a.get_text(), a["href"]) for a in haqqani.select(".csl-entry__cited a")] == [
        ("2", "../historical-perspective/#fn:2"),
        ("3", "../historical-perspective/#fn:3"),
    ]
    for entry in entries:
        assert entry.select(".csl-entry__cited a"), entry["id"]


# ----------------------------------------------------------------------------- search, privacy


def test_search_index_holds_every_chapter(real_site):
    index = json.loads((real_site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = {doc["title"] for doc in index["docs"] if "#" not in doc["location"]}
    for _, title in CHAPTERS:
        assert f"Afghanistan and Pakistan › {title}" in titles  # named with the note's short title
    text = " ".join(doc["text"] for doc in index["docs"])
    assert "Zabihullah Mujahid" in text and "Hamid Gul" in text


LOADING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src", "video": "src",
           "embed": "src", "object": "data", "track": "src"}


def third_party_loads(html: str) -> list[str]:
    page = BeautifulSoup(html, "html.parser")
    found = []
    for tag, attribute in LOADING.items():
        for element in page.find_all(tag):
            found.append(element.get(attribute) or "")
    for link in page.find_all("link"):
        rel = " ".join(link.get("rel") or [])
        if rel not in ("canonical", "alternate", "author", "license", "next", "prev", "sitemap"):
            found.append(link.get("href") or "")
    for style in page.find_all("style"):
        found += re.findall(r"url\(\s*['\"]?([^'\")]+)", style.get_text())
    return [url for url in found if urlsplit(url).scheme in ("http", "https") or url.startswith("//")]


def test_third_party_detector_catches_loads():
    html = '<link rel="stylesheet" href="https://fonts.googleapis.com/x"><script src="//cdn.x/y.js"></script>'
    assert third_party_loads(html) == ["//cdn.x/y.js", "https://fonts.googleapis.com/x"]


def test_no_page_loads_anything_from_another_host(real_site):
    pages = sorted(real_site.site_dir.rglob("*.html"))
    assert len(pages) >= 6
    for path in pages:
        assert third_party_loads(path.read_text(encoding="utf-8")) == [], path
    for css in real_site.site_dir.rglob("*.css"):
        assert not re.search(r"(@import|url\()\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css


def test_build_is_strict_and_configured_for_link_validation():
    config = real_config()
    assert config["validation"]["anchors"] == "warn"
    assert config["validation"]["unrecognized_links"] == "warn"
    assert config["theme"]["font"] is False
    for path in [*Path(ROOT / "briefing").rglob("*.py"), *Path(ROOT / "briefing").rglob("*.html"),
                 *Path(ROOT / "briefing").rglob("*.css"), *Path(ROOT / "briefing").rglob("*.js"), ROOT / "Makefile"]:
        text = path.read_text(encoding="utf-8")
        for specific in ("Afghan", "Pakistan", "haqqani", "Mahmood", "BBC"):
            assert specific not in text, f"{path} names {specific}: the generator must serve any note"


# ----------------------------------------------------------------------------- cite this note


def test_cite_this_forms_punctuate_a_title_ending_in_a_question_mark_as_the_notes_do(real_site):
    """No comma (note) or period (bibliography) after "…Foes?", as the notes and the
    bibliography print "…Afghan Refugees?” The News Arab"; the print colophon uses the same form."""
    home = soup(real_site, HOME)
    note = squash(home.select_one('[data-style="chicago-note"]').get_text())
    entry = squash(home.select_one('[data-style="chicago-bibliography"]').get_text())
    title = "Afghanistan and Pakistan: Friends or Foes?"
    assert note.startswith(f"Muhammad Tahir Mahmood, {title} Research Note Series, no. 2 (")
    assert entry.startswith(f"Mahmood, Muhammad Tahir. {title} Research Note Series, no. 2.")
    assert "Refugees?” The News Arab," in notes_of(real_site)["13"]["text"]
    entry_13 = soup(real_site, REFERENCES).select_one("#ref-siddique2023behind")
    assert "Refugees?” The News Arab," in entry_13.get_text()
    edition = real_site.site_dir / PAPER / "print" / "index.html"
    colophon = BeautifulSoup(edition.read_text(encoding="utf-8"), "html.parser")
    assert squash(colophon.select_one("#colophon p").get_text()) == "Cite as: " + entry


def test_the_mkdocs_command_builds_the_real_site_as_make_does(tmp_path):
    """`.venv/bin/mkdocs build --strict` in a process of its own (no test's sys.path): every
    import a hook makes late, in an event, must resolve there too (pytest puts hooks/ on the
    path, MkDocs only while it loads a hook file)."""
    import os
    import subprocess
    import sys

    # Neither the test's sys.path nor make's environment: Material's end-of-life banner is
    # silenced by the virtual environment (the Makefile's .pth), as for `.venv/bin/mkdocs`.
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "NO_MKDOCS_2_WARNING")}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
         "-d", str(tmp_path / "site")],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert "end of life" not in done.stderr, done.stderr[:2000]
    assert list((tmp_path / "site" / PAPER).glob("*.pdf")), "the PDF edition is built by default"


def test_every_page_of_the_real_site_has_its_whole_description(real_site):
    from sitebuild import ROOT

    paths = sorted((ROOT / "docs" / PAPER).glob("*.md"))
    assert len(paths) == 5
    for path in paths:
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        page = HOME if path.stem == "index" else f"{PAPER}/{path.stem}"
        root = lxml.html.document_fromstring(real_site.html(page))
        assert root.xpath("//meta[@name='description']/@content") == [front["description"]], path.name


def test_glossary_is_found_when_building_from_another_folder(tmp_path, monkeypatch):
    from briefing.common.paths import absolute_paths

    from sitebuild import ROOT, build

    assert absolute_paths(["includes", "/abs"], ROOT) == [str(ROOT / "includes"), "/abs"]
    monkeypatch.chdir(tmp_path)
    result = build(ROOT / "mkdocs.yml", tmp_path / "site")
    assert result.ok, result.text()
    assert '<abbr title="Tehrik-e-Taliban Pakistan">TTP</abbr>' in result.html(f"{PAPER}/historical-perspective")


class _EnvTags(yaml.SafeLoader):
    """Reads mkdocs.yml keeping each `!ENV [NAME, fallback]` as ("!ENV", [NAME, fallback])."""


_EnvTags.add_constructor("!ENV", lambda loader, node: ("!ENV", loader.construct_sequence(node)))


def test_mkdocs_yml_takes_the_address_and_the_deploy_switch_from_the_environment():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_EnvTags)  # noqa: S506
    tag, (name, fallback) = config["site_url"]
    assert (tag, name) == ("!ENV", "SITE_URL") and fallback.startswith("https://")
    (briefing,) = [item["briefing"] for item in config["plugins"] if isinstance(item, dict) and "briefing" in item]
    assert briefing["publication"]["deploy"] == ("!ENV", ["BRIEFING_DEPLOY", False])
