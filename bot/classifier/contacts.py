"""Who to call back: the contact's name and email address.

A name the customer gives for the callback ("please contact Mary Jones on ...") beats the
sign-off, which beats the sender's display name (the fallback, evidence source ``sender``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.classifier.labelled_lines import LabelledValue
from bot.classifier.parts import Part
from bot.classifier.signoff import looks_like_name, name_prefix, signature_block
from bot.classifier.tail import closing_tail
from bot.classifier.types import Evidence, Finding, Sender

_NAME = r"[A-Z][\w'’-]+(?:[ \t]+(?:(?:van|der|de|du|le|von|da)[ \t]+)*[A-Z][\w'’-]+){0,2}"
_STATED_NAME = re.compile(
    r"(?i:\b(?:please\s+)?(?:contact|call|ring|ask for|speak to|get hold of|reach|deal with))\s+"
    # "call our support lead, Sizwe Nkosi, on ..."
    r"(?:(?:our|my|the|their)\s+(?:[a-z]+\s+){0,3}?[a-z]+,?\s+)?"
    rf"(?P<n>{_NAME})\s*(?i:on\b|at\b|directly|direct\b|via\b|who\b|\(|[-–.,;!]|\d|\+|rather|$)"
    # "See below from Josh. Please can you pick this up with him directly."
    rf"|(?i:\bbelow from)\s+(?P<f>{_NAME})(?=[^\n]{{0,120}}(?i:with (?:him|her|them) directly|"
    r"(?:contact|call) (?:him|her|them)))"
    rf"|(?i:\bmy name is|\bmy name's|\bthis is|\bi am|\bi'm|\bit's|\bits)\s+(?P<m>{_NAME})"
    r"(?=\s+(?i:from|at|with|of|here)\b|\s*[,.]|\s*$)",
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?<!\.)")
_EMAIL_CUE = re.compile(
    r"(?:contact|email|e-mail|mail|reach|reply|write to|cc)\b[^\n@]{0,30}$", re.IGNORECASE
)
_ROLE_ADDRESS = re.compile(r"^(?:no-?reply|donotreply|support|helpdesk|servicedesk|alerts?)@")


def contact_names(part: Part, labelled: Sequence[LabelledValue], sender: Sender) -> list[Finding]:
    """Name findings: labelled, stated for the callback, or the sign-off name."""
    found: list[Finding] = []
    for item in labelled:
        if item.key == "contact_name":
            name = name_prefix(item.value)
            if name:
                found.append(
                    part.finding(
                        "contact_name",
                        name,
                        0.97,
                        item.start,
                        item.start + len(name),
                        explicit=True,
                    )
                )
    text = part.text
    for match in _STATED_NAME.finditer(text):
        group = next(g for g in ("n", "m", "f") if match.group(g))
        candidate = match.group(group)
        words = candidate.split()
        while words and not looks_like_name(" ".join(words)):
            words.pop()
        if words:
            name = " ".join(words)
            start = match.start(group)
            found.append(part.finding("contact_name", name, 0.9, start, start + len(name)))
    block = signature_block(text)
    if block:
        found.extend(_signoff_name(part, block.start, block.same_line, sender))
    tail = closing_tail(text)
    if tail and not block:
        value = _fuller(tail.name.text, sender)
        found.append(part.finding("contact_name", value, 0.8, tail.name.start, tail.name.end))
    return found


def _signoff_name(
    part: Part, start: int, same_line: tuple[int, int] | None, sender: Sender
) -> list[Finding]:
    text = part.text
    candidates: list[tuple[int, str]] = []
    if same_line:
        candidates.append((same_line[0], text[same_line[0] : same_line[1]]))
    offset = start
    for line in text[start:].split("\n")[:4]:
        if line.strip():
            candidates.append((offset + len(line) - len(line.lstrip()), line))
        offset += len(line) + 1
    for pos, line in candidates[:2]:
        name = name_prefix(line)
        if name:
            value = _fuller(name, sender)
            return [part.finding("contact_name", value, 0.85, pos, pos + len(name))]
    return []


def _fuller(name: str, sender: Sender) -> str:
    """A bare first name in the sign-off, completed from the sender's display name."""
    if " " in name or not sender.name:
        return name
    display = sender.name.strip().strip('"')
    if "," in display:  # "Smith, John" as some directories write it
        last, first = (p.strip() for p in display.split(",", 1))
        display = f"{first} {last}"
    return display if display.split()[0].lower() == name.lower() else name


def sender_name(sender: Sender) -> Finding | None:
    """The sender's display name, as a low-confidence fallback."""
    if not sender.name or not looks_like_name(_fuller(sender.name, sender)):
        return None
    value = _fuller(sender.name, sender)
    evidence = Evidence(source="sender", start=0, end=len(sender.name), text=sender.name)
    return Finding("contact_name", value, 0.6, evidence)


def contact_emails(part: Part, labelled: Sequence[LabelledValue]) -> list[Finding]:
    """Email findings: labelled or cued addresses high, any other address low."""
    found: list[Finding] = []
    text = part.text
    for match in _EMAIL.finditer(text):
        value = match.group().lower()
        if _ROLE_ADDRESS.match(value):
            continue
        line_start = text.rfind("\n", 0, match.start()) + 1
        before = text[max(line_start, match.start() - 40) : match.start()]
        is_labelled = any(
            i.key == "contact_email" and i.start <= match.start() < i.end for i in labelled
        )
        confidence = 0.95 if is_labelled or _EMAIL_CUE.search(before) else 0.65
        found.append(
            part.finding("contact_email", value, confidence, *match.span(), explicit=is_labelled)
        )
    return found


def sender_email(sender: Sender) -> Finding | None:
    """The sender's address: the callback address unless the text names another."""
    if not sender.email:
        return None
    value = sender.email.lower()
    evidence = Evidence(source="sender", start=0, end=len(value), text=sender.email)
    return Finding("contact_email", value, 0.7, evidence)


_FROM_HEADER = re.compile(
    r"^[ \t>]*From:[ \t]*\"?(?P<name>[^<\"\n]+?)\"?[ \t]*<(?P<addr>[^>\s]+)>",
    re.MULTILINE | re.IGNORECASE,
)


def handed_over(quoted: Part, name: str) -> tuple[Finding, Finding] | None:
    """Full name and address of the person the sender hands the case to ("contact Naveen").

    Forwarding mails name the colleague by first name and the quoted ``From:`` header has the
    rest: the desk calls back the person with the problem, not the forwarder.
    """
    first = name.split()[0].lower()
    for match in _FROM_HEADER.finditer(quoted.text):
        full = match.group("name").strip()
        if full.split() and full.split()[0].lower() == first and looks_like_name(full):
            start, end = match.span("name")
            a_start, a_end = match.span("addr")
            return (
                quoted.finding("contact_name", full, 0.9, start, end),
                quoted.finding("contact_email", match.group("addr").lower(), 0.85, a_start, a_end),
            )
    return None
