"""The series' own record: ``plugins: - briefing: series:`` in mkdocs.yml. A site with it is a
series: every folder of ``docs/`` holding Markdown is a note (``briefing.series.record``), the
navigation is made from the notes' records, and the site gets its home page, a page per
author, an Atom feed of the notes and redirects for moved addresses. Leave it out for a site
of plain pages (MkDocs' own ``nav:``; no records, no print edition)."""

from __future__ import annotations

import re

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

ISSN_RE = re.compile(r"^(\d{4})-(\d{3})([\dX])$")


def issn_check_digit(first_seven: str) -> str:
    """ISO 3297: weights 8..2, modulo 11; 10 is written X."""
    remainder = sum(int(digit) * weight for digit, weight in zip(first_seven, range(8, 1, -1), strict=True)) % 11
    check = (11 - remainder) % 11
    return "X" if check == 10 else str(check)


class Issn(c.Type):
    """An ISSN, ``NNNN-NNNC``, its check digit right."""

    def __init__(self):
        super().__init__(str)

    def run_validation(self, value):
        value = super().run_validation(value).strip().upper()
        match = ISSN_RE.match(value)
        if not match:
            raise ValidationError(f"Expected an ISSN such as 2049-3630 but received: {value!r}")
        if issn_check_digit(match.group(1) + match.group(2)) != match.group(3):
            raise ValidationError(f"{value!r} is not an ISSN: its check digit is wrong")
        return value


class Moved(c.Type):
    """Old site path -> new site path, both relative to the site's root: a page's address
    (``chapter/``) or a file's (``note.pdf``)."""

    def __init__(self):
        super().__init__(dict, default={})

    def run_validation(self, value):
        value = super().run_validation(value)
        for old, new in value.items():
            for path in (old, new):
                if not isinstance(path, str) or not path.strip() or path.startswith(("/", "#")) or "://" in path \
                        or ".." in path.split("/") or "?" in path or "#" in path:
                    raise ValidationError(f"moved: {old!r}: {new!r}: give site paths relative to the site's root "
                                          "(chapter/ or note.pdf), without a scheme, query or fragment")
            if (old.endswith("/") or old.endswith(".html")) != (new.endswith("/") or new.endswith(".html")):
                raise ValidationError(f"moved: {old!r}: {new!r}: a page moves to a page (both end in /), a file to "
                                      "a file")
        return value


class SeriesConfig(Config):
    """``plugins: - briefing: series:`` in mkdocs.yml."""

    # The series' name, as its notes print it ("Research Note Series"); site_name must repeat it.
    name = c.Type(str)
    # The body that publishes the series: the publisher of every note's citation, the feed's author.
    publisher = c.Type(str)
    # The place of publication, as a Chicago citation gives it ("Buckingham").
    place = c.Type(str)
    # The publisher's postal address, on the series' home page (one line; commas between parts).
    address = c.Type(str)
    # The series' ISSN, if it has one (NNNN-NNNC, check digit checked): home page, feed, meta
    # tags, each note's .bib/.ris.
    issn = c.Optional(Issn())
    # The series home's text under its title (Markdown), when docs/index.md is left out and the
    # build makes the home page; none by default.
    intro = c.Optional(c.Type(str))
    # Addresses that moved and keep working (old site path: new site path, both from the site's
    # root): a page gets a small redirect page at its old address (listed in no nav or
    # sitemap), a file a copy.
    moved = Moved()
