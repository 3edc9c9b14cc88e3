"""One input text (subject, body or quoted history) prepared once for every extractor.

Extractors work on :class:`Part` so that every value they return carries evidence: the source
name and character offsets into exactly the string the caller passed in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

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


@dataclass(slots=True)
class Part:
    """A text the report consists of; ``text`` is cut before any legal disclaimer.

    The spaCy ``doc`` is made on first use: quoted history is often never needed, and
    tokenising it would cost a third of the extraction time.
    """

    source: TextSource
    text: str
    nlp: Callable[[str], Doc]
    _doc: Doc | None = field(default=None, repr=False)
    _lower: str | None = field(default=None, repr=False)

    @property
    def lower(self) -> str:
        """``text`` lower-cased with offsets unchanged, for case-free patterns.

        Lower-case patterns on lower-cased text run several times faster than
        ``re.IGNORECASE`` on the original.
        """
        if self._lower is None:
            self._lower = lower_same_length(self.text)
        return self._lower

    @property
    def doc(self) -> Doc:
        """The processed text (tokens, sentences), made once."""
        if self._doc is None:
            self._doc = self.nlp(self.text)
        return self._doc

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


def lower_same_length(text: str) -> str:
    """``text.lower()``, keeping any character whose lower case is longer (offsets stay exact)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def usable_end(text: str) -> int:
    """Offset where the customer's own words end (the first disclaimer line), else ``len``."""
    match = _DISCLAIMER.search(text)
    return match.start() if match else len(text)
