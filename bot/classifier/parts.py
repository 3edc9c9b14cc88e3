"""One input text (subject, body or quoted history) prepared once for every extractor.

Extractors work on :class:`Part` so that every value they return carries evidence: the source
name and character offsets into exactly the string the caller passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from bot.classifier.types import Evidence, Finding, TextSource
from bot.fields import FieldKey

# Legal disclaimers and confidentiality footers repeat other companies' names, addresses and
# phone numbers; nothing after their first line is the customer speaking.
_DISCLAIMER = re.compile(
    r"^[ \t>*_-]*(?:disclaimer\b|confidentiality notice|this (?:e-?mail|message|communication)"
    r"(?: and any (?:files|attachments?)[^\n]*)? (?:is|are|may be|contains?|and any)\b"
    r"|the information (?:contained )?in this (?:e-?mail|message)"
    r"|(?:please )?consider the environment before printing"
    r"|registered (?:in|office)\b[^\n]{0,40}(?:england|wales|south africa|company)"
    r"|company registration (?:no|number))",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class Part:
    """A text the report consists of; ``text`` is cut before any legal disclaimer."""

    source: TextSource
    text: str
    doc: Doc

    def evidence(self, start: int, end: int) -> Evidence:
        """Evidence for ``text[start:end]`` of this part."""
        return Evidence(source=self.source, start=start, end=end, text=self.text[start:end])

    def finding(
        self,
        key: FieldKey,
        value: str,
        confidence: float,
        start: int,
        end: int,
        *,
        explicit: bool = False,
    ) -> Finding:
        """A finding whose evidence is ``text[start:end]`` of this part."""
        return Finding(
            key=key,
            value=value,
            confidence=confidence,
            evidence=self.evidence(start, end),
            explicit=explicit,
        )


def usable_end(text: str) -> int:
    """Offset where the customer's own words end (the first disclaimer line), else ``len``."""
    match = _DISCLAIMER.search(text)
    return match.start() if match else len(text)


def line_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end offsets of the line containing ``pos``."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)
