"""The number a figure's words give, for a chart's axis: ``"In the region of six million"`` is
about 6,000,000; ``"at least 600,000"`` is 600,000 or more. Pure; the chart shows the text's
words, and marks what this parser reads as an approximation or a bound.

A figure's value is one quantity, possibly qualified: a qualifier ("about", "nearly", "at
least"...), then digits (``3.5``, ``800,000``) or number words (``six``, ``two``), then a scale
word (``million``) or a percent sign. Anything else is not a quantity (``Quantity`` is None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What the words before the number say of it: "about" (an approximation either side),
# "nearly" (just under), "at least" (a lower bound), "at most" (an upper bound).
QUALIFIERS = {
    "in the region of": "about", "approximately": "about", "about": "about", "around": "about",
    "circa": "about", "roughly": "about", "some": "about", "an estimated": "about", "almost": "nearly",
    "nearly": "nearly", "just under": "nearly", "at least": "at least", "more than": "at least",
    "over": "at least", "at most": "at most", "up to": "at most", "fewer than": "at most", "less than": "at most",
}
EXACT = "exact"
WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "a hundred": 100, "a": 1,  # "a" only before a scale: "a million"
}
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
PERCENT = "percent"
COUNT = "count"

_QUALIFIER = "|".join(sorted(map(re.escape, QUALIFIERS), key=len, reverse=True))
_WORD = "|".join(sorted(map(re.escape, WORDS), key=len, reverse=True))
_VALUE_RE = re.compile(
    rf"^(?:(?P<qualifier>{_QUALIFIER})\s+)?"
    rf"(?:(?P<digits>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)|(?P<word>{_WORD}))"
    rf"(?:\s*(?P<percent>%|per\s?cent)|\s+(?P<scale>{'|'.join(SCALES)}))?$",
    re.I,
)


@dataclass(frozen=True)
class Quantity:
    number: float  # the value on the axis: 6000000 for "six million", 60 for "60%"
    unit: str  # COUNT or PERCENT
    qualifier: str  # EXACT, "about", "nearly", "at least" or "at most"

    @property
    def approximate(self) -> bool:
        return self.qualifier != EXACT

    @property
    def integer(self) -> int | float:
        """The number as an int where it is whole (6000000, not 6000000.0)."""
        return int(self.number) if float(self.number).is_integer() else self.number


def parse(value: str) -> Quantity | None:
    """The quantity of a figure's value as the text words it, or None if it is not one:
    ``six million`` -> 6000000; ``3.5 million`` -> 3500000; ``nearly 800,000`` -> 800000
    (nearly); ``at least 600,000`` -> 600000 (at least); ``60%`` -> 60 (percent)."""
    match = _VALUE_RE.match(" ".join(value.split()))
    if match is None:
        return None
    if match.group("digits"):
        number = float(match.group("digits").replace(",", ""))
    else:
        word = match.group("word").lower()
        if word == "a" and not match.group("scale"):
            return None  # "a" alone is not a number
        number = float(WORDS[word])
    if match.group("scale"):
        number *= SCALES[match.group("scale").lower()]
    qualifier = QUALIFIERS[match.group("qualifier").lower()] if match.group("qualifier") else EXACT
    return Quantity(number, PERCENT if match.group("percent") else COUNT, qualifier)


def formatted(quantity: Quantity) -> str:
    """The number as a reader checks it against the words: ``6,000,000``; ``60%``."""
    number = quantity.integer
    text = f"{number:,}" if isinstance(number, int) else f"{number:,g}"
    return text + ("%" if quantity.unit == PERCENT else "")
