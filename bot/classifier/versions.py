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
from bot.classifier.version_context import context_score

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
    r"R\d{2}(?:\.\d{1,2}){1,2}(?:\s+(?:JHF|Jumbo(?: Hotfix)?)?\s*Take\s+\d{1,3})?",  # R81.20
    r"[A-Z]{2}\.\d{2}\.\d{2}\.\d{4}",  # Aruba AOS-S WC.16.11.0015
    r"\d{2}\.\d\(\d{1,3}[a-z]?\)[A-Z]{1,3}\d{0,2}",  # Cisco IOS 15.2(7)E7
    r"0\d\.0\.\d{2}[a-z]{0,2}T\d{3}",  # Ruckus FastIron 09.0.10aT233
)
# A version ends at the token's end; "8.10.0.7_87894" (ArubaOS build suffix) ends before "_".
_END = r"(?:(?=_\d{3,6}\b)|(?![\w.]*\d)(?!\.\d)(?![\w]))"
_STRONG = (
    r"came with|shipped with|arrived with|booted (?:up )?(?:on|with)|"
    r"running|runs|run|currently(?: on| running)?|(?:stay|remain|stick) (?:on|with)|"
    r"we(?:'re| are) (?:now |still )?on|it(?:'s| is) "
    r"(?:now |still )?on|(?:is|are|was|were) (?:now |still )?on|still on|now on|"
    r"(?:upgraded|updated|upgrade|update|went|moved|flashed|patched)\b[^.\n\d]{0,30}?\bto"
)
_WEAK = r"version|ver\.?|firmware|f/w|fw|code|software|release|build|on"
# "FW: CPUSE upgrade to R81.20 failing" is a forwarded subject, not a firmware label.
_FORWARD_LABEL = re.compile(r"\s*(?:fw|fwd)\s*", re.IGNORECASE)
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
        models = [v.model_rx.pattern for v in catalogue.vendors if v.model_rx is not None]
        self._device = re.compile("|".join(f"(?:{m})" for m in models))
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
            (
                re.compile(
                    rf"(?<!\w)(?:{_STRONG})\s*[:=]?\s*(?:(?:{prefixes})\s*)?(?:version\s+)?{v}",
                    flags,
                ),
                0.93,
                False,
            ),
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
            if item.key == "software_version" and not _FORWARD_LABEL.fullmatch(item.label):
                match = self._value.search(item.value)
                if match and match.start() <= 30:
                    start, end = item.start + match.start(), item.start + match.end()
                    value = match.group()
                    found.append(
                        part.finding("software_version", value, 0.97, start, end, explicit=True)
                    )
        guessed: list[tuple[Finding, int]] = []
        for pattern, confidence, strict, lowered in self._sources:
            for match in pattern.finditer(part.lower if lowered else text):
                start, end = match.span("v")
                named = pattern is self._sources[1][0]  # "AOS 10.5.0.1": an OS name says version
                ip_like = _IP_CONTEXT.search(text[max(0, start - 40) : start]) if named else None
                if overlaps(spans, start, end) and (
                    strict or (self._ip_like(text, start) if not named else ip_like)
                ):
                    continue
                score = context_score(text, match.start(), start, end, confidence)
                if score > 0:
                    value = text[start:end].strip()
                    finding = part.finding("software_version", value, score, start, end)
                    guessed.append((finding, match.start()))
        if len({f.value for f, _ in guessed}) > 1:
            # Only worth the model search when versions disagree (most reports have one).
            first = self._device.search(part.lower)
            if first is not None:
                focus = _squash(first.group())
                guessed = [
                    (_lowered(f, 0.1) if self._other_device(part.lower, focus, at) else f, at)
                    for f, at in guessed
                ]
        return found + [f for f, _ in guessed]

    def _other_device(self, lower: str, focus: str, at: int) -> bool:
        """True when the version is written next to a device other than the report's first.

        "Port 14 on our FortiSwitch 124F flaps ... managed by the FortiGate 60F (FortiOS 7.2.7)":
        the first device named is the one with the fault; a version in the same clause as
        another model is that other unit's.
        """
        near = [m for m in self._device.finditer(lower, max(0, at - 90), at) if m.end() >= at - 60]
        if not near:
            return False
        name, between = _squash(near[-1].group()), lower[near[-1].end() : at]
        return name != focus and not re.search(r"[.!?;]\s|\n\s*\n", between)

    @staticmethod
    def _ip_like(text: str, start: int) -> bool:
        """An IP-shaped number is an address near address words or in a private range."""
        first = text[start:].split(".", 1)[0]
        private = first in {"10", "172", "192", "169", "127", "100", "0"}
        return private or bool(_IP_CONTEXT.search(text[max(0, start - 40) : start]))


def _lowered(finding: Finding, by: float) -> Finding:
    return Finding(finding.key, finding.value, finding.confidence - by, finding.evidence)


def _squash(model: str) -> str:
    return re.sub(r"[\s-]+", "", model)


def _unbound(pattern: str) -> str:
    """A catalogue regex without the whole-token guards the catalogue wraps around it."""
    return re.sub(r"^\(\?<!\[\\w-\]\)\(\?:(.*)\)\(\?!\[\\w\]\|-\\w\)$", r"\1", pattern)
