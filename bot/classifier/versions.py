"""Software versions, as vendors write them, and which one is actually running.

A dotted number is a version when something says so: a vendor's OS name before it ("FortiOS
7.2.5", "PAN-OS 10.2.4-h3"), a label ("firmware 16.12.04", "running 7.0.12"), a ``v`` prefix, a
shape only one vendor uses (Junos ``21.4R3-S5``, Check Point ``R81.20``), or three dotted numbers
(never an IP address or a date). Versions they upgraded *from*, or plan to install, lose to the one
they run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.classifier.catalogue import Catalogue, lower_pattern
from bot.classifier.distractors import Span, overlaps
from bot.classifier.labelled_lines import LabelledValue
from bot.classifier.parts import Part
from bot.classifier.types import Finding

_CORE = (
    r"\d{1,3}(?:\.\d{1,4}){1,4}(?:\(\d{1,3}[a-z]?\)[A-Z]{0,3}\d{0,2})?"
    r"(?:-h\d{1,2}|-S\d{1,2}|[ -]?MR-?\d{1,2}|-hotfix\.?\d{1,2}|-\d{3,5}[a-z]?|[a-z](?![a-z]))?"
)
_BARE = (
    r"\d{1,3}\.\d{1,4}\.\d{1,4}(?:\.\d{1,4}){0,2}"
    r"(?:-h\d{1,2}|[ -]?MR-?\d{1,2}|-hotfix\.?\d{1,2}|-\d{3,5}[a-z]?|[a-z](?![a-z]))?"
)
_DISTINCT = (
    r"\d{2}\.\d[RXD]\d{1,2}(?:-S\d{1,2}(?:\.\d+)?)?(?:\.\d+)?",  # Junos 21.4R3-S5
    r"R\d{2}(?:\.\d{1,2}){1,2}",  # Check Point R81.20, R81.10.08
    r"[A-Z]{2}\.\d{2}\.\d{2}\.\d{4}",  # Aruba AOS-S WC.16.11.0015
    r"\d{2}\.\d\(\d{1,3}[a-z]?\)[A-Z]{1,3}\d{0,2}",  # Cisco IOS 15.2(7)E7
    r"0\d\.0\.\d{2}[a-z]{0,2}T\d{3}",  # Ruckus FastIron 09.0.10aT233
)
_END = r"(?![\w.]*\d)(?!\.\d)(?![\w])"
_STRONG = (
    r"running|currently(?: on| running)?|(?:stay|remain|stick) (?:on|with)|"
    r"we(?:'re| are) (?:now |still )?on|it(?:'s| is) "
    r"(?:now |still )?on|(?:is|are|was|were) (?:now |still )?on|still on|now on|"
    r"(?:upgraded|updated|upgrade|update|went|moved|flashed|patched)\b[^.\n\d]{0,30}?\bto"
)
_WEAK = r"version|ver\.?|firmware|f/w|fw|code|software|release|build|on"
_FROM = re.compile(r"(?:from|was on|previously|old|prior|earlier)\b[^\n\d]{0,20}$", re.IGNORECASE)
_TO_AFTER = re.compile(r"^\s*[),]?\s*(?:to|->|→)\s+(?:[A-Za-z-]+\s+)?v?\d", re.IGNORECASE)
_PLANNED = re.compile(
    r"(?:plan\w*|going|want\w*|will|would like|intend\w*|schedul\w*|recommend\w*|advis\w*|"
    r"should|fixed|resolved|latest|newest|available|next|target|can we|could we|safe)\b"
    r"[^.\n]{0,40}$",
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
_IP_CONTEXT = re.compile(
    r"\b(?:ip|address|gateway|subnet|ping|dns|peer|wan|lan|route|vip|mgmt)\b", re.IGNORECASE
)


class VersionFinder:
    """Finds running-version candidates in a part, with vendor prefixes from the catalogue."""

    def __init__(self, catalogue: Catalogue) -> None:
        extra = [p.pattern for v in catalogue.vendors for p in v.versions]
        version = "|".join((*_DISTINCT, *(_unbound(p) for p in extra), _CORE))
        prefixes = "|".join(
            re.escape(p).replace(r"\ ", r"\s?") for p in catalogue.all_version_prefixes()
        )
        # Case-free sources are lower-cased patterns run on Part.lower (fast); the rest are
        # case-sensitive shapes run on the text itself.
        flags = re.IGNORECASE
        v = rf"v?\.?\s?(?P<v>{version}){_END}"
        w = version.replace("(?P<v>", "(?:")
        self._value = re.compile(rf"(?:{version})")
        sources: tuple[tuple[re.Pattern[str], float, bool], ...] = (
            (
                re.compile(
                    rf"\bfrom\s+(?:[A-Za-z-]+\s+)?v?(?:{w})\s+(?:to|->|→)\s+"
                    rf"(?:[A-Za-z-]+\s+)?{v}",
                    flags,
                ),
                0.95,
                False,
            ),
            (
                re.compile(
                    rf"(?<![\w-])(?:{prefixes})(?:\s+(?:version|v|release|code))?\s*[:=]?\s*{v}",
                    flags,
                ),
                0.92,
                False,
            ),
            (
                re.compile(
                    rf"(?<![\w-])(?:{prefixes})(?:\s+[a-z]+){{1,5}}\s+(?:is|=|:)\s*{v}", flags
                ),
                0.88,
                False,
            ),
            (re.compile(rf"(?<!\w)(?:{_STRONG})\s*[:=]?\s*(?:version\s+)?{v}", flags), 0.93, False),
            (
                re.compile(
                    rf"(?<!\w)(?:{_WEAK})(?:\s+(?:version|v|release|code|is|of))?\s*[:=]?\s*{v}",
                    flags,
                ),
                0.82,
                False,
            ),
            (re.compile(rf"(?<![\w.])(?P<v>{'|'.join(_DISTINCT)}){_END}"), 0.85, True),
            (re.compile(rf"\(\s*(?:[A-Za-z-]+\s+)?{v}"), 0.8, True),
            (re.compile(rf"(?<![\w.])[vV]\.?\s?(?P<v>{_CORE}){_END}"), 0.75, True),
            (re.compile(rf"(?<![\w.:/-])(?P<v>{_BARE}){_END}"), 0.6, True),
        )
        self._sources = tuple(
            (
                re.compile(lower_pattern(p.pattern)) if p.flags & re.IGNORECASE else p,
                c,
                strict,
                bool(p.flags & re.IGNORECASE),
            )
            for p, c, strict in sources
        )

    def find(
        self, part: Part, labelled: Sequence[LabelledValue], spans: Sequence[Span]
    ) -> list[Finding]:
        """Version candidates with confidences; the caller keeps the best."""
        text = part.text
        found: list[Finding] = []
        for item in labelled:
            if item.key == "software_version":
                match = self._value.search(item.value)
                if match:
                    start, end = item.start + match.start(), item.start + match.end()
                    value = match.group()
                    found.append(
                        part.finding("software_version", value, 0.97, start, end, explicit=True)
                    )
        for pattern, confidence, strict, lowered in self._sources:
            for match in pattern.finditer(part.lower if lowered else text):
                start, end = match.span("v")
                if overlaps(spans, start, end) and (strict or self._ip_like(text, start)):
                    continue
                score = _context_score(text, match.start(), start, end, confidence)
                if score > 0:
                    value = text[start:end].strip()
                    found.append(part.finding("software_version", value, score, start, end))
        return found

    @staticmethod
    def _ip_like(text: str, start: int) -> bool:
        """An IP-shaped number is an address near address words or in a private range."""
        first = text[start:].split(".", 1)[0]
        private = first in {"10", "172", "192", "169", "127", "100", "0"}
        return private or bool(_IP_CONTEXT.search(text[max(0, start - 40) : start]))


def _unbound(pattern: str) -> str:
    """A catalogue regex without the whole-token guards the catalogue wraps around it."""
    return re.sub(r"^\(\?<!\[\\w-\]\)\(\?:(.*)\)\(\?!\[\\w\]\|-\\w\)$", r"\1", pattern)


def _context_score(text: str, match_start: int, start: int, end: int, confidence: float) -> float:
    line_start = text.rfind("\n", 0, match_start) + 1
    before = text[max(line_start, start - 60) : start]
    staying = _STAY.search(text[max(line_start, start - 25) : start])
    if not staying and _PLANNED.search(text[max(line_start, match_start - 40) : match_start]):
        return 0.0
    if _CLIENT.search(text[max(line_start, match_start - 2) : start]):
        # A VPN client's version ("GlobalProtect 6.2.1") is second to the firewall's own.
        confidence -= 0.06
    if _BOOT.search(before):
        confidence -= 0.5
    if _FROM.search(text[max(line_start, match_start - 25) : start]) or _TO_AFTER.match(
        text[end : end + 40]
    ):
        confidence -= 0.4
    sentence_end = re.search(r"[.?!\n]", text[end:])
    if sentence_end and text[end + sentence_end.start()] == "?":
        confidence -= 0.15
    return confidence
