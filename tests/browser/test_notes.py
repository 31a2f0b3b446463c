"""Notes where the reader is (docs/assets/javascripts/notes.js; its styles in reader.css).

At 1440 px (and at 1220 px, the narrowest width with both sidebars) every note stands in the
column beside the text, level with its marker's line or just below the previous note, never
overlapping another, the text, the footer or the edge of the screen; the table of contents
moves to the left sidebar. On a 375 px phone tapping a marker opens its note in place, under
the marker's line, without scrolling the page away; tapping again, Escape or Close shuts it.
Keyboard only: a marker opens its note and moves the focus into it, Escape brings the focus
back, nothing traps it. Without JavaScript the markers lead to the notes at the end of the
page. The copies keep every link of the note, the page never shifts (CLS 0), and instant
navigation sets each page up without adding listeners."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browsing import PAGES, PHONE, WIDE, note_beside, note_marker, open_chapter, page_with_script, wait_for_site
from sitebuild import ROOT

# The column's geometry, in CSS px of the page (scroll offset added), with each note's marker.
COLUMN = """() => {
  const article = document.querySelector("article.md-content__inner");
  const box = article.getBoundingClientRect();
  const textRight = box.right - parseFloat(getComputedStyle(article).paddingRight);
  const footer = document.querySelector(".md-footer").getBoundingClientRect().top + scrollY;
  return {
    width: document.documentElement.clientWidth, textRight, footer,
    markers: document.querySelectorAll("article a.footnote-ref").length,
    notes: [...document.querySelectorAll("article .note-aside")].map((aside) => {
      const marker = document.querySelector(`[aria-controls="${aside.id}"]`);
      const note = aside.getBoundingClientRect();
      const line = marker.getBoundingClientRect();
      return { id: aside.id, top: note.top + scrollY, bottom: note.bottom + scrollY, left: note.left,
               right: note.right, line: line.top + scrollY, shown: aside.checkVisibility() };
    }),
  };
}"""

ALIGNED = 8  # px: a note's top and its marker's line
PUSHED = 12  # px: at most this far below the previous note when pushed down (notes.js: 8)


def column_problems(column: dict) -> list[str]:
    """What is wrong with the notes' column, one line per problem (none when all is well)."""
    problems = []
    if len(column["notes"]) != column["markers"]:
        problems.append(f"{column['markers']} markers but {len(column['notes'])} notes beside the text")
    previous = None
    for note in column["notes"]:
        name = note["id"]
        aligned = abs(note["top"] - note["line"]) <= ALIGNED
        pushed = previous is not None and note["top"] > note["line"] and 0 <= note["top"] - previous["bottom"] <= PUSHED
        if not note["shown"]:
            problems.append(f"{name} is hidden")
        if not (aligned or pushed):
            problems.append(f"{name}: top {note['top']:.0f}, its marker's line {note['line']:.0f}")
        if previous is not None and note["top"] < previous["bottom"]:
            problems.append(f"{name} overlaps {previous['id']}")
        if note["left"] < column["textRight"] or note["right"] > column["width"] or note["top"] < 0:
            problems.append(f"{name} is off the column: {note['left']:.0f}-{note['right']:.0f} of {column['width']}")
        if note["bottom"] > column["footer"]:
            problems.append(f"{name} runs into the footer ({note['bottom']:.0f} > {column['footer']:.0f})")
        previous = note
    return problems


def end_note_links(page, number: str) -> list[list[str]]:
    """The links of note `number` in the list at the end of the page, without its way back."""
    return page.locator(f'li[id="fn:{number}"] a:not(.footnote-backref)').evaluate_all(
        "links => links.map(a => [a.href, a.textContent.trim(), a.getAttribute('aria-label') || ''])"
    )


def reach_with_tab(page, marker) -> None:
    """Focus the link before the marker, then press Tab: the marker has the focus."""
    marker.evaluate(
        "marker => { const all = [...document.querySelectorAll('a[href], input, button, [tabindex]')]"
        ".filter(e => e.tabIndex >= 0 && e.checkVisibility());"
        " all[all.indexOf(marker) - 1].focus(); }"
    )
    page.keyboard.press("Tab")
    expect(marker).to_be_focused()


@pytest.fixture
def wide(new_context):
    """A page in a 1440 px wide desktop window: notes beside the text."""
    return new_context(viewport=WIDE).new_page()


# ----------------------------------------------------------------------------- wide screens
@pytest.mark.parametrize("width", [WIDE["width"], 1220])
def test_every_note_stands_beside_its_marker(new_context, width):
    page = new_context(viewport={"width": width, "height": WIDE["height"]}).new_page()
    problems = {}
    for name, address in PAGES.items():
        open_chapter(page, address)
        column = page.evaluate(COLUMN)
        if column["markers"]:
            problems[name] = column_problems(column)
    assert set(problems) == {"home", "historical-perspective", "afghan-migration", "security-challenge"}
    assert not any(problems.values()), problems


def test_a_crowded_paragraph_pushes_its_notes_down_and_the_page_grows_to_hold_them(fixture_site, new_context, serve):
    """Six notes in one short sentence stand one under the other, and the article grows so
    the last of them ends above the footer."""
    keys = ["haqqani2021pyrrhic", "dawn2020doha", "gul2023bilateral", "ahmed2022dollar", "sky2023thousands",
            "noornasar2023reap"]
    sentence = " ".join(f"Claim {n}.[@{key}]" for n, key in enumerate(keys, 1))
    bib = (ROOT / "bib" / "references.bib").read_text(encoding="utf-8")  # the real note's sources
    result = fixture_site({"index.md": f"# Crowded\n\n{sentence}\n"}, bib=bib)
    assert result.ok, result.text()
    page = new_context(viewport=WIDE).new_page()
    with serve(result.site_dir) as url:
        page.goto(url)
        wait_for_site(page)
        column = page.evaluate(COLUMN)
    assert len(column["notes"]) == 6
    assert column_problems(column) == []
    assert sum(abs(note["top"] - note["line"]) > ALIGNED for note in column["notes"]) >= 4  # pushed down


def test_table_of_contents_moves_to_the_left_sidebar(wide):
    open_chapter(wide, PAGES["home"])
    contents = wide.locator(".md-sidebar--primary nav[aria-label='Table of contents']")
    expect(contents).to_be_visible()
    expect(contents).to_be_in_viewport()
    expect(wide.locator(".md-sidebar--secondary")).to_be_hidden()
    # The author note stands beside the byline, where the table of contents stood before.
    author = note_beside(wide, wide.locator("article .note-byline a.footnote-ref"))
    expect(author).to_be_in_viewport()
    expect(author).to_contain_text("Research Fellow")
    contents.get_by_role("link", name="At a glance").click()
    expect(wide.locator("h2#at-a-glance")).to_be_in_viewport()
    expect(contents).to_be_in_viewport()  # the sidebar stays put as the page scrolls


def test_wide_marker_moves_the_focus_into_its_note_and_escape_back(wide):
    open_chapter(wide, PAGES["security-challenge"])
    marker = note_marker(wide, 2)
    note = note_beside(wide, marker)
    expect(marker).to_have_attribute("aria-expanded", "true")  # always shown here
    reach_with_tab(wide, marker)
    scrolled = wide.evaluate("scrollY")
    wide.keyboard.press("Enter")
    expect(note).to_be_focused()
    assert wide.url.endswith("/security-challenge/"), "the marker must not jump to the end of the page"
    assert abs(wide.evaluate("scrollY") - scrolled) < 200
    wide.keyboard.press("Tab")
    expect(note.locator("a").first).to_be_focused()
    wide.keyboard.press("Escape")
    expect(marker).to_be_focused()
    expect(note).to_be_visible()


def test_resizing_the_window_switches_between_beside_and_in_place(wide):
    open_chapter(wide, PAGES["security-challenge"])
    markers = wide.locator("article a.footnote-ref")
    every = "value => [...document.querySelectorAll('article a.footnote-ref')].every(a => a.ariaExpanded === value)"
    wide.set_viewport_size({"width": 1024, "height": 768})
    wide.wait_for_function(every, arg="false")
    expect(note_beside(wide, markers.first)).to_be_hidden()
    assert wide.locator("article").evaluate("a => a.style.minHeight") == ""  # no room kept for the column
    markers.first.click()
    expect(note_beside(wide, markers.first)).to_be_visible()
    wide.set_viewport_size(WIDE)
    wide.wait_for_function(every, arg="true")
    wide.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert column_problems(wide.evaluate(COLUMN)) == []


# ----------------------------------------------------------------------------- phones
def test_phone_tap_opens_the_note_under_its_line_and_closes_it(phone):
    open_chapter(phone, PAGES["security-challenge"])
    marker = note_marker(phone, 0)
    note = note_beside(phone, marker)
    expect(note).to_be_hidden()
    expect(marker).to_have_attribute("aria-expanded", "false")
    marker.evaluate("m => { m.scrollIntoView({block: 'center'}); }")
    before = phone.evaluate("scrollY")
    marker.tap()
    expect(note).to_be_visible()
    expect(note).to_be_focused()
    expect(marker).to_have_attribute("aria-expanded", "true")
    assert phone.url.endswith("/security-challenge/"), "tapping must not jump to the end of the page"
    # In place: right under the marker's line, and both still on screen.
    line, box = marker.bounding_box(), note.bounding_box()
    assert 0 <= box["y"] - (line["y"] + line["height"]) <= 24, (line, box)
    expect(marker).to_be_in_viewport()
    expect(note).to_be_in_viewport()
    assert abs(phone.evaluate("scrollY") - before) < PHONE["height"] / 2
    expect(note).to_contain_text("Arab News")
    # Tap again: closed. Escape and Close close it too, each time giving the marker the focus.
    marker.tap()
    expect(note).to_be_hidden()
    expect(marker).to_have_attribute("aria-expanded", "false")
    marker.tap()
    expect(note).to_be_visible()
    phone.keyboard.press("Escape")
    expect(note).to_be_hidden()
    expect(marker).to_be_focused()
    marker.tap()
    note.get_by_role("button", name=re.compile("^Close")).tap()
    expect(note).to_be_hidden()
    expect(marker).to_be_focused()
    # Another marker's note replaces the open one.
    marker.tap()
    note_marker(phone, 1).tap()
    expect(note).to_be_hidden()
    expect(note_beside(phone, note_marker(phone, 1))).to_be_visible()


def test_phone_first_view_copies_no_note_until_its_marker_is_tapped(phone):
    """Issue 14: a phone's first view makes no copy of a note. Each marker names its copy's id,
    collapsed; a tap makes that copy right after its own marker, and a note the chart repeats
    (notes 6 and 7) gets a copy of its own for each of its markers."""
    open_chapter(phone, PAGES["afghan-migration"])
    markers = phone.locator("article a.footnote-ref")
    named = markers.evaluate_all("all => all.map(m => [m.getAttribute('aria-controls'), m.ariaExpanded])")
    ids = [name for name, _ in named]
    assert len(ids) >= 4 and all(expanded == "false" for _, expanded in named), named
    assert len(set(ids)) == len(ids) and "aside-fn:6-2" in ids and "aside-fn:7-2" in ids, ids
    assert phone.locator(".note-aside").count() == 0
    for index, name in enumerate(ids):
        marker = markers.nth(index)
        marker.evaluate("m => m.scrollIntoView({block: 'center'})")
        marker.tap()
        note = phone.locator(f'[id="{name}"]')
        expect(note).to_be_visible()
        expect(note).to_be_focused()
        assert note.evaluate("(n, m) => n.previousElementSibling === (m.closest('sup') || m)", marker.element_handle())
        assert phone.locator(".note-aside").count() == index + 1
        marker.tap()
        expect(note).to_be_hidden()
    assert phone.locator(".note-aside").count() == len(ids)


def test_phone_turned_wide_puts_every_note_beside_the_text(phone):
    """The copies a phone did not make are made when the screen becomes wide enough."""
    open_chapter(phone, PAGES["security-challenge"])
    assert phone.locator(".note-aside").count() == 0
    phone.set_viewport_size(WIDE)
    phone.wait_for_function(
        "() => [...document.querySelectorAll('article a.footnote-ref')].every(a => a.ariaExpanded === 'true')")
    phone.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    column = phone.evaluate(COLUMN)
    assert column["markers"] >= 8 and column_problems(column) == [], column_problems(column)


def test_phone_note_opened_at_the_bottom_of_the_screen_scrolls_into_view_with_its_marker(phone):
    """A marker on the screen's last line: the page scrolls just enough to show its note,
    and the note stays inside its paragraph (note 13 ends one)."""
    open_chapter(phone, PAGES["security-challenge"])
    marker = phone.locator('article a.footnote-ref[aria-controls="aside-fn:13"]')
    marker.evaluate("m => m.scrollIntoView({block: 'end'})")
    marker.tap()
    note = note_beside(phone, marker)
    expect(note).to_be_focused()
    expect(marker).to_be_in_viewport()
    expect(note).to_be_in_viewport(ratio=0.3)
    paragraph = marker.locator("xpath=ancestor::p[1]").bounding_box()
    box = note.bounding_box()
    assert box["y"] + box["height"] <= paragraph["y"] + paragraph["height"] + 1, (box, paragraph)


def test_phone_author_note_opens_beside_the_byline(phone):
    open_chapter(phone, PAGES["home"])
    marker = phone.locator("article .note-byline a.footnote-ref")
    marker.tap()
    note = note_beside(phone, marker)
    expect(note).to_be_visible()
    expect(note).to_contain_text("Research Fellow at the Centre for Security and Intelligence Studies")


def test_keyboard_only_opens_moves_focus_in_and_back_and_never_traps_it(new_context):
    """A desktop window narrower than the two sidebars (notes open in place), keys only."""
    page = new_context(viewport={"width": 1024, "height": 768}).new_page()
    open_chapter(page, PAGES["historical-perspective"])
    marker = note_marker(page, 0)
    note = note_beside(page, marker)
    expect(marker).to_have_attribute("aria-controls", re.compile(r"^aside-fn:1$"))
    reach_with_tab(page, marker)
    page.keyboard.press("Enter")
    expect(note).to_be_visible()
    expect(note).to_be_focused()
    expect(marker).to_have_attribute("aria-expanded", "true")
    # Tab walks through the note's links and its Close button, then out into the text.
    inside = []
    for _ in range(10):
        page.keyboard.press("Tab")
        if not page.evaluate("() => !!document.activeElement.closest('.note-aside')"):
            break
        inside.append(page.evaluate("() => document.activeElement.textContent.trim()"))
    else:
        pytest.fail(f"the focus stayed in the note: {inside}")
    assert inside[-1] == "Close" and len(inside) >= 2, inside
    expect(note_marker(page, 1)).to_be_focused()  # the next thing in the text
    # Back into the note, Escape: closed, the marker has the focus.
    page.keyboard.press("Shift+Tab")
    expect(note.get_by_role("button")).to_be_focused()
    page.keyboard.press("Escape")
    expect(note).to_be_hidden()
    expect(marker).to_be_focused()
    expect(marker).to_have_attribute("aria-expanded", "false")
    # Enter opens, Shift+Tab goes back to the marker, Enter again closes.
    page.keyboard.press("Enter")
    expect(note).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(marker).to_be_focused()
    page.keyboard.press("Enter")
    expect(note).to_be_hidden()
    # The Close button, by keyboard.
    page.keyboard.press("Enter")
    note.get_by_role("button").focus()
    page.keyboard.press("Enter")
    expect(note).to_be_hidden()
    expect(marker).to_be_focused()
    # Escape with the focus past the note closes it and leaves the focus where it is.
    page.keyboard.press("Enter")
    note.get_by_role("button").focus()
    page.keyboard.press("Tab")
    expect(note_marker(page, 1)).to_be_focused()
    page.keyboard.press("Escape")
    expect(note).to_be_hidden()
    expect(note_marker(page, 1)).to_be_focused()


# ----------------------------------------------------------------------------- every width
@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "wide"])
def test_without_javascript_markers_lead_to_the_notes_at_the_end(new_context, viewport):
    page = new_context(viewport=viewport, java_script_enabled=False).new_page()
    page.goto(PAGES["security-challenge"])
    assert page.locator(".note-aside").count() == 0
    marker = note_marker(page, 0)
    number = marker.inner_text()
    marker.click()
    page.wait_for_url(f"**#fn:{number}")
    listed = page.locator(f'li[id="fn:{number}"]')
    expect(listed).to_be_in_viewport()
    expect(listed).to_contain_text("Arab News")
    listed.locator("a.footnote-backref").click()
    page.wait_for_url(f"**#fnref:{number}")
    expect(marker).to_be_in_viewport()


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "wide"])
def test_printed_page_has_the_notes_at_the_end_only(new_context, viewport):
    """On paper, the notes at the end of the page as before (numbered as on screen), and none
    of the copies, not even an open one, nor the column kept for them."""
    page = new_context(viewport=viewport).new_page()
    open_chapter(page, PAGES["security-challenge"])
    note_marker(page).click()  # a note open in place (phone) or focused beside the text (wide)
    page.emulate_media(media="print")
    notes = page.locator(".briefing-notes li")
    assert [notes.nth(index).get_attribute("value") for index in range(notes.count())] == [str(n) for n in range(8, 16)]
    for index in range(notes.count()):
        expect(notes.nth(index)).to_be_visible()
    copies = page.locator(".note-aside")  # a phone makes only the copy it opened
    assert copies.count() == (notes.count() if viewport is WIDE else 1)
    for index in range(copies.count()):
        expect(copies.nth(index)).to_be_hidden()
    padding, min_height = page.locator("article").evaluate(
        "a => [parseFloat(getComputedStyle(a).paddingRight), getComputedStyle(a).minHeight]")
    assert padding < 20 and min_height in ("0px", "auto"), (padding, min_height)


def test_notes_beside_the_text_keep_every_link(wide):
    """Short forms keep their "Full note" link, notes citing several sources each of their
    links, in the copy as in the list at the end of the page."""
    seen = set()
    for address in (PAGES["historical-perspective"], PAGES["afghan-migration"], PAGES["security-challenge"]):
        open_chapter(wide, address)
        markers = wide.locator("article sup.note-ref a.footnote-ref")
        for index in range(markers.count()):
            marker = markers.nth(index)
            number = marker.inner_text()
            copied = note_beside(wide, marker).locator("a").evaluate_all(
                "links => links.map(a => [a.href, a.textContent.trim(), a.getAttribute('aria-label') || ''])"
            )
            assert copied == end_note_links(wide, number), number
            seen.update(text.split(":")[0] for _, text, _ in copied if not text.startswith("http"))
            if number == "8":
                assert [text for _, text, _ in copied if text.startswith("Bibliography")] == [
                    "Bibliography: Ahmed", "Bibliography: Aamir"]
    assert {"Full note", "Bibliography"} <= seen


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "wide"])
def test_notes_shift_nothing_on_the_page(new_context, site_pages, viewport):
    """Cumulative layout shift 0 on every page: the column is kept by CSS before the notes
    come, and a closed note takes no room."""
    page = new_context(viewport=viewport).new_page()
    shifts = {}
    for address in site_pages:
        page.goto(address)
        wait_for_site(page)
        page.wait_for_load_state("networkidle")
        shifts[address or "home"] = page.evaluate(
            "() => new Promise(done => { let sum = 0; new PerformanceObserver(list => {"
            " for (const shift of list.getEntries()) if (!shift.hadRecentInput) sum += shift.value; })"
            ".observe({type: 'layout-shift', buffered: true}); setTimeout(() => done(sum), 300); })"
        )
    assert all(value == 0 for value in shifts.values()), shifts


# Counts the listeners notes.js holds on window, document and media queries, and what its
# ResizeObservers observe (from the script's own stack frames), as the pages come and go.
COUNT_LISTENERS = """(() => {
  const ours = () => /notes\\.js/.test(new Error().stack);
  const held = window.__notesListeners = new Map();
  const key = (target, type, listener, options) => {
    const capture = typeof options === "boolean" ? options : !!(options && options.capture);
    return [target, type, listener, capture];
  };
  const find = (k) => [...held.keys()].find((h) => h.every((part, i) => part === k[i]));
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (!(this instanceof Node && this !== document) && ours()) {
      const k = key(this, type, listener, options);
      if (!find(k)) held.set(k, 1);
    }
    return add.call(this, type, listener, options);
  };
  EventTarget.prototype.removeEventListener = function (type, listener, options) {
    const found = find(key(this, type, listener, options));
    if (found) held.delete(found);
    return remove.call(this, type, listener, options);
  };
  const observe = ResizeObserver.prototype.observe;
  const disconnect = ResizeObserver.prototype.disconnect;
  const observed = window.__notesObserved = new Map();
  ResizeObserver.prototype.observe = function (target, options) {
    if (ours()) observed.set(this, (observed.get(this) || 0) + 1);
    return observe.call(this, target, options);
  };
  ResizeObserver.prototype.disconnect = function () {
    observed.delete(this);
    return disconnect.call(this);
  };
})();"""


def test_instant_navigation_sets_up_every_page_and_adds_no_listener(new_context):
    page = page_with_script(new_context, COUNT_LISTENERS)
    open_chapter(page, PAGES["security-challenge"])
    held = "() => [window.__notesListeners.size, [...window.__notesObserved.values()].reduce((a, b) => a + b, 0)]"
    first = page.evaluate(held)
    assert first[0] >= 1 and first[1] == 1, first
    page.evaluate("() => { window.__sameDocument = true; }")  # gone if a link reloads the page
    sidebar = page.locator(".md-sidebar--primary")
    tour = [("Historical Perspective", PAGES["historical-perspective"]),
            ("Afghan Migration", PAGES["afghan-migration"]), ("About this note", PAGES["home"]),
            ("An Emerging Security Challenge", PAGES["security-challenge"])]
    for title, address in tour * 2:
        before = page.evaluate("() => document.querySelector('article')")
        sidebar.get_by_role("link", name=re.compile(f"^{title}")).first.click()
        page.wait_for_url(re.compile(f"/{address}$"))
        page.wait_for_function("old => document.querySelector('article') !== old", arg=before)
        page.wait_for_function(
            "() => [...document.querySelectorAll('article a.footnote-ref')].every(a => a.hasAttribute('aria-controls'))"
        )
        column = page.evaluate(COLUMN)
        assert column_problems(column) == [], (address, column_problems(column))
        assert page.evaluate(held) == first, address
    assert page.evaluate("() => window.__sameDocument === true"), "the links reloaded the page: no instant navigation"
    # One listener per event: a click on a marker still opens its note exactly once.
    page.set_viewport_size({"width": 1024, "height": 768})
    marker = note_marker(page, 0)
    marker.click()
    expect(note_beside(page, marker)).to_be_visible()
