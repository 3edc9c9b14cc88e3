"""Where the faulty equipment is: a labelled line, an address with a postcode, or a named site.

Scored on presence, so the aim is the span an engineer would copy into a courier booking.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.classifier.labelled_lines import LabelledValue
from bot.classifier.parts import Part
from bot.classifier.types import Finding

_UK_POSTCODE = r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\b"
_ADDRESS_LINE = re.compile(
    rf"^[^\n@]*?(?:{_UK_POSTCODE}|\b(?:[A-Z][a-z]+,?\s+){{1,2}}\d{{4}}\b)[^\n@]*$",
    re.MULTILINE,
)
_SITE_WORDS = (
    r"office|site|branch|campus|warehouse|depot|plant|store|shop|head office|HQ|"
    r"data ?cent(?:re|er)|DC|clinic|school|factory|building|hospital|practice|surgery|"
    r"comms room|server room|comms cabinet|data room|hub|premises|centre|center|mall|hotel"
)
_SITE = re.compile(
    r"(?:\b(?:at|in|from|for)\s+(?:our|the)\s+|\b(?:our|the)\s+)"
    rf"(?P<loc>(?:[A-Z][\w'’-]*\s+){{1,4}}(?:{_SITE_WORDS})\b(?:[^\n.;]{{0,40}}?"
    r"(?:comms room|server room|floor|cabinet|rack))?)"
    rf"|(?P<room>\b(?:(?:\d+(?:st|nd|rd|th)|ground|first|second|third|top)\s+floor\s+)?"
    r"(?:comms|server|data|network)\s+(?:room|cupboard|cabinet)\b)",
)
_STREET = re.compile(
    r"^\s*(?:unit\s+\d+\w?,?\s+)?\d{1,4}\w?\s+[A-Z][\w' -]+\s(?:road|rd|street|st|avenue|ave|"
    r"lane|ln|drive|dr|way|close|park|crescent|boulevard|place|square|terrace)\b[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)


def locations(part: Part, labelled: Sequence[LabelledValue]) -> list[Finding]:
    """Location findings in ``part``."""
    found: list[Finding] = []
    for item in labelled:
        if item.key == "location" and not item.value.replace(" ", "").isdigit():
            found.append(
                part.finding("location", item.value, 0.95, item.start, item.end, explicit=True)
            )
    text = part.text
    for match in _SITE.finditer(text):
        group = "loc" if match.group("loc") else "room"
        start, end = match.span(group)
        found.append(part.finding("location", text[start:end].strip(), 0.75, start, end))
    for pattern, confidence in ((_ADDRESS_LINE, 0.7), (_STREET, 0.65)):
        for match in pattern.finditer(text):
            start, end = match.span()
            value = text[start:end].strip()
            if value:
                found.append(part.finding("location", value, confidence, start, end))
    return found
