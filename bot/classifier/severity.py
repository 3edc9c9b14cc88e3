"""The desk's priority (P1–P4) from what the report says about impact, and the customer's own
claim (``stated_severity``), which is kept but never taken as the assessment.

The desk's definitions, applied to the signals of :mod:`bot.classifier.severity_features`: a
query is P4; a whole site, everyone, or the core/firewall/the site's WAN line without service is
P1 (unless it is already back, or the report says nothing is affected); a report that says
nothing is affected is P3; one user or a few is P3 (said in the same sentence as the fault, or -
with no floor, department or site named as affected - anywhere in the report); a small area down
or a whole site degraded is P2; a redundant part or management-only fault is P3 unless the
service itself works badly; any other fault is P2. A stated workaround lowers the level by one,
except where the report already says nothing is affected (the workaround is what keeps it so);
a "backup" that is itself failing is no workaround. Shouting is not evidence: it only becomes
``stated_severity``.

A learned model over the same signals was tried: 5x5-fold cross-validation on the dev split gave
0.83 accuracy (0.88 with this rule's level as an input) against 0.89 for the rules alone (a
figure measured on the rules' own tuning data), so none is shipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.classifier.parts import Part
from bot.classifier.severity_features import Hit, Impact
from bot.classifier.types import Finding

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


def _base(f: Impact, fault_type: str) -> tuple[str, Hit | None, float, bool]:
    """Level before any workaround, the deciding hit, confidence, and whether one may apply."""
    if fault_type == "query" and f.site_down is None:
        return "P4", None, 0.7, False
    if f.site_down and not f.recovered:
        return "P1", f.site_down, 0.75, True
    # The box everything passes through is down, and no partner took over. (Signals are read
    # lazily: keep the cheap, decisive test first.)
    if f.central_down and not (
        f.recovered or f.individual or f.working or (f.redundant and f.else_fine)
    ):
        return "P1", f.central_down, 0.65, True
    if f.working:
        return "P3", f.working, 0.7, False
    if f.individual and not (f.part_down or f.site_degraded):
        return "P3", f.individual, 0.65, True
    if f.only_one and f.else_fine and not (f.part_named_down or f.site_degraded):
        # "It's just me affected, the office is fine": the place named is only where the
        # broken thing connects to.
        return "P3", f.only_one, 0.55, True
    small = f.part_down or f.site_degraded or f.site_down
    if small:
        return "P2", small, 0.6, True
    # A redundant part or the monitoring named beside a service that works badly ("the HA
    # cluster keeps dropping tunnels") is not what softens it: only a healthy partner is.
    calm = f.else_fine or (None if f.degraded else (f.management or f.redundant))
    if calm:
        # Something is wrong, the rest is fine and no area is named: a single thing affected.
        return "P3", calm, 0.5, f.else_fine is not None
    if f.only_one and f.fault:
        # The state and "only the printer was on it" in different sentences: still one device.
        return "P3", f.only_one, 0.5, True
    fault = f.fault
    return ("P2", fault, 0.45, True) if fault else ("P3", None, 0.4, True)


def assess_severity(parts: Sequence[Part], fault_type: str) -> Finding:
    """The desk's priority with the span that decided it."""
    impact = Impact(parts)
    level, hit, confidence, lowerable = _base(impact, fault_type)
    if lowerable and impact.workaround and level != "P4":
        level = _LEVELS[_LEVELS.index(level) + 1]
        hit = impact.workaround
    if hit is None:
        return Finding("severity", level, confidence, None)
    return hit.part.finding("severity", level, confidence, hit.start, hit.end)


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
