"""Contract and serial numbers: labelled in prose or as lines, or by an unmistakable vendor shape.

Customers label contract numbers almost always ("contract", "support agreement", "agreement ref"),
so unlabelled contract-like strings are left alone: they are far more often POs, case numbers or
quotes. Serials are taken unlabelled only in shapes that one vendor alone uses (catalogue data).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.classifier.catalogue import Catalogue, lower_pattern
from bot.classifier.distractors import Span, overlaps
from bot.classifier.labelled_lines import LabelledValue
from bot.classifier.parts import Part
from bot.classifier.types import Finding

_CONTRACT = re.compile(
    r"(?<!\w)(?:(?:support|maintenance|service|customer)\s+)?(?:contract|agreement)"
    r"(?:\s+(?:no\.?|number|num|nr|#|ref(?:erence)?\.?|id|code))?"
    r"(?:\s+(?:with|from)\s+(?:you|us))?"
    r"(?:\s*(?:is|:|#|-|–|=)\s*|\s+)(?:is\s+|number\s+|no\.?\s+)?"
    r"(?P<v>[A-Z0-9][A-Z0-9/_.-]*\d[A-Z0-9/_-]*)",
    re.IGNORECASE,
)
_SERIAL = re.compile(
    r"(?<![\w/])(?:s/no?|sn|ser\.?\s?no|(?:serial|serail|serila|seriel)(?:\s*(?:no\.?|number|num|nr|#))?)"
    # "serial on the sticker is X", "Serial of one AP X", "Serial / MAC on the label: X"
    r"(?:\s*/?\s*(?:[A-Za-z]{1,8}\b\s*){0,5}?)??"
    r"(?:\s*(?:is|was|:|#|-|–|=)\s*|\s+)(?:is\s+|was\s+|number\s+)?"
    r"(?P<v>(?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{4,24})(?![\w-])",
    re.IGNORECASE,
)
_COMPONENT = re.compile(
    r"(?:fan(?: module| tray)?|module|psu|power supply|sfp|transceiver|optic|line card|"
    r"supervisor|battery|disk|drive)\b[^\n]{0,25}$",
    re.IGNORECASE,
)
_FAULTY = re.compile(
    r"(?:faulty|failed|dead|broken|affected|bad|defective)\b[^\n]{0,40}$", re.IGNORECASE
)
_HEALTHY = re.compile(
    r"^[^\n.;]{0,15}\b(?:fine|ok|okay|healthy|working|unaffected)\b", re.IGNORECASE
)
# Both run on Part.lower: lower-cased patterns instead of re.IGNORECASE, for speed.
_CONTRACT_LOWER = re.compile(lower_pattern(_CONTRACT.pattern))
_SERIAL_LOWER = re.compile(lower_pattern(_SERIAL.pattern))
_VALUE_OK = re.compile(r"^(?=.*\d)[A-Z0-9][A-Z0-9/_.-]{3,30}$")


def clean_identifier(value: str) -> str | None:
    """Upper-case, no spaces, trailing punctuation removed; ``None`` unless it has a digit."""
    value = re.sub(r"\s+", "", value).upper().rstrip(".,;:)")
    value = value.lstrip("#(")
    return value if _VALUE_OK.match(value) else None


def _labelled(part: Part, labelled: Sequence[LabelledValue], key: str) -> list[Finding]:
    found: list[Finding] = []
    for item in labelled:
        if item.key != key:
            continue
        token = re.search(r"(?=[A-Z0-9/_.-]*\d)[A-Z0-9][A-Z0-9/_.-]*", item.value, re.IGNORECASE)
        if token is None:
            continue
        first = item.value[: token.end()].rstrip(".")
        value = clean_identifier(token.group())
        if value:
            start, end = item.start + token.start(), item.start + len(first)
            found.append(part.finding(item.key, value, 0.97, start, end, explicit=True))
    return found


def contract_numbers(
    part: Part, labelled: Sequence[LabelledValue], spans: Sequence[Span]
) -> list[Finding]:
    """Contract numbers stated with a label; never inside a distractor span."""
    found = _labelled(part, labelled, "contract_number")
    for match in _CONTRACT_LOWER.finditer(part.lower):
        start, end = match.span("v")
        value = clean_identifier(part.text[start:end])
        if value and not overlaps(spans, start, end):
            found.append(part.finding("contract_number", value, 0.9, start, end, explicit=True))
    return found


def serial_numbers(
    part: Part,
    labelled: Sequence[LabelledValue],
    spans: Sequence[Span],
    catalogue: Catalogue,
) -> list[Finding]:
    """Serials after a label, then serials in a vendor-specific shape without one."""
    found = _labelled(part, labelled, "serial_number")
    text = part.text
    for match in _SERIAL_LOWER.finditer(part.lower):
        start, end = match.span("v")
        value = clean_identifier(text[start:end])
        if not value or overlaps(spans, start, end) or _is_model(value, catalogue):
            continue
        before = text[max(0, match.start() - 40) : match.start()]
        confidence = 0.93
        confidence -= 0.1 if _COMPONENT.search(before) else 0.0
        confidence += 0.03 if _FAULTY.search(before) else 0.0
        confidence -= 0.1 if _HEALTHY.search(text[end : end + 20]) else 0.0
        found.append(part.finding("serial_number", value, confidence, start, end, explicit=True))
    upper = part.text.upper()
    for vendor in catalogue.vendors:
        if not vendor.unlabelled_serials:
            continue
        for pattern in vendor.serials:
            for match in pattern.finditer(upper):
                start, end = match.span()
                if not overlaps(spans, start, end) and _mixed(match.group()):
                    found.append(part.finding("serial_number", match.group(), 0.75, start, end))
    return found


def _is_model(value: str, catalogue: Catalogue) -> bool:
    """A model or part number after the word "serial" (\"serial not visible, it's a PA-3220\")."""
    return any(p.fullmatch(value) for v in catalogue.vendors for p in v.models)


def _mixed(value: str) -> bool:
    """Vendor serial shapes mix letters and digits; an all-digit match is a phone or a PO."""
    return any(c.isdigit() for c in value) and any(c.isalpha() for c in value)
