"""What a report says about impact, read sentence by sentence: which scope is affected and in
which state, plus the report-wide signals that soften it (redundancy, management only, recovery,
workaround).

Scope and state are only combined inside one sentence (or subject line): "the whole office" and
"down" in different sentences ("the whole office knows the VPN is down") are not an outage.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from bot.classifier.parts import Part
from bot.classifier.severity_cues import (
    CENTRAL_DOWN,
    DEGRADED,
    DOWN,
    ELSE_FINE,
    MANAGEMENT,
    OUTAGE,
    PLACE_DOWN,
    RECOVERED,
    REDUNDANT,
    SCOPE_COUNT,
    SCOPE_EVERYONE,
    SCOPE_NAMED,
    SCOPE_ONE,
    SCOPE_ONLY,
    SCOPE_PART,
    SCOPE_SITE,
    WORKAROUND,
    WORKING,
)

# Sentence ends, blank lines, list items, "but" (which turns the state round) and semicolons.
_BOUNDARY = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n|\n(?=\s*(?:[-*•>]|\w[\w /]{0,24}:))|;|\bbut\b")
# A failure right after a workaround word: the workaround is what is broken.
_FAILS_AFTER = re.compile(
    r"[^.;\n]{0,30}?(?:doesn't|does not|didn't|did not|isn't|is not|won't|will not|never|fail\w*|"
    r"not (?:work|kick|take)\w*|no longer)"
)
# "neither member is passing traffic", "no longer carrying the load": not a calm report.
_NOT_WORKING = re.compile(r"(?:\bneither\b|\bnot\b|n't|\bno longer\b|\bstopped\b)[^.;,\n]{0,20}$")
_NEGATION = re.compile(r"(?:\bnot?|n't|never|without)\s+(?:\w+\s+){0,1}$")


@dataclass(frozen=True, slots=True)
class Hit:
    """The words that gave a signal: ``part.text[start:end]``."""

    part: Part
    start: int
    end: int


_CLASSES: dict[str, tuple[re.Pattern[str], bool]] = {  # name -> (words, may be negated)
    "site": (SCOPE_SITE, False),
    "everyone": (SCOPE_EVERYONE, False),
    "part": (SCOPE_PART, False),
    "count": (SCOPE_COUNT, False),
    "named": (SCOPE_NAMED, False),
    "one": (SCOPE_ONE, False),
    "only": (SCOPE_ONLY, False),
    "outage": (OUTAGE, True),
    "down": (DOWN, True),
    "degraded": (DEGRADED, True),
    "central": (CENTRAL_DOWN, False),
    "place_down": (PLACE_DOWN, False),
}


def _inside(match: re.Match[str], spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= match.start() < e for s, e in spans)


class _PartReading:
    """Per-clause first hits of each word class in one part, each class read on first use."""

    def __init__(self, part: Part) -> None:
        self.part = part
        self._starts = [0] + [m.end() for m in _BOUNDARY.finditer(part.lower)]
        self._working = [
            m
            for m in WORKING.finditer(part.lower)
            if not _NOT_WORKING.search(part.lower[max(0, m.start() - 25) : m.start()])
        ]
        self._calm = [m.span() for m in self._working]
        self._by_class: dict[str, dict[int, re.Match[str]]] = {}

    def hits(self, name: str) -> dict[int, re.Match[str]]:
        """Clause index -> first match of class ``name`` in that clause."""
        if name not in self._by_class:
            if name == "working":
                found = self._working
            else:
                pattern, negatable = _CLASSES[name]
                found = [
                    m
                    for m in pattern.finditer(self.part.lower)
                    if not _inside(m, self._calm) and not (negatable and self._negated(m))
                ]
            first: dict[int, re.Match[str]] = {}
            for match in found:
                first.setdefault(bisect_right(self._starts, match.start()) - 1, match)
            self._by_class[name] = first
        return self._by_class[name]

    def _negated(self, match: re.Match[str]) -> bool:
        before = self.part.lower[max(0, match.start() - 20) : match.start()]
        return bool(_NEGATION.search(before))

    def together(self, scopes: str, states: str, unless: str, first_wins: bool) -> Hit | None:
        """First clause holding one of ``scopes`` and one of ``states`` (space-separated class
        names) and none of ``unless`` (with ``first_wins``, none of ``unless`` before the
        scope); evidence is the state word."""
        # States first: a part with no state word needs no scope read (speed budget).
        if not any(self.hits(state) for state in states.split()):
            return None
        found: dict[int, int] = {}  # clause -> where its first scope word starts
        for scope in scopes.split():
            for clause, match in self.hits(scope).items():
                found[clause] = min(found.get(clause, match.start()), match.start())
        for other in unless.split() if found else ():
            # With first_wins, a competing scope named first is what the sentence is about:
            # "two laptops in sales", "the 3rd floor users", "one user in the boardroom".
            for clause, match in self.hits(other).items():
                if clause in found and (not first_wins or match.start() < found[clause]):
                    del found[clause]
        if not found:
            return None
        for state in states.split():
            for clause, match in sorted(self.hits(state).items()):
                if clause in found:
                    return Hit(self.part, *match.span())
        return None

    def first(self, name: str) -> Hit | None:
        hits = self.hits(name)
        return Hit(self.part, *hits[min(hits)].span()) if hits else None


class Impact:
    """The impact signals of subject, body (and a forwarded report): first evidence of each,
    or ``None``. Each is worked out on first use - most reports are decided by the first few.
    """

    def __init__(self, parts: Sequence[Part]) -> None:
        self._parts = parts
        self._readings = [_PartReading(p) for p in parts]

    def _together(
        self, scopes: str, states: str, unless: str = "", first_wins: bool = False
    ) -> Hit | None:
        return next(
            (h for r in self._readings if (h := r.together(scopes, states, unless, first_wins))),
            None,
        )

    def _first(self, name: str) -> Hit | None:
        return next((h for r in self._readings if (h := r.first(name))), None)

    def _search(self, pattern: re.Pattern[str]) -> Hit | None:
        for part in self._parts:
            match = pattern.search(part.lower)
            if match:
                return Hit(part, *match.span())
        return None

    @cached_property
    def site_down(self) -> Hit | None:
        """A whole site, or everyone at it, without service. A floor or a wing named in the
        same sentence makes it a small area instead."""
        return (
            self._first("place_down")
            or self._together("site", "outage down", "part one")
            or self._together("everyone", "outage", "part one")
        )

    @cached_property
    def site_degraded(self) -> Hit | None:
        """A whole site, or everyone, with a degraded service."""
        return self._together("site everyone", "degraded", "part one")

    @cached_property
    def part_down(self) -> Hit | None:
        """A floor, wing, department, named place or some users affected; or everyone unable
        to do one thing (which is a service affected, not the site down)."""
        return self.part_named_down or self._together(
            "named everyone", "outage down degraded", "one"
        )

    @cached_property
    def part_named_down(self) -> Hit | None:
        """A floor, wing, department or some users named as affected (not just a place that
        says where the broken thing goes)."""
        return self._together("part count", "outage down degraded", "one", first_wins=True)

    @cached_property
    def individual(self) -> Hit | None:
        """One user, a few people, one device affected."""
        return self._together("one", "outage down degraded", "part", first_wins=True)

    @cached_property
    def central_down(self) -> Hit | None:
        """The core, the firewall or the main router down."""
        return self._first("central")

    @cached_property
    def fault(self) -> Hit | None:
        """Something is down or degraded, scope unknown."""
        return self._first("outage") or self._first("down") or self._first("degraded")

    @cached_property
    def degraded(self) -> Hit | None:
        """Something works badly (slow, dropping, flapping), scope unknown."""
        return self._first("degraded")

    @cached_property
    def working(self) -> Hit | None:
        """Service said to be unaffected ("no impact", "still passing traffic")."""
        return self._first("working")

    @cached_property
    def else_fine(self) -> Hit | None:
        """ "Everyone else is fine": something, but not everything, is affected."""
        return self._search(ELSE_FINE)

    @cached_property
    def redundant(self) -> Hit | None:
        """A redundant part (PSU, fan, HA member, backup link) is involved."""
        return self._search(REDUNDANT)

    @cached_property
    def management(self) -> Hit | None:
        """Only management, monitoring or alerts are affected."""
        return self._search(MANAGEMENT)

    @cached_property
    def recovered(self) -> Hit | None:
        """The outage is over (or lasted minutes)."""
        return self._search(RECOVERED)

    @cached_property
    def workaround(self) -> Hit | None:
        """A way round the fault in use now - not the backup that is itself failing ("the LTE
        backup doesn't take over")."""
        for part in self._parts:
            for match in WORKAROUND.finditer(part.lower):
                after = part.lower[match.end() : match.end() + 40]
                if not _FAILS_AFTER.match(after):
                    return Hit(part, *match.span())
        return None

    @cached_property
    def only_one(self) -> Hit | None:
        """The report says outright that one user or device (or a few) is all that is
        affected, anywhere in it: "only the printer was on it", "it's just me"."""
        return self._first("only")
