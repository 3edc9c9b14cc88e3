"""How a predicted value is compared with a gold label: normalisation and match rules.

Gold values are a string, ``null`` or a list of acceptable variants; a prediction matches when it
equals any variant after normalising case, whitespace, phone format (E.164) and the words vendors
put before a version ("FortiOS 7.2.5" = "7.2.5").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

import phonenumbers

from bot.fields import FieldKey

Gold = str | list[str] | None

VALUE_FIELDS: Final[tuple[FieldKey, ...]] = (
    "contract_number",
    "company_name",
    "contact_name",
    "contact_email",
    "contact_phone",
    "manufacturer",
    "model",
    "serial_number",
    "software_version",
    "stated_severity",
)
PRESENCE_FIELDS: Final[tuple[FieldKey, ...]] = ("fault_summary", "diagnosis_summary", "location")
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "at",
        "in",
        "on",
        "our",
        "for",
        "to",
        "is",
        "we",
        "unit",
        "floor",
        "room",
        "office",
        "site",
        "building",
    ]
)


def variants(gold: Gold) -> list[str]:
    """The acceptable values of a gold label (empty for ``null``)."""
    if gold is None:
        return []
    return [gold] if isinstance(gold, str) else [g for g in gold if g]


def normalise(key: str, value: str) -> str:
    """The comparable form of ``value`` for field ``key``."""
    text = re.sub(r"\s+", " ", value).strip().casefold()
    if key == "contact_phone":
        for region in ("GB", "ZA"):
            try:
                number = phonenumbers.parse(value, region)
            except phonenumbers.NumberParseException:
                continue
            return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
        return re.sub(r"[^\d+]", "", text)
    if key == "software_version":
        # Drop leading words ("FortiOS", "PAN-OS", "Cisco IOS XE") and a "v" prefix.
        text = re.sub(r"^(?:[a-z][\w-]*\s+)+(?=[a-z]?\d)", "", text)
        return re.sub(r"^v\.?\s?(?=\d)", "", text)
    if key in ("serial_number", "contract_number"):
        return text.replace(" ", "")
    return text.rstrip(".")


def matches(key: str, predicted: str, gold: Gold) -> bool:
    """True when ``predicted`` equals any gold variant after normalisation."""
    norm = normalise(key, predicted)
    return any(normalise(key, g) == norm for g in variants(gold))


def content_words(text: str) -> set[str]:
    """Lower-case words of three letters or more that carry meaning (for loose overlap)."""
    return {w for w in re.findall(r"[a-z0-9]{3,}", text.casefold()) if w not in _STOP}


def loose_overlap(predicted: str, gold: Gold) -> bool:
    """True when the prediction shares a content word with any gold variant."""
    words = content_words(predicted)
    return any(words & content_words(g) for g in variants(gold))


def first_variant(gold: Gold) -> str | None:
    """The first acceptable gold value, for error listings."""
    found: Sequence[str] = variants(gold)
    return found[0] if found else None
