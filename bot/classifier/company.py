"""The customer's company: a labelled line, a legal-form suffix, a trade noun ("... Dental",
"... Housing Association"), "from X", the signature block or a chat sign-off.

Only what the text says: a company is never guessed from the email domain (corpus README).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.classifier.business import company_spans, is_company, is_generic
from bot.classifier.labelled_lines import LabelledValue
from bot.classifier.parts import Part
from bot.classifier.signoff import PLACES, looks_like_name, signature_block
from bot.classifier.tail import closing_tail, is_company_segment
from bot.classifier.types import Finding

_WORD = r"(?:[A-Z0-9][\w&'’.-]*|&|and|of|the|for|de|van)"
_SUFFIX = (
    r"(?:\(Pty\)\s*Ltd|Pty\s*Ltd|\(Pty\)\s*Limited|Ltd|Limited|plc|PLC|Inc|LLP|LLC|Group|"
    r"Holdings|CC|NPC|GmbH|BV)\.?"
)
_LEGAL = re.compile(
    rf"(?<![\w&])(?P<c>[A-Z][\w&'’.-]*(?:[ \t]+{_WORD}){{0,5}}?[ \t]+{_SUFFIX}"
    rf"(?:[ \t]+(?:\(Pty\)\s*Ltd|Ltd|Limited|plc|PLC))?)(?!\w)"
)
_FROM = re.compile(
    r"(?i:\b(?:i'm|i am|this is|it's|its|my name is)\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?\s+"
    r"(?:from|at|with|of)|\bhere\s+(?:from|at)|\bcalling\s+from|"
    r"\b(?:manager|admin\w*|director|owner|engineer|lead|head of it|it support|it)\s+(?:at|for|of)|"
    r"\b(?:work|works|working|i'm based|we're based)\s+(?:at|for)|\bon behalf of|\bwe at|"
    r"\b(?:i'm|i am|we're|we are) (?:the|an?) [a-z]+(?: [a-z]+)? (?:team )?(?:at|for|with))\s+"
    rf"(?P<c>[A-Z][\w&'’.-]*(?:[ \t]+{_WORD}){{0,4}})"
)
# "Morning, Alder & Finch here (law firm)": a greeting, then the company introducing itself
# "Mike from Brightwater here", "Hi all, Jo at Pennine Vets": a greeting, a first name, the
# company. Only where a message opens, so matched on its first few lines alone (speed).
_GREETING = (
    r"(?:^|(?i:\b(?:hi|hello|hey|morning|afternoon|evening)\b)[ \t,!]*(?i:all|team|there|guys)?"
    r"[ \t,!]*)"
)
_HERE = re.compile(
    rf"{_GREETING}(?:[A-Z][a-z]+[ \t]+(?i:from|at|@)[ \t]+)?"
    rf"(?P<c>[A-Z][\w&'’.-]*(?:[ \t]+{_WORD}){{0,4}}?)[ \t]+(?i:here)\b"
)
_INTRODUCED = re.compile(
    rf"{_GREETING}[A-Z][a-z]+[ \t]+(?i:from|at|@)[ \t]+"
    rf"(?P<c>[A-Z][\w&'’.-]*(?:[ \t]+{_WORD}){{0,4}})"
)
# "we're Alder & Finch, a law firm", "our company, Blue Crane Logistics, ..."
_WE_ARE = re.compile(
    r"(?i:\bwe(?:'re| are)|\bour (?:company|firm|business|organi[sz]ation|practice|school|charity)"
    r"(?: is| called| named)?,?)[ \t]+"
    rf"(?P<c>[A-Z][\w&'’.-]*(?:[ \t]+{_WORD}){{0,4}}?)(?=[ \t]*(?:[,(.;!]|[ \t]-[ \t]|$))",
    re.MULTILINE,
)
_TITLE = re.compile(
    r"\b(?:manager|engineer|director|officer|administrator|admin|head|lead|technician|analyst|"
    r"consultant|coordinator|co-ordinator|specialist|architect|owner|partner|ceo|cto|cio|"
    r"founder|supervisor|assistant|operations|department|principal|bursar|finance|accounts|hr|"
    r"facilities|admin)\b",
    re.IGNORECASE,
)
_CONTACTISH = re.compile(r"[@\d]|www\.|https?:|\b(?:tel|mob|cell|fax|phone)\b", re.IGNORECASE)
_ONE_WORD = re.compile(r"[A-Z][a-z]{3,}|[A-Z]{3,6}")
_TEAM = re.compile(r"(?:[ \t]+(?:IT|ICT|I\.T\.))?(?:[ \t]+(?:[Tt]eam|[Dd]ept|[Dd]epartment))?$")
_TRAILING = re.compile(r"(?:[ \t]+(?:and|of|the|for|&))+$")
_NOT_COMPANY = frozenset({"ok", "okay", "thanks", "regards", "cheers", "sent from my iphone"})


def _clean(value: str) -> str:
    value = re.split(r"\.\s(?!Ltd|Limited|\(Pty)", value, maxsplit=1)[0]
    value = _TEAM.sub("", value.strip().rstrip(".,;:"))  # "Harbour Freight IT team"
    return _TRAILING.sub("", value).strip()


def company_names(
    part: Part, labelled: Sequence[LabelledValue], vendors: frozenset[str]
) -> list[Finding]:
    """Company findings in ``part``; vendor names (Fortinet Inc) are not the customer."""
    found: list[Finding] = []
    for item in labelled:
        if item.key == "company_name":
            found.append(
                part.finding(
                    "company_name", _clean(item.value), 0.97, item.start, item.end, explicit=True
                )
            )
    text = part.text
    block = signature_block(text)
    sig_start = block.start if block else len(text)
    opening = text[:300]
    for pattern, confidence, where in (
        (_FROM, 0.85, text),
        (_INTRODUCED, 0.85, opening),
        (_LEGAL, 0.8, text),
    ):
        for match in pattern.finditer(where):
            value = _clean(match.group("c"))
            start = match.start("c")
            if value and value.split()[0].lower() not in vendors and not is_generic(value):
                bonus = 0.05 * (start >= sig_start)
                found.append(
                    part.finding(
                        "company_name", value, confidence + bonus, start, start + len(value)
                    )
                )
    for match in (*_HERE.finditer(opening), *_WE_ARE.finditer(text)):
        value = _clean(match.group("c"))
        if (
            value
            and not is_generic(value)
            and (not looks_like_name(value) or is_company(value, vendors))
        ):
            start = match.start("c")
            found.append(part.finding("company_name", value, 0.8, start, start + len(value)))
    for start, end in company_spans(text, vendors):
        confidence = 0.78 if start >= sig_start else 0.62
        found.append(part.finding("company_name", text[start:end], confidence, start, end))
    tail = closing_tail(text)
    if tail:
        for segment in tail.rest:
            if is_company_segment(segment) or re.search(_SUFFIX, segment.text):
                found.append(
                    part.finding("company_name", segment.text, 0.8, segment.start, segment.end)
                )
    if block:
        found.extend(_signature_line(part, block.start, vendors))
    return found


def _signature_line(part: Part, start: int, vendors: frozenset[str]) -> list[Finding]:
    """A plain company line in the sign-off block: after the name, not a title or address."""
    offset = start
    seen_name = False
    name_words: set[str] = set()
    after_title = False
    for line in part.text[start:].split("\n")[:7]:
        pos = offset + len(line) - len(line.lstrip())
        offset += len(line) + 1
        pieces = [p.strip() for p in re.split(r"\s*[|,]\s*", line.strip()) if p.strip()]
        if not pieces:
            continue
        if not seen_name:
            seen_name = looks_like_name(pieces[0])
            name_words.update(pieces[0].split() if seen_name else ())
            pieces = pieces[1:]
        title_line = False
        for piece in pieces:
            if set(piece.split()) & name_words and looks_like_name(piece):
                # "Dan" then "Dan Price | Kestrel Marine": the full name again, not a company
                name_words.update(piece.split())
                continue
            if _TITLE.search(piece):
                title_line = True
                continue
            if (
                after_title
                and _ONE_WORD.fullmatch(piece)
                and piece.lower() not in PLACES
                and not is_generic(piece)
                and piece.lower() not in vendors
            ):
                # "Karen Doyle / Operations Manager / Larkspur": the line under the title
                where = part.text.find(piece, pos)
                return [part.finding("company_name", piece, 0.55, where, where + len(piece))]
            if (
                _TITLE.search(piece)
                or _CONTACTISH.search(piece)
                or len(piece) > 60
                or piece.lower() in _NOT_COMPANY
                or len(piece) < 3
                or is_generic(piece)
            ):
                continue
            if piece[:1].isupper() and seen_name and (" " in piece or is_company(piece, vendors)):
                where = part.text.find(piece, pos)
                confidence = 0.7 if is_company(piece, vendors) else 0.6
                return [part.finding("company_name", piece, confidence, where, where + len(piece))]
        after_title = title_line
    return []
