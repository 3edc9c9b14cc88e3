"""Spans that look like identifiers but never are: addresses, dates, other people's references.

Every identifier extractor checks its candidates against these spans first, so an IP address is
never a version, a MAC never a serial and a Cisco TAC case never a contract number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.classifier.parts import lower_same_length

Span = tuple[int, int]

_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        # IPv4 (with optional CIDR/port) and IPv6
        r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2}|:\d{1,5})?(?![\w.]\d)",
        r"(?<![\w:])(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}(?:/\d{1,3})?(?![\w:])",
        # MAC addresses in colon, dash and Cisco dotted forms
        r"(?<![\w:-])[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}(?![\w:-])",
        r"(?<![\w.])[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}(?![\w.])",
        # dates and times
        r"(?<![\w./-])(?:\d{1,2}[/-]\d{1,2}[/-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.20\d{2})"
        r"(?![\w./-])",
        r"(?<!\w)\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]m)?(?!\w)",
        # our own references (SR-2026-004217-K) and other tickets' / vendors' case numbers
        r"(?<!\w)sr-\d{4}-\d{4,8}-[a-z](?!\w)",
        r"(?<![a-z])(?:(?:tac|case|ticket|sr|rma|incident|inc|cs|tt)\s*(?:no\.?|number|num|ref|id|#)?"
        r"|call\s*(?:no\.?|number|num|ref|id|#))"
        r"\s*[:#]?\s*[a-z]{0,4}-?\d[\w-]{4,}",
        # purchase orders, invoices, quotes, orders, licences and auth codes
        r"(?<![a-z])(?:po|p\.o\.|purchase order|invoice|inv|quote|quotation|order|so|licen[cs]e|"
        r"auth(?:ori[sz]ation)? code|activation code|key)\s*(?:no\.?|number|num|ref|#)?"
        r"\s*[:#]?\s*[a-z]{0,4}[-/]?\d[\w/-]{3,}",
        # licence-key shapes: groups of 4-5 alphanumerics joined by dashes
        r"(?<![\w-])[a-z0-9]{4,5}(?:-[a-z0-9]{4,5}){3,}(?![\w-])",
    )
)


def distractor_spans(text: str) -> list[Span]:
    """All distractor spans in ``text`` (may overlap; order not meaningful)."""
    spans: list[Span] = []
    low = lower_same_length(text)  # lower-case patterns: much faster than IGNORECASE
    for pattern in _PATTERNS:
        spans.extend(m.span() for m in pattern.finditer(low))
    return spans


def overlaps(spans: Sequence[Span], start: int, end: int) -> bool:
    """True when ``[start, end)`` intersects any of ``spans``."""
    return any(s < end and start < e for s, e in spans)
