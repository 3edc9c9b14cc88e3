"""Serials written without a label, recognised by the shapes vendors give them.

Distinctive shapes (Cisco's 11 characters, Fortinet's FGT..., Meraki's Q2XX-...) are taken
anywhere; ambiguous ones (twelve digits, Sophos X...) only in a report naming their vendor.
What the text says right after a serial ("... is fine", "... has the fan alarm") tells the
faulty unit from its healthy peer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from bot.classifier.catalogue import Catalogue, Vendor
from bot.classifier.distractors import Span, overlaps
from bot.classifier.parts import Part
from bot.classifier.types import Finding

HEALTHY = re.compile(
    r"^[^\n.;]{0,15}\b(?:fine|ok|okay|healthy|working|unaffected)\b", re.IGNORECASE
)
# "... FOC2418X1QA has the fan alarm": the unit the fault is said of, right after its serial
_FAULT_AFTER = re.compile(
    r"^\W{0,3}(?:(?:has|have|had|is|was|keeps|with|shows?)\b[^.;\n]{0,25}?)?\b(?:dead|died|fail\w*|"
    r"faulty|broken|alarm\w*|crash\w*|reboot\w*|down|offline|not booting|won't boot)\b",
    re.IGNORECASE,
)


def fault_state(text: str, start: int, end: int) -> float:
    """Adjustment for what the text says of the unit right after a serial: faulty or fine."""
    after = text[end : end + 40]
    if HEALTHY.search(after[:20]):
        return -0.1
    return 0.04 if _FAULT_AFTER.search(after) else 0.0


# Bare hex or digit runs after these words are addresses, phone numbers or order references.
_NOT_SERIAL = re.compile(
    r"(?:mac|bssid|ethernet|hw ?addr\w*|wan|tel|phone|mob\w*|cell|call|fax|order|invoice|po|"
    r"quote|account|ref\w*|case|ticket|imei)\b[^\n\d]{0,12}$"
)
# Twelve hex digits with letters is a MAC as often as a serial (Ubiquiti's serial *is* its MAC).
_MAC = re.compile(r"^(?=.*[A-F])[0-9A-F]{12}$")
_TOKEN = re.compile(r"(?<![\w-])[\w-]{10,}")


def unlabelled_serials(part: Part, spans: Sequence[Span], catalogue: Catalogue) -> list[Finding]:
    """Serials written bare: distinctive shapes anywhere, ambiguous ones next to their vendor.

    A twelve-digit Palo Alto or Ruckus serial, or a Sophos or WatchGuard one, is as likely an
    order number or a licence in general text; in a report that names that vendor it is the
    serial. Twelve hex digits stay label-only: bare, they are a MAC as often as not.
    """
    found: list[Finding] = []
    named: dict[str, bool] = {}
    shapes = _any_serial(catalogue)
    # Every catalogued serial is one token of ten or more characters with a digit: testing
    # those few tokens against each shape is much faster than scanning the text per shape.
    for token in _TOKEN.finditer(part.text.upper()):
        value = token.group().rstrip("-")
        start, end = token.start(), token.start() + len(value)
        if not shapes.fullmatch(value) or overlaps(spans, start, end):
            continue
        for vendor in catalogue.vendors:
            if not any(p.fullmatch(value) for p in vendor.serials):
                continue
            if _NOT_SERIAL.search(part.lower[max(0, start - 25) : start]):
                break
            state = fault_state(part.text, start, end)
            if vendor.unlabelled_serials and _mixed(value):
                found.append(part.finding("serial_number", value, 0.75 + state, start, end))
                break
            if vendor.name not in named:
                named[vendor.name] = _names_vendor(part.lower, vendor)
            if named[vendor.name] and not _MAC.match(value):
                found.append(part.finding("serial_number", value, 0.72 + state, start, end))
                break
    return found


_SHAPES: dict[int, re.Pattern[str]] = {}


def _any_serial(catalogue: Catalogue) -> re.Pattern[str]:
    """Every vendor's serial shapes as one pattern: most tokens are rejected in one test."""
    key = id(catalogue.vendors)
    if key not in _SHAPES:
        shapes = [p.pattern for v in catalogue.vendors for p in v.serials]
        _SHAPES[key] = re.compile(rf"(?=[A-Z-]*\d)(?:{'|'.join(shapes)})")
    return _SHAPES[key]


@lru_cache(maxsize=64)
def _vendor_words(vendor: Vendor) -> re.Pattern[str]:
    words = sorted({w.lower() for w in (*vendor.aliases, vendor.name, *vendor.families)})
    return re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(w) for w in words)})(?!\w)")


def _names_vendor(lower: str, vendor: Vendor) -> bool:
    """True when the text names ``vendor`` by name, product family or model."""
    if _vendor_words(vendor).search(lower):
        return True
    return vendor.model_rx is not None and vendor.model_rx.search(lower) is not None


def _mixed(value: str) -> bool:
    """Vendor serial shapes mix letters and digits; an all-digit match is a phone or a PO."""
    return any(c.isdigit() for c in value) and any(c.isalpha() for c in value)
