"""Fault and diagnosis summaries: the customer's own first sentences about the problem, and the
sentences saying what they already tried.

Both are presence-scored, so the job is to pick real sentences (not greetings, labelled lines or
the signature) and to say nothing when the report holds no fault or question at all.
"""

from __future__ import annotations

import re

from bot.classifier.labelled_lines import labelled_values
from bot.classifier.parts import Part
from bot.classifier.signoff import signature_block
from bot.classifier.types import Finding

_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening|day)|morning|afternoon|"
    r"greetings|howzit|hiya)\b[^\n.!?]{0,40}[,!.]?\s*$",
    re.IGNORECASE,
)
_PLEASANTRY = re.compile(
    r"^\s*(?:hope (?:you|this)|i hope|thanks?|thank you|many thanks|please (?:see|find) "
    r"(?:below|attached)|see below)\b",
    re.IGNORECASE,
)
_ACTIONS = (
    r"tried|try(?:ing)?|rebooted|restarted|reboot(?:ed|ing)? (?:it|the)|power[- ]?cycled|"
    r"swapped|reset|checked|reseated|re-seated|cleared|reinstalled|re-installed|rolled back|"
    r"replaced the|tested|moved (?:her|him|it|them|the \w+|\w+'s \w+) (?:to|onto)|disabled|"
    r"re-?enabled|re-?created|recreated|re-?applied|re-?configured|flushed|bounced|"
    r"plugged (?:it|them)|unplugged|deleted|ran|compared|collected|confirmed|verified|"
    r"increased|decreased|lowered|removed|turned (?:it )?off|off and on|pulled the power|"
    r"factory reset|cleaned|re-?patched|forced|re-?imported|re-?registered|de-?registered|"
    r"new (?:patch )?(?:lead|cable)|another (?:cable|socket|port|pdu)|looked (?:at|in)|"
    r"(?:upgraded|updated|changed)\b[^.]{0,40}\bas (?:you )?(?:advised|suggested)|"
    r"as a (?:work-?around|stop-?gap)|work-?around|stop-?gap|show [a-z][\w-]+|cpstat|"
    r"ping(?:ed)?|traceroute|tracert|debug|diag(?:nose)?|packet capture|pcap|speed ?test|"
    r"(?:event |system |traffic )?logs? (?:shows?|says|excerpt)|in the (?:event )?logs?|"
    r"(?:we|i) (?:can|could) see|dashboard shows"
)
_TRIED = re.compile(rf"\b(?:{_ACTIONS})\b", re.IGNORECASE)
# The device doing something by itself is the fault, not a diagnosis ("it rebooted 4 times").
_BY_ITSELF = re.compile(
    r"\b(?:rebooted|restarted|reset)\s+(?:itself|by itself|on its own|\d+ times|twice "
    r"(?:overnight|this|last)|randomly|every)|\b(?:it|unit|switch|firewall|router|ap|keeps|kept|"
    r"has|have been)\s+(?:rebooted|restarted|reset)\b",
    re.IGNORECASE,
)
_NEGATED = re.compile(
    rf"\b(?:not|n't|never|haven't|hasn't|havent|no one has)\s+(?:\w+\s+)?(?:{_ACTIONS})\b",
    re.IGNORECASE,
)
_MIN_WORDS = 4


def _content_sentences(part: Part, min_words: int = _MIN_WORDS) -> list[tuple[int, int]]:
    """Offsets of the sentences that carry the report, in order."""
    text = part.text
    block = signature_block(text)
    limit = block.start if block else len(text)
    skipped = [(v.start, v.end) for v in labelled_values(text)]
    spans: list[tuple[int, int]] = []
    for sent in part.doc.sents:
        start, end = sent.start_char, sent.end_char
        if start >= limit:
            break
        chunk = text[start : min(end, limit)]
        for piece in re.finditer(r"[^\n]+", chunk):
            s, e = start + piece.start(), start + piece.end()
            line = text[s:e].strip()
            if (
                len(line.split()) < _MIN_WORDS
                or _GREETING.match(line)
                or _PLEASANTRY.match(line)
                or any(a <= e and s <= b for a, b in skipped)
            ):
                continue
            spans.append((s, e))
    return spans


def _labelled(part: Part, key: str) -> Finding | None:
    """A ``Problem: ...`` / ``Tried: ...`` line: the customer's own summary."""
    for item in labelled_values(part.text):
        if item.key == key and len(item.value.split()) >= 2:
            return part.finding(item.key, item.value, 0.9, item.start, item.end, explicit=True)
    return None


def fault_summary(body: Part, subject: Part) -> Finding | None:
    """The first one or two sentences of the report; the subject when the body says nothing."""
    labelled = _labelled(body, "fault_summary")
    if labelled:
        return labelled
    spans = _content_sentences(body)
    if spans:
        start, end = spans[0]
        if end - start < 60 and len(spans) > 1:
            end = spans[1][1]
        value = re.sub(r"\s+", " ", body.text[start:end]).strip()
        return body.finding("fault_summary", value, 0.7, start, end)
    clean = re.sub(r"^\s*(?:(?:re|fw|fwd|aw)\s*:\s*)+", "", subject.text, flags=re.IGNORECASE)
    if len(clean.split()) >= 3:
        start = subject.text.find(clean)
        return subject.finding("fault_summary", clean.strip(), 0.5, start, start + len(clean))
    return None


def diagnosis_summary(body: Part) -> Finding | None:
    """The sentences saying what the customer already tried, if any."""
    labelled = _labelled(body, "diagnosis_summary")
    if labelled:
        return labelled
    hits = [
        (s, e)
        for s, e in _content_sentences(body, min_words=2)
        if _TRIED.search(body.text[s:e])
        and not _NEGATED.search(body.text[s:e])
        and not _BY_ITSELF.search(body.text[s:e])
        and not body.text[s:e].rstrip().endswith("?")
    ]
    if not hits:
        return None
    start, end = hits[0]
    value = re.sub(r"\s+", " ", body.text[start:end]).strip()
    return body.finding("diagnosis_summary", value, 0.65, start, end)
