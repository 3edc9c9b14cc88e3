"""The sign-off of a one-paragraph chat message: "... Regards, Pieter van Rensburg, Vaal Agri
Co-op", "... thx Nicola", "- Gavin, Wits Enterprise, Braamfontein", "Mark Ellison 020 7946 0871".

Chat messages have no signature block, so the name, company and place sit in the last clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.classifier.business import COMPANY_NOUN, is_generic
from bot.classifier.signoff import name_prefix

_CONTACT = re.compile(r"[\w.+-]+@[\w.-]+|\+?\d[\d ()-]{7,}\d")
_BOUNDARY = re.compile(
    r"(?:^|[.!?\n]\s*|,\s*|\s[-–—]+\s*|\b(?:kind regards|best regards|regards|many thanks|thanks|"
    r"thank you|thx|ta|cheers|rgds|shot|dankie|merci|pls call|please call|call me|ask for|"
    r"my number is)[,.!:]?\s+)(?=[A-Z])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Segment:
    """One comma-separated piece of the closing clause, with its offsets."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Tail:
    """The closing clause: the name, and the pieces after it (company, place)."""

    name: Segment
    rest: tuple[Segment, ...]


@lru_cache(maxsize=8)  # within one report only: each part is read by several extractors
def closing_tail(text: str) -> Tail | None:
    """The sign-off clause at the very end of ``text``, if it starts with a name."""
    window_start = max(0, len(text) - 220)
    window = _CONTACT.sub(lambda m: " " * len(m.group()), text[window_start:]).rstrip()
    for match in _BOUNDARY.finditer(window):
        tail = _parse(window, match.end(), window_start)
        if tail:
            return tail
    return None


def _parse(window: str, start: int, offset: int) -> Tail | None:
    clause = window[start:]
    if len(clause) > 140 or re.search(r"[a-z]{3}[.!?](?:\s|$)", clause.rstrip(" .!")):
        return None
    segments: list[Segment] = []
    for piece in re.finditer(r"[^,()|\n]+", clause):
        raw = piece.group()
        stripped = raw.strip(" -–.!")
        if stripped:
            pos = offset + start + piece.start() + raw.index(stripped)
            segments.append(Segment(pos, pos + len(stripped), stripped))
    if not segments:
        return None
    name = name_prefix(segments[0].text)
    if name is None:
        return None
    first = Segment(segments[0].start, segments[0].start + len(name), name)
    return Tail(first, tuple(segments[1:]))


def is_company_segment(segment: Segment) -> bool:
    """A closing piece that names a business (trade noun), not a place."""
    match = COMPANY_NOUN.fullmatch(segment.text)
    return match is not None and not is_generic(segment.text)
