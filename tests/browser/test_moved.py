"""The pages at moved addresses (briefing/series/moved.py): Paper #2's old addresses send the reader
on to the new ones, keeping the #fragment (a note, a heading) and the ?query of the old link
(assets/javascripts/moved.js, under the pages' Content-Security-Policy); without JavaScript the
meta refresh and the visible link still do."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browsing import PAPER, wait_for_site


@pytest.mark.parametrize("old, fragment", [
    ("security-challenge/", "fn:15"),  # a note at the foot of a chapter
    ("print/", "references"),  # a section of the print edition
])
def test_an_old_link_lands_on_its_fragment(page, old, fragment):
    page.goto(f"{old}#{fragment}")
    expect(page).to_have_url(re.compile(rf"/{PAPER}/{re.escape(old)}#{re.escape(fragment)}$"))
    wait_for_site(page)
    expect(page.locator(f'[id="{fragment}"]')).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0  # the browser went down to it


def test_an_old_link_keeps_its_query(page):
    page.goto("historical-perspective/?h=taliban#fn:2")
    expect(page).to_have_url(re.compile(rf"/{PAPER}/historical-perspective/\?h=taliban#fn:2$"))


def test_an_old_address_without_fragment_lands_on_the_new_page(page):
    page.goto("conclusion/")
    expect(page).to_have_url(re.compile(rf"/{PAPER}/conclusion/$"))
    wait_for_site(page)
    expect(page.locator("article h1")).to_have_text(re.compile("Conclusion"))


def test_without_javascript_the_refresh_and_the_link_send_the_reader_on(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("conclusion/#fn:3")
    expect(page).to_have_url(re.compile(rf"/{PAPER}/conclusion/$"))  # a meta refresh drops the fragment
    expect(page.locator("article h1")).to_have_text(re.compile("Conclusion"))
