"""The customer's company: a labelled line, a legal-form suffix, "from X", or the signature.

Only what the text says: a company is never guessed from the email domain (corpus README).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.classifier.labelled_lines import LabelledValue
from bot.classifier.parts import Part
from bot.classifier.signoff import looks_like_name, signature_block
from bot.classifier.types import Finding

_WORD = r"(?:[A-Z0-9][\w&'’.-]*|&|and|of|the|for|de|van)"
_SUFFIX = (
    r"(?:\(Pty\)\s*Ltd|Pty\s*Ltd|\(Pty\)\s*Limited|Ltd|Limited|plc|PLC|Inc|LLP|LLC|Group|"
    r"Holdings|CC|NPC|GmbH|BV|SA)\.?"
)
_LEGAL = re.compile(
    rf"(?<![\w&])(?P<c>[A-Z][\w&'’.-]*(?:[ \t]+{_WORD}){{0,5}}?[ \t]+{_SUFFIX})(?!\w)"
)
_FROM = re.compile(
    rf"(?i:\b(?:i'm|i am|this is|it's|my name is)\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?\s+"
    rf"(?:from|at|with|of)|\bhere\s+(?:from|at)|\bwe\s+are|\bwe're|\bcalling\s+from)\s+"
    rf"(?P<c>[A-Z][\w&'’.-]*(?:[ \t]+{_WORD}){{0,4}})"
)
_TITLE = re.compile(
    r"\b(?:manager|engineer|director|officer|administrator|admin|head|lead|technician|analyst|"
    r"consultant|coordinator|co-ordinator|specialist|architect|owner|partner|ceo|cto|cio|"
    r"founder|supervisor|assistant|it|ict|operations|support|department|principal|bursar)\b",
    re.IGNORECASE,
)
_CONTACTISH = re.compile(r"[@\d]|www\.|https?:|\b(?:tel|mob|cell|fax|phone)\b", re.IGNORECASE)
_TRAILING = re.compile(r"(?:[ \t]+(?:and|of|the|for|&))+$")


def _clean(value: str) -> str:
    return _TRAILING.sub("", value.strip().rstrip(".,;:")).strip()


def company_names(
    part: Part, labelled: Sequence[LabelledValue], vendors: Sequence[str]
) -> list[Finding]:
    """Company findings in ``part``; vendor names (Fortinet Inc) are not the customer."""
    found: list[Finding] = []
    lowered_vendors = {v.lower() for v in vendors}
    for item in labelled:
        if item.key == "company_name":
            found.append(
                part.finding(
                    "company_name", _clean(item.value), 0.97, item.start, item.end, explicit=True
                )
            )
    text = part.text
    block = signature_block(text)
    for pattern, confidence in ((_FROM, 0.85), (_LEGAL, 0.8)):
        for match in pattern.finditer(text):
            value = _clean(match.group("c"))
            start = match.start("c")
            if not value or value.split()[0].lower() in lowered_vendors:
                continue
            in_signature = block is not None and start >= block.start
            found.append(
                part.finding(
                    "company_name",
                    value,
                    confidence + 0.05 * in_signature,
                    start,
                    start + len(value),
                )
            )
    if block:
        found.extend(_signature_line(part, block.start))
    return found


def _signature_line(part: Part, start: int) -> list[Finding]:
    """A plain company line in the sign-off block: after the name, not a title or address."""
    offset = start
    seen_name = False
    for line in part.text[start:].split("\n")[:7]:
        stripped = line.strip()
        pos = offset + len(line) - len(line.lstrip())
        offset += len(line) + 1
        if not stripped:
            continue
        if not seen_name:
            seen_name = looks_like_name(re.split(r"\s*[|,]\s*", stripped)[0])
            continue
        if "|" in stripped:
            stripped = stripped.split("|")[-1].strip()
            pos = part.text.find(stripped, pos)
        if _TITLE.search(stripped) or _CONTACTISH.search(stripped) or len(stripped) > 60:
            continue
        if stripped[:1].isupper() and not looks_like_name(stripped):
            return [part.finding("company_name", stripped, 0.6, pos, pos + len(stripped))]
    return []
