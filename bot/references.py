"""Ticket references: human-quotable, never reused, with a check character.

``SR-2026-004217-K``: prefix, year, a number from a database counter, and a check letter computed
over the year and number. The check is a weighted sum modulo 23 (a prime larger than any digit
difference, with distinct weights), so every single mistyped digit and every swap of two adjacent
digits is caught: a mistyped reference never attaches a message to the wrong ticket.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# 23 letters: I and O are left out (read as 1 and 0); Z as well, to make the count prime.
_CHECK_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXY"


@dataclass(frozen=True, slots=True)
class ReferenceFormat:
    prefix: str = "SR"
    digits: int = 6
    include_year: bool = True

    def format(self, year: int, number: int) -> str:
        body = (
            f"{year:04d}{number:0{self.digits}d}"
            if self.include_year
            else f"{number:0{self.digits}d}"
        )
        middle = f"{year:04d}-{number:0{self.digits}d}" if self.include_year else body
        return f"{self.prefix}-{middle}-{check_character(body)}"

    def counter_name(self, year: int) -> str:
        return f"reference-{year}" if self.include_year else "reference"

    def pattern(self) -> re.Pattern[str]:
        year = r"(?P<year>\d{4})[-\s]?" if self.include_year else ""
        return re.compile(
            rf"(?<![A-Za-z0-9]){re.escape(self.prefix)}[-\s]?{year}"
            rf"(?P<number>\d{{{self.digits}}})[-\s]?(?P<check>[A-Za-z])(?![A-Za-z0-9])",
            re.IGNORECASE,
        )

    def find_all(self, text: str) -> list[str]:
        """Every well-formed reference in ``text`` whose check letter is right, normalised.

        Customers quote references with odd spacing or case ("sr 2026 004217 k"); those are
        accepted. A reference whose check letter is wrong is ignored, never "corrected".
        """
        found: list[str] = []
        for m in self.pattern().finditer(text):
            year = int(m.group("year")) if self.include_year else 0
            number = int(m.group("number"))
            candidate = self.format(year, number)
            if candidate[-1] == m.group("check").upper() and candidate not in found:
                found.append(candidate)
        return found

    def is_valid(self, reference: str) -> bool:
        return self.find_all(reference) == [reference]


def check_character(digits: str) -> str:
    total = sum((i + 1) * int(d) for i, d in enumerate(digits))
    return _CHECK_ALPHABET[total % len(_CHECK_ALPHABET)]
