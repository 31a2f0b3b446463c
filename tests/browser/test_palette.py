"""The dark-mode toggle switches the scheme, and the choice holds on other pages."""

from __future__ import annotations

from playwright.sync_api import expect

from browsing import PAGES, wait_for_site


def test_dark_mode_toggle_persists_across_pages(new_context):
    page = new_context(color_scheme="light").new_page()
    page.goto(PAGES["home"])
    wait_for_site(page)
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.get_by_title("Switch to dark mode").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    # Another page, reached by a link (instant navigation) and loaded afresh.
    page.locator(".md-nav--primary").get_by_role("link", name="Historical Perspective").click()
    page.wait_for_url("**/historical-perspective/")
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.goto(PAGES["conclusion"])
    wait_for_site(page)
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)"
    # And back.
    page.get_by_title("Switch to light mode").click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.goto(PAGES["references"])
    wait_for_site(page)
    expect(body).to_have_attribute("data-md-color-scheme", "default")


SWITCHING_RULES = """() => {
  const found = [];
  const walk = (rules) => {
    for (const rule of rules) {
      if (rule.selectorText && rule.selectorText.includes("switching")) found.push(rule.selectorText);
      if (rule.cssRules) walk(rule.cssRules);
    }
  };
  for (const sheet of document.styleSheets) walk(sheet.cssRules);
  return found;
}"""

SWITCH = """async () => {
  const header = document.querySelector(".md-header");
  const seen = () => [document.body.hasAttribute("data-briefing-switching"),
                      getComputedStyle(header).transitionDuration];
  const before = seen();
  document.querySelector("label[title='Switch to dark mode']").click();
  const during = seen();
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50))));
  return {before, during, after: seen(), scheme: document.body.dataset.mdColorScheme};
}"""


def test_a_page_load_restyles_nothing_for_the_palette_and_a_switch_still_changes_colours_at_once(new_context):
    """Material sets and removes data-md-color-switching on <body> as every page loads: its rule
    on it (a whole restyle each time) is left out; ours is keyed on an attribute set only while
    a reader switches (material-load.js), and stops the header's colour transition then."""
    page = new_context(color_scheme="light").new_page()
    page.goto(PAGES["home"])
    wait_for_site(page)
    assert page.evaluate(SWITCHING_RULES) == [
        "[data-briefing-switching] *, [data-briefing-switching] ::before, [data-briefing-switching] ::after"]
    state = page.evaluate(SWITCH)
    assert state["scheme"] == "slate"
    attribute, durations = state["before"]
    assert not attribute and any(d != "0s" for d in durations.split(", ")), durations  # Material's transitions
    attribute, durations = state["during"]
    assert attribute and set(durations.split(", ")) == {"0s"}, durations
    assert state["after"] == state["before"]


ROOT_SCHEME = """() => [getComputedStyle(document.documentElement).colorScheme,
  document.querySelectorAll('meta[name="color-scheme"]').length, document.body.dataset.mdColorScheme]"""


def test_the_page_s_colour_scheme_follows_the_palette_without_material_s_meta(new_context):
    """Material adds <meta name="color-scheme"> as its bundle starts and fills it in: each a
    whole restyle. The page holds no such meta (material-load.js) and its root takes the
    palette's scheme from briefing.css: light, dark after a switch, dark on a page loaded
    afresh in dark, dark for a reader whose system is dark, and the page's own canvas with it."""
    page = new_context(color_scheme="light").new_page()
    page.goto(PAGES["home"])
    wait_for_site(page)
    assert page.evaluate(ROOT_SCHEME) == ["light", 0, "default"]
    page.get_by_title("Switch to dark mode").click()
    page.wait_for_function("() => getComputedStyle(document.documentElement).colorScheme === 'dark'")
    assert page.evaluate(ROOT_SCHEME) == ["dark", 0, "slate"]
    page.goto(PAGES["conclusion"])
    wait_for_site(page)
    assert page.evaluate(ROOT_SCHEME) == ["dark", 0, "slate"]
    dark = new_context(color_scheme="dark").new_page()
    dark.goto(PAGES["security-challenge"])
    wait_for_site(dark)
    dark.wait_for_function("() => getComputedStyle(document.documentElement).colorScheme === 'dark'")
    assert dark.evaluate(ROOT_SCHEME) == ["dark", 0, "slate"]
