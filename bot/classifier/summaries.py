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
_TRIED = re.compile(
    r"\b(?:tried|rebooted|restarted|reboot(?:ed|ing)? (?:it|the)|power[- ]?cycled|swapped|"
    r"reset|checked|already|reseated|re-seated|cleared|reinstalled|re-installed|rolled back|"
    r"replaced|tested|moved (?:it|the)|disabled|re-?enabled|re-?created|re-?applied|"
    r"re-?configured|factory reset|have (?:also )?(?:tried|checked))\b",
    re.IGNORECASE,
)
_MIN_WORDS = 4


def _content_sentences(part: Part) -> list[tuple[int, int]]:
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


def fault_summary(body: Part, subject: Part) -> Finding | None:
    """The first one or two sentences of the report; the subject when the body says nothing."""
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
    hits = [(s, e) for s, e in _content_sentences(body) if _TRIED.search(body.text[s:e])]
    if not hits:
        return None
    start, end = hits[0]
    value = re.sub(r"\s+", " ", body.text[start:end]).strip()
    return body.finding("diagnosis_summary", value, 0.65, start, end)
