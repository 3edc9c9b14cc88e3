"""The desk's priority (P1–P4) from what the report says about impact, and the customer's own
claim (``stated_severity``), which is kept but never taken as the assessment.

Rules in the desk's order: a query is P4; "nothing is down" or a single user is P3; the whole
site or every user down is P1; a degraded service or a small area down is P2. A stated
workaround lowers the level by one (not for P3s that were never service affecting).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.classifier.parts import Part
from bot.classifier.severity_cues import (
    ELSE_FINE,
    INDIVIDUAL,
    NOT_AFFECTING,
    PARTIAL,
    SITE_DOWN,
    WORKAROUND,
)
from bot.classifier.types import Finding

_NEGATED = re.compile(r"(?:\bnot?|n't|never|nobody|without)\s+(?:\w+\s+){0,2}$")
_FAULT = re.compile(
    r"\b(?:down|dead|failed|failing|not working|won't|can't|cannot|unable|no link|stopped|"
    r"offline|broken|error|crash\w*|lost|no longer|any ?more|(?:don't|doesn't|do not|does not) "
    r"(?:work|give|get|connect))\b",
    re.IGNORECASE,
)
STATED = re.compile(
    r"(?<![\w-])(?:not (?:urgent|critical)|no rush|(?:very |extremely )?(?:high|low|medium|top) "
    r"prio(?:rity)?|urgent(?:ly)?|critical(?! (?:software|error|exception|alarm|alert|general|"
    r"process|failure|vulnerabilit\w*|update|patch)\b)|P[1-4](?! (?:licen[cs]e|->|to P))|"
    r"priority\s*[1-4]|sev(?:erity)?\s*[1-4]|asap|emergency|business[- ]critical|"
    r"whenever you (?:get|have) a (?:chance|moment)|when you get a (?:chance|moment)|"
    r"as soon as possible)(?![\w-])",
    re.IGNORECASE,
)
_PRIORITY_LINE = re.compile(
    r"^[ \t]*(?:priority|severity|urgency|impact)[ \t]*[:=-][ \t]*(?P<v>[^\n]{1,30}?)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_LEVELS = ("P1", "P2", "P3", "P4")
Hit = tuple[Part, re.Match[str]]


def _first(parts: Sequence[Part], pattern: re.Pattern[str]) -> Hit | None:
    for part in parts:
        for match in pattern.finditer(part.lower):
            before = part.lower[max(0, match.start() - 25) : match.start()]
            if not _NEGATED.search(before) or pattern in (NOT_AFFECTING, ELSE_FINE):
                return part, match
    return None


def _base(parts: Sequence[Part], fault_type: str) -> tuple[str, Hit | None, float, bool]:
    """Level before any workaround, the deciding hit, confidence, and whether one may apply."""
    site, partial = _first(parts, SITE_DOWN), _first(parts, PARTIAL)
    calm, single = _first(parts, NOT_AFFECTING), _first(parts, INDIVIDUAL)
    if fault_type == "query" and site is None:
        return "P4", None, 0.7, False
    if calm and not site:
        return "P3", calm, 0.7, False
    if single and not site:
        return "P3", single, 0.65, True
    rest_fine = _first(parts, ELSE_FINE)
    if rest_fine and not site and not partial:
        return "P3", rest_fine, 0.6, False
    if site:
        return "P1", site, 0.7, True
    if partial:
        return "P2", partial, 0.6, True
    fault = _first(parts, _FAULT)
    return ("P2", fault, 0.45, True) if fault else ("P3", None, 0.4, True)


def assess_severity(parts: Sequence[Part], fault_type: str) -> Finding:
    """The desk's priority with the span that decided it."""
    level, hit, confidence, lowerable = _base(parts, fault_type)
    workaround = _first(parts, WORKAROUND) if lowerable else None
    if workaround and level != "P4":
        level = _LEVELS[_LEVELS.index(level) + 1]
        hit = workaround
    if hit is None:
        return Finding("severity", level, confidence, None)
    part, match = hit
    return part.finding("severity", level, confidence, *match.span())


def stated_severity(parts: Sequence[Part]) -> Finding | None:
    """What the customer claimed ("URGENT", "P1", "Priority: High"), as written."""
    for part in parts:
        line = _PRIORITY_LINE.search(part.text)
        if line:
            start, end = line.span("v")
            return part.finding("stated_severity", line.group("v"), 0.9, start, end, explicit=True)
    for part in parts:
        match = STATED.search(part.text)
        if match:
            return part.finding("stated_severity", match.group(), 0.85, *match.span())
    return None
