"""Where the signature starts, and whether a line reads like a person's name.

Names, titles, companies and phone numbers sit in the few lines after "Kind regards,"; several
extractors read that block, so finding it is one job in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.classifier.business import COMPANY_NOUN

_SIGNOFF = re.compile(
    r"^[ \t]*(?:(?:kind|best|warm|many|warmest|with)\s+)?(?:regards|thanks|thank you|cheers|"
    r"rgds|kr|br|sincerely|yours sincerely|yours faithfully|yours truly|ta|thx|best|"
    r"thanks (?:again|in advance)|thank you in advance|speak soon|much appreciated|"
    r"appreciate (?:it|the help|your help)|ngiyabonga|siyabonga|enkosi|baie dankie|dankie|"
    r"merci|danke|groete|best wishes)\b[ \t]*[,.!]*[ \t]*(?P<rest>[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
_DASHES = re.compile(r"^(?:--|—|–)[ \t]*(?P<rest>)$", re.MULTILINE)
_PARTICLES = {"van", "der", "de", "du", "le", "la", "von", "da", "dos", "del", "den", "ter", "bin"}
_NOT_NAME = re.compile(
    r"\b(?:team|support|department|desk|dept|manager|engineer|director|officer|admin\w*|ltd|"
    r"limited|plc|inc|llp|group|pty|office|sent|mobile|iphone|android|outlook|regards|thanks|"
    r"services|solutions|systems|technologies|networks|it|ict|hello|hi|dear|please|the|"
    r"operations|ops|helpdesk|noc|manager|head|lead|technician|analyst|consultant|cheers|thx|"
    r"ta|merci|dankie|groete|danke|ngiyabonga|siyabonga|enkosi|gracias|grazie|building|house|road|street|park|forwarded|"
    r"message|original|from|subject|date|to|cc|sent|wrote|on|at|in|of|and|for|with)\b",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(
    r"^(?:[A-Z][a-zà-ÿ'’]+(?:-[A-Z][a-zà-ÿ'’]+)?|[A-Z]\.?|Mc[A-Z][a-z]+|O'[A-Z][a-z]+)$"
)


_HONORIFIC = re.compile(r"^(?:Dr|Mr|Mrs|Ms|Miss|Prof|Sir|Dame)\.?\s+(?=[A-Z])")
# Towns that close chat messages and signature lines ("Thabo Mokoena, Sandton").
PLACES = frozenset(
    [
        "london",
        "leeds",
        "manchester",
        "birmingham",
        "bristol",
        "cardiff",
        "glasgow",
        "edinburgh",
        "newcastle",
        "sheffield",
        "liverpool",
        "nottingham",
        "leicester",
        "brighton",
        "reading",
        "oxford",
        "cambridge",
        "york",
        "belfast",
        "aberdeen",
        "johannesburg",
        "joburg",
        "pretoria",
        "durban",
        "sandton",
        "centurion",
        "midrand",
        "soweto",
        "polokwane",
        "bloemfontein",
        "kimberley",
        "stellenbosch",
        "paarl",
        "george",
        "umhlanga",
        "gqeberha",
        "rustenburg",
        "nelspruit",
        "braamfontein",
        "rosebank",
        "randburg",
        "bellville",
        "pinetown",
        "ballito",
        "hermanus",
        "knysna",
        "worcester",
        "wellington",
        "hove",
    ]
)


@dataclass(frozen=True, slots=True)
class Block:
    """The signature block: offsets of its first line and the end of the usable text."""

    start: int
    end: int
    same_line: tuple[int, int] | None  # "Regards, John" → offsets of "John"


@lru_cache(maxsize=8)  # within one report only: each part is read by several extractors
def signature_block(text: str) -> Block | None:
    """The last sign-off in ``text`` and the lines after it; failing that, a closing name line.

    Many people sign with just their name (no "Regards"), so the last few lines are searched for
    one that starts with a name ("Mike Jennings, Network Technician").
    """
    matches = list(_SIGNOFF.finditer(text)) or list(_DASHES.finditer(text))
    if matches:
        match = matches[-1]
        rest = match.group("rest").strip()
        same = None
        if rest:
            start = match.start("rest")
            same = (start, start + len(match.group("rest").rstrip()))
        return Block(start=match.end(), end=len(text), same_line=same)
    lines = [m for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    for line in lines[-8:]:
        stripped = line.group().strip()
        if len(stripped) < 70 and name_prefix(stripped) and line.start() > 0:
            return Block(start=line.start(), end=len(text), same_line=None)
    return None


def looks_like_name(candidate: str) -> bool:
    """One to four capitalised words (particles like "van der" allowed), nothing else."""
    if COMPANY_NOUN.fullmatch(candidate) or candidate.lower() in PLACES:
        return False
    words = candidate.split()
    if not 1 <= len(words) <= 4 or _NOT_NAME.search(candidate):
        return False
    if any(ch.isdigit() or ch in "@:/|()" for ch in candidate):
        return False
    if len(words) == 1 and len(words[0].rstrip(".")) < 2:
        return False
    named = [w for w in words if w.lower() not in _PARTICLES]
    return bool(named) and all(_NAME_WORD.match(w) for w in named)


def name_prefix(line: str) -> str | None:
    """The leading name of a signature line like "John Smith | IT Manager", if any."""
    head = re.split(r"\s*(?:[|,–—•(]|\s-\s)\s*", line.strip(), maxsplit=1)[0].strip()
    head = _HONORIFIC.sub("", head)
    return head if looks_like_name(head) else None
