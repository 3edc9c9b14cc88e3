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
from bot.classifier.serial_shapes import HEALTHY, fault_state, unlabelled_serials
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
# Both run on Part.lower: lower-cased patterns instead of re.IGNORECASE, for speed.
_CONTRACT_LOWER = re.compile(lower_pattern(_CONTRACT.pattern))
_SERIAL_LOWER = re.compile(lower_pattern(_SERIAL.pattern))
_VALUE_OK = re.compile(r"^(?=.*\d)[A-Z0-9][A-Z0-9/_.-]{3,30}$")


def clean_identifier(value: str) -> str | None:
    """Upper-case, no spaces, trailing punctuation removed; ``None`` unless it has a digit."""
    value = re.sub(r"\s+", "", value).upper().rstrip(".,;:)")
    value = value.lstrip("#(")
    return value if _VALUE_OK.match(value) else None


def _labelled(
    part: Part, labelled: Sequence[LabelledValue], key: str, catalogue: Catalogue | None = None
) -> list[Finding]:
    found: list[Finding] = []
    for item in labelled:
        if item.key != key:
            continue
        head = re.match(r"[A-Za-z0-9]{2,10}", item.value)
        if catalogue is not None and head is not None:
            # "Serial: FCW 2231 L0AB" - a serial written in groups, the first without a digit
            start, end = _spaced(part.text, item.start, item.start + head.end(), catalogue)
            if end > item.start + head.end():
                value = _joined(part.text[start:end], catalogue)
                if value:
                    found.append(part.finding(item.key, value, 0.97, start, end, explicit=True))
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
    found = _labelled(part, labelled, "serial_number", catalogue)
    text = part.text
    for match in _SERIAL_LOWER.finditer(part.lower):
        start, end = match.span("v")
        start, end = _spaced(text, start, end, catalogue)
        value = _joined(text[start:end], catalogue)
        if not value or overlaps(spans, start, end) or _is_model(value, catalogue):
            continue
        before = text[max(0, match.start() - 40) : match.start()]
        confidence = 0.93
        confidence -= 0.1 if _COMPONENT.search(before) else 0.0
        confidence += 0.03 if _FAULTY.search(before) else 0.0
        confidence += (
            fault_state(text, start, end) if not HEALTHY.search(text[end : end + 20]) else -0.1
        )
        found.append(part.finding("serial_number", value, confidence, start, end, explicit=True))
    found += unlabelled_serials(part, spans, catalogue)
    return found


_GROUPS = re.compile(r"(?:[ -][A-Za-z0-9]{2,10}){1,3}")


def _spaced(text: str, start: int, end: int, catalogue: Catalogue) -> tuple[int, int]:
    """Extend a labelled value written in groups ("FCW 2231 L0AB") to the whole serial.

    Only when the groups together make a catalogued serial shape and the first alone does not:
    "S/N FCW2231L0AB 2nd unit" keeps its first token.
    """
    head = text[start:end].upper()
    if _is_serial(head, catalogue):
        return start, end
    groups = _GROUPS.match(text, end)
    if groups is None:
        return start, end
    pieces = re.split(r"(?=[ -])", groups.group())
    for n in range(len(pieces), 0, -1):
        tail = "".join(pieces[:n])
        joined = (head + tail).upper()
        if _is_serial(joined.replace(" ", ""), catalogue) or _is_serial(
            joined.replace(" ", "-"), catalogue
        ):
            return start, end + len(tail)
    return start, end


def _joined(raw: str, catalogue: Catalogue) -> str | None:
    """A grouped serial as one value: without spaces, or hyphenated where the vendor's is."""
    value = clean_identifier(raw)
    if value and " " in raw and not _is_serial(value, catalogue):
        hyphened = clean_identifier(re.sub(r"\s+", "-", raw.strip()))
        if hyphened and _is_serial(hyphened, catalogue):
            return hyphened
    return value


def _is_serial(value: str, catalogue: Catalogue) -> bool:
    return any(p.fullmatch(value) for v in catalogue.vendors for p in v.serials)


def _is_model(value: str, catalogue: Catalogue) -> bool:
    """A model or part number after the word "serial" (\"serial not visible, it's a PA-3220\")."""
    return any(p.fullmatch(value) for v in catalogue.vendors for p in v.models)
