"""Dates as authors write them in the generator's data files: ISO 8601, as precise as known.

One pattern and one check for every concern that reads such a date (a key figure's ``as_of``,
a timeline event's ``start``/``end``, a .bib entry's ``date``/``urldate``).
"""

from __future__ import annotations

import datetime
import re

__all__ = ["ISO_DATE_RE", "valid_iso_date"]

# YYYY, YYYY-MM or YYYY-MM-DD; the groups year, month and day (month and day may be None).
ISO_DATE_RE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")


def valid_iso_date(value: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a real date (no month 13, no 30 February)."""
    match = ISO_DATE_RE.match(value)
    if not match:
        return False
    year, month, day = (int(part) if part else 1 for part in match.group("year", "month", "day"))
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True
