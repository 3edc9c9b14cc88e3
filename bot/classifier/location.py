"""Where the faulty equipment is: a labelled line, an address with a postcode, a named site
("Cape Town office"), a room or floor ("comms room", "3rd floor"), or the town a chat signs with.

Scored on presence, so the aim is the span an engineer would copy into a courier booking.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.classifier.catalogue import lower_pattern
from bot.classifier.labelled_lines import LabelledValue
from bot.classifier.parts import Part
from bot.classifier.signoff import PLACES
from bot.classifier.tail import closing_tail
from bot.classifier.types import Finding

_UK_POSTCODE = r"\b[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}\b"
_STREET_WORD = (
    r"Road|Rd|Street|St|Avenue|Ave|Lane|Drive|Way|Close|Park|Crescent|Boulevard|Place|Square|"
    r"Terrace|Estate|Centre|Center|Business Park|Industrial Park|Row|Hill|Gardens"
)
_ADDRESS_ANCHOR = re.compile(
    rf"(?:{_UK_POSTCODE}|(?:{_STREET_WORD})\b,?[ \t]+(?:[A-Z][a-z]+,?[ \t]+){{1,4}}"
    r"\d{4}\b)",
)
_SITE_WORDS = (
    r"office|site|branch|campus|warehouse|depot|plant|store|shop|head office|HQ|"
    r"data ?cent(?:re|er)|DC|clinic|school|factory|building|hospital|practice|surgery|"
    r"comms room|server room|hub|premises|mall|hotel|home|house|farm|yard"
)
_SITE = re.compile(
    r"(?:\b(?:at|in|from|for)\s+(?:our\s+|the\s+)?|\b(?:our|the)\s+)"
    rf"(?P<loc>(?:[A-Z][\w'’-]*\s+){{1,4}}(?:{_SITE_WORDS})\b)"
)
_ROOM = re.compile(
    r"\b(?:in|at|on|under|from|by|inside)\s+(?:the|our|a)\s+(?P<room>(?:[\w-]+\s+){0,2}?"
    r"(?:boardroom|board room|reception|canteen|meeting room|guardhouse|stairs|mezzanine|"
    r"warehouse|server room|comms room|comms cupboard|comms cabinet|network cabinet|cabinet|"
    r"cupboard|kitchen|hall|lobby|foyer|basement|loft|attic|plant room|data room|riser|lab|"
    r"classroom|library|staff ?room|back office|front office|shop floor|workshop|garage|"
    r"studio|ward|wing|head office|main office|post room|data cent(?:re|er)|rack))\b"
    r"|(?P<floor>\b(?:\d+(?:st|nd|rd|th)|ground|first|second|third|top)\s+floor\b|"
    r"\bfloor\s+\d+\b|\blevel\s+\d+\b|\b(?:IDF|MDF)\s?\d+\b|\brack\s+[A-Z]?\d+\b)",
    re.IGNORECASE,
)
_ROOM_LOWER = re.compile(lower_pattern(_ROOM.pattern))  # run on Part.lower, for speed
_STREET = re.compile(
    rf"^[ \t]*(?:Unit[ \t]+\d+\w?,?[ \t]+)?\d{{1,4}}\w?[ \t]+[A-Z][\w' -]+[ \t](?:{_STREET_WORD})"
    r"\b[^\n]*$",
    re.MULTILINE,
)
_HEADER = re.compile(r"^\s*(?:>|(?:sent|date|from|to|subject|cc)\s*:)", re.IGNORECASE)


def locations(part: Part, labelled: Sequence[LabelledValue]) -> list[Finding]:
    """Location findings in ``part``."""
    found: list[Finding] = []
    for item in labelled:
        if item.key == "location" and not item.value.replace(" ", "").isdigit():
            found.append(
                part.finding("location", item.value, 0.95, item.start, item.end, explicit=True)
            )
    text = part.text
    for match in _ADDRESS_ANCHOR.finditer(text):
        found += _address(part, match)
    for pattern, group, confidence in (
        (_STREET, 0, 0.7),
        (_SITE, "loc", 0.75),
    ):
        for match in pattern.finditer(text):
            found += _span(part, match, group, confidence)
    for match in _ROOM_LOWER.finditer(part.lower):
        found += _span(part, match, "room" if match.group("room") else "floor", 0.65)
    tail = closing_tail(text)
    if tail:
        for segment in tail.rest:
            if segment.text.lower() in PLACES:
                found.append(
                    part.finding("location", segment.text, 0.6, segment.start, segment.end)
                )
    return found


def _address(part: Part, anchor: re.Match[str]) -> list[Finding]:
    """The address line ending at a postcode: back to the line start, a colon or 80 chars."""
    text = part.text
    start = max(text.rfind("\n", 0, anchor.start()) + 1, anchor.start() - 80)
    cut = max(text.rfind(":", start, anchor.start()), text.rfind("@", start, anchor.start()))
    start = cut + 1 if cut >= 0 else start
    line_start = text.rfind("\n", 0, anchor.start()) + 1
    if _HEADER.match(text[line_start : anchor.end()]):
        return []
    value = re.sub(r"\s+", " ", text[start : anchor.end()]).strip(" ,.-")
    return [part.finding("location", value, 0.8, start, anchor.end())] if value else []


def _span(part: Part, match: re.Match[str], group: int | str, confidence: float) -> list[Finding]:
    start, end = match.span(group)
    line_start = part.text.rfind("\n", 0, start) + 1
    if _HEADER.match(part.text[line_start:end]):
        return []
    value = re.sub(r"\s+", " ", part.text[start:end]).strip(" ,.-")
    return [part.finding("location", value, confidence, start, end)] if value else []
