"""The classifier's contract: what extraction returns, with evidence, for the rest of the bot.

Callers (the intake pipeline, ``intake-bot extract``) depend only on these types and on
:class:`Extractor`; the implementation behind them may change freely.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol

from bot.fields import FieldKey

TextSource = Literal["subject", "body", "quoted", "sender"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a value came from: offsets into the named input text, and the span itself."""

    source: TextSource
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One extracted value.

    ``explicit`` is true when the customer wrote the value as a labelled line
    ("Serial: FGT60F..." or "S/N FGT60F..."), which the merge step trusts over a guess.
    """

    key: FieldKey
    value: str
    confidence: float
    evidence: Evidence | None
    explicit: bool = False


@dataclass(frozen=True, slots=True)
class Sender:
    """What the channel knows about who wrote the report (email From, Telegram user)."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class ReportText:
    """The text of one inbound report, split the way extraction needs it.

    ``body`` is the customer's new text (reply plus signature, quoted history removed);
    ``quoted`` is the history, used only for values the new text does not state itself.
    """

    body: str
    subject: str = ""
    quoted: str = ""
    sender: Sender = field(default_factory=Sender)


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extraction found in one report: at most one finding per field key.

    ``severity`` and ``fault_type`` are always present (assessed), as findings keyed
    ``"severity"`` (``P1``..``P4``) and ``"fault_type"`` (``hardware|software|query``).
    """

    findings: Mapping[FieldKey, Finding]

    def value(self, key: FieldKey) -> str | None:
        found = self.findings.get(key)
        return found.value if found else None


class Extractor(Protocol):
    """Turns a report's text into findings. Pure: no I/O, no storage, no channels."""

    def extract(self, report: ReportText) -> Extraction: ...
