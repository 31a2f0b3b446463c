"""Our copy of Material's search partial differs from the installed theme's only by the search
dialog's accessible name, so a Material upgrade that changes the partial fails here first."""

from __future__ import annotations

from pathlib import Path

import material

ROOT = Path(__file__).resolve().parents[2]
THEIRS = Path(material.__file__).parent / "templates" / "partials" / "search.html"
OURS = ROOT / "briefing" / "theme" / "partials" / "search.html"


def body(text: str) -> str:
    """The template without its leading {#- ... -#} comment."""
    return text.split("-#}", 1)[1] if text.lstrip().startswith("{#-") else text


def test_search_partial_is_materials_plus_a_dialog_name():
    theirs = body(THEIRS.read_text(encoding="utf-8"))
    ours = body(OURS.read_text(encoding="utf-8"))
    named = theirs.replace('role="dialog">', """role="dialog" aria-label="{{ lang.t('search') }}">""", 1)
    assert named != theirs, "Material's search partial no longer has role=dialog: revisit the override"
    assert ours == named
