"""Which of several versions in a report is running: context around each candidate.

"Upgraded from 7.0.12 to 7.2.5" runs 7.2.5; "the upgrade to R81.20 keeps failing" still runs the
old one; "planning to go to 7.4", a VPN client's version and a boot loader's are not the answer.
Scores are adjusted here, never decided: the caller keeps the best candidate.
"""

from __future__ import annotations

import re

_FROM = re.compile(r"(?:from|was on|previously|old|prior|earlier)\b[^\n\d]{0,20}$", re.IGNORECASE)
_TO_AFTER = re.compile(r"^\s*[),]?\s*(?:to|->|→)\s+(?:[A-Za-z-]+\s+)?[vr]?\d", re.IGNORECASE)
_PLANNED = re.compile(
    r"(?:plan\w*|going|want\w*|will|would like|intend\w*|schedul\w*|recommend\w*|advis\w*|"
    r"should|fixed|resolved|latest|newest|available|next|target|can we|could we|safe|can't|"
    r"cannot|unable to)\b"
    # within the clause: "recommended by Fortinet, our box is still on 7.0.12" runs 7.0.12
    r"(?:(?!,\s*(?:but|our|we|it|the|and|so)\b)[^.?!;\n]){0,40}$",
    re.IGNORECASE,
)
# "Upgrade to 7.2.8 scheduled for Saturday", "7.2.8 is recommended": said of a future version.
_PLANNED_AFTER = re.compile(
    r"^\s*(?:is |was |has been |now )?(?:scheduled|planned|recommended|suggested|advised|due|"
    r"pending|is out|released|available|safe\?|has the fix|fixes|next (?:week|month|year)|"
    r"tonight|tomorrow|this (?:weekend|evening))\b",
    re.IGNORECASE,
)
# Versions of protocols, desktop software and other people's products ("TLS version 1.2",
# "ERP client version 4.2", "Java 1.8.0"): real version strings, never the network kit's.
_FOREIGN = re.compile(
    r"\b(?:tls|ssl|snmp|ssh|https?|ike|java|python|windows|macos|android|chrome|"
    r"firefox|safari|zoom|erp|sage|outlook|esxi|vmware|ubuntu|linux|kernel|"
    r"openssl|bios|driver|plugin)\b(?:[ \t]+[\w-]+){0,2}?[ \t]+"
    r"(?:version[ \t]+|ver\.?[ \t]*|v\.?)?$",
    re.IGNORECASE,
)
# An upgrade that did not happen: the version it aimed at is not running.
_FAILED = re.compile(
    r"^(?:[^.;,\n]|\.(?=\d)|\n(?![ \t]*\n)){0,30}?\b(?:fail\w*|stuck|abort\w*|errors? out|"
    r"won't|wont|doesn't|didn't|did not|not complet\w*|rolled back|reverted|hangs?)\b",
    re.IGNORECASE,
)
# "the upgrade to X keeps failing" (never ran), unlike "we upgraded to X and now it fails"
_UPGRADING = re.compile(
    r"\b(?:upgrade|upgrading|update|updating|install|installing|installation)\b(?![^\n]{0,40}\b(?:upgraded|updated|installed)\b)",
    re.IGNORECASE,
)
_SHIPPED = re.compile(r"\b(?:came|shipped|arrived|delivered)\s+(?:with|on)\b[^\n\d]{0,20}$", re.I)
_LATER_UPGRADE = re.compile(r"^[^.\n]{0,70}?\b(?:upgraded|updated|flashed|moved)\b", re.I)
# A version said of the unit beside the faulty one ("the rest of the stack is on ...").
_PEER = re.compile(
    r"\b(?:other|peer|rest of|remaining|existing|partner|healthy|working|good one|spare)\b"
    r"[^.;\n]{0,30}$",
    re.IGNORECASE,
)
_STAY = re.compile(r"\b(?:stay|remain|stick|staying|remaining)\s+(?:on|with)\s*v?$", re.IGNORECASE)
_CLIENT = re.compile(
    r"\b(?:globalprotect|gp agent|forticlient|anyconnect|secure client|netextender|secuextender|"
    r"global vpn client|sophos connect|vpn client|client)\b",
    re.IGNORECASE,
)
_BOOT = re.compile(
    r"(?:bootstrap|rommon|boot ?loader|boot ?rom|routerboot|bios|u-?boot)\b[^\n]{0,30}$",
    re.IGNORECASE,
)


def _sentence_start(text: str, at: int) -> int:
    """Offset after the last full stop or blank line before ``at`` (emails wrap lines)."""
    return max(text.rfind(". ", 0, at), text.rfind("\n\n", 0, at)) + 1


def context_score(text: str, match_start: int, start: int, end: int, confidence: float) -> float:
    """``confidence`` adjusted for what surrounds the candidate ``text[start:end]``; 0 drops it."""
    line_start = text.rfind("\n", 0, match_start) + 1
    before = text[max(line_start, start - 60) : start]
    staying = _STAY.search(text[max(line_start, start - 25) : start])
    if not staying and _PLANNED.search(text[max(line_start, match_start - 40) : match_start]):
        return 0.0
    if _PLANNED_AFTER.match(text[end : end + 30]):
        return 0.0
    if _CLIENT.search(text[max(line_start, match_start - 2) : start]):
        # A VPN client's version ("GlobalProtect 6.2.1") is second to the firewall's own.
        confidence -= 0.12
    if _FOREIGN.search(text[max(line_start, match_start - 30) : start]):
        return 0.0
    if _BOOT.search(before):
        confidence -= 0.5
    failed = _FAILED.match(text[end : end + 120])
    to_after = _TO_AFTER.match(text[end : end + 40])
    if (to_after and not failed) or (
        _FROM.search(text[max(line_start, match_start - 25) : start]) and not to_after
    ):
        confidence -= 0.4
    if (
        failed
        and not to_after
        and _UPGRADING.search(text[max(_sentence_start(text, match_start), start - 150) : start])
    ):
        # "the upgrade from R81.10 to R81.20 keeps failing": the target never ran
        return 0.0
    if _SHIPPED.search(text[max(line_start, match_start - 30) : start]) and _LATER_UPGRADE.match(
        text[end : end + 80]
    ):
        confidence -= 0.4  # "came with 7.0.1 from the factory, we upgraded it to 7.2.5"
    if _PEER.search(text[max(line_start, match_start - 40) : match_start]):
        confidence -= 0.08
    sentence_end = re.search(r"[.?!\n]", text[end:])
    if sentence_end and text[end + sentence_end.start()] == "?":
        confidence -= 0.15
    return confidence
