"""Callback phone numbers, normalised to E.164 with the ``phonenumbers`` library.

Customers are in the UK and South Africa and write national numbers ("020 7946 0958",
"082 555 0123"): a leading ``0`` is read as South African when the report shows South African
context, else as British. Fax numbers, and numbers labelled as something else (serials, POs), are
not callback numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import phonenumbers

from bot.classifier.distractors import Span, overlaps
from bot.classifier.labelled_lines import LabelledValue
from bot.classifier.parts import Part
from bot.classifier.types import Finding

_ZA_CONTEXT = re.compile(
    r"\+27|\.co\.za\b|\.za\b|south africa|\b(?:johannesburg|joburg|jhb|cape town|durban|"
    r"pretoria|sandton|centurion|midrand|gauteng|kwazulu|natal|stellenbosch|gqeberha|"
    r"port elizabeth|bloemfontein|umhlanga|polokwane|rosebank|randburg|bellville|"
    r"east london|pietermaritzburg|rustenburg|nelspruit|mbombela|kimberley|george|"
    r"western cape|eastern cape|free state|limpopo|mpumalanga|(?:pty) ltd)\b|\(pty\)",
    re.IGNORECASE,
)
_NOT_PHONE = re.compile(
    r"(?:fax|f|serial|s/n|sn|contract|case|ticket|po|order|invoice|ref|reference|sr|rma|"
    r"licen[cs]e|part|p/n|asset|account|build|id|ver(?:sion)?|isp|provider|telkom|vodacom|"
    r"openreach|tac|waybill|tracking|consignment|courier)\b[^\n\d]{0,12}$|"
    r"(?:isp|provider|carrier|telco|tac|vendor|supplier)\b[^\n.!?]{0,40}\b(?:on|at|number)\s*$|"
    # a vendor's own helpline ("Fortinet support (0800 ...)") is not the customer's number
    r"(?:fortinet|cisco|palo alto|meraki|sophos|aruba|juniper|microsoft|vendor)\s+"
    r"(?:support|tac|helpdesk|help desk)\b[^\n\d]{0,12}$",
    re.IGNORECASE,
)
# Someone else's number: "the site manager Pete ... he's on 07700 900444"
_THIRD_PARTY = re.compile(
    r"(?:\b(?:he|she|they)(?:'s| is| are)\s+on|\b(?:his|her|their)\s+(?:number|mobile|cell|"
    r"phone)\b[^\n\d]{0,12})\s*$",
    re.IGNORECASE,
)
# Freephone and share-call numbers are switchboards and helplines, seldom a person's line.
_SHARED = re.compile(r"^\+(?:44800|44808|27800|27860|27861)")
_CALLBACK = re.compile(
    r"(?:call|ring|contact|reach|phone|whatsapp|mobile|cell|mob|direct)\b[^\n\d+]{0,40}$",
    re.IGNORECASE,
)


_CANDIDATE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d \t().-]{7,18}\d(?!\w)")
_PART_NUMBER = re.compile(r"\(?\d{3}-\d{6}\)?")


def _glued(text: str, start: int, end: int) -> bool:
    """A digit run inside a longer token (a serial such as FG200FT921901234) is no phone."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if after == "/" and text[end + 1 : end + 2].isdigit():
        return False  # "020 7946 0958/0959": a second line's last digits, not a longer token
    return before.isalnum() or after.isalnum() or before in "-/" or after in "-/"


def regions(text: str) -> tuple[str, str]:
    """Regions to read national numbers in, most likely first."""
    return ("ZA", "GB") if _ZA_CONTEXT.search(text) else ("GB", "ZA")


def to_e164(raw: str, region_order: Sequence[str]) -> str | None:
    """``raw`` in E.164: valid in one region beats merely possible; ``None`` if neither."""
    parsed: list[phonenumbers.PhoneNumber] = []
    for region in region_order:
        try:
            parsed.append(phonenumbers.parse(raw, region))
        except phonenumbers.NumberParseException:
            continue
    # UK national numbers have 11 digits, South African 10: validity tells them apart better
    # than context does, so context only breaks ties.
    chosen = next((n for n in parsed if phonenumbers.is_valid_number(n)), None)
    if chosen is None:
        chosen = next((n for n in parsed if phonenumbers.is_possible_number(n)), None)
    if chosen is None:
        return None
    return str(phonenumbers.format_number(chosen, phonenumbers.PhoneNumberFormat.E164))


def phone_numbers(
    part: Part,
    labelled: Sequence[LabelledValue],
    spans: Sequence[Span],
    region_order: Sequence[str],
) -> list[Finding]:
    """Callback numbers in ``part``, labelled lines first."""
    found: list[Finding] = []
    for item in labelled:
        if item.key == "contact_phone":
            value = to_e164(item.value, region_order)
            if value:
                found.append(
                    part.finding("contact_phone", value, 0.97, item.start, item.end, explicit=True)
                )
    text = part.text
    # Our own candidate scan, then the library's parser: PhoneNumberMatcher is several times
    # slower and finds nothing more in the shapes UK and SA numbers are written in.
    for match in _CANDIDATE.finditer(text):
        start, end = match.span()
        raw = match.group()
        digits = sum(c.isdigit() for c in raw)
        if digits < 9 or overlaps(spans, start, end) or _glued(text, start, end):
            continue
        if _PART_NUMBER.fullmatch(raw):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        before = text[max(line_start, start - 40) : start]
        if _NOT_PHONE.search(before):
            continue
        value = to_e164(raw, region_order)
        if value:
            confidence = 0.9 if _CALLBACK.search(before) else 0.8
            if _THIRD_PARTY.search(before) or _SHARED.match(value):
                confidence = 0.7
            found.append(part.finding("contact_phone", value, confidence, start, end))
    return found
