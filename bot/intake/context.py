"""What the intake steps share while one message is processed, inside one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from bot.channels.email.message_id import MessageIdSigner
from bot.classifier.types import Extraction, Extractor
from bot.config import Config
from bot.contracts.entitlement import Entitlement
from bot.messages import InboundMessage, OutboundMessage
from bot.references import ReferenceFormat
from storage.attachments import AttachmentStore
from storage.models import Attachment, FieldValue, Message, RawMessage, Ticket


@dataclass(frozen=True, slots=True)
class IntakeDeps:
    """Long-lived collaborators, built once per process."""

    config: Config
    extractor: Extractor
    attachments: AttachmentStore
    signer: MessageIdSigner
    references: ReferenceFormat
    clock: Callable[[], datetime]


@dataclass(slots=True)
class IntakeContext:
    """Mutable state of one message's trip through the pipeline."""

    deps: IntakeDeps
    session: Session
    inbound: InboundMessage
    raw: RawMessage | None = None
    now: datetime = field(default=None)  # type: ignore[assignment]  # set by the runner
    screened_reason: str | None = None
    reused_message_id: str | None = None  # the sender reused a Message-ID for new content
    ticket: Ticket | None = None
    linked_ticket: Ticket | None = None
    new_ticket: bool = False
    message: Message | None = None
    attachments: list[Attachment] = field(default_factory=list)
    extraction: Extraction | None = None
    # The ticket's current field values, loaded once by merge and kept up to date by later steps.
    current: dict[str, FieldValue] | None = None
    new_fields: list[str] = field(default_factory=list)  # keys that gained a value this time
    conflicts: list[str] = field(default_factory=list)
    missing_before: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    asked_optional: list[str] = field(default_factory=list)
    entitlement: Entitlement | None = None
    escalated_to: str | None = None  # the support line the customer's request moved it to
    reply_kind: str | None = None  # acknowledge | progress | complete | None
    replies: list[OutboundMessage] = field(default_factory=list)
    outcome: str = ""


def current_values(ctx: IntakeContext) -> dict[str, FieldValue]:
    """The ticket's current field values: from the context when merge has loaded them."""
    if ctx.current is None:
        from storage import repositories as repo

        assert ctx.ticket is not None
        ctx.current = repo.current_field_values(ctx.session, ctx.ticket.id)
    return ctx.current


class StopIntake(Exception):  # noqa: N818 - a control signal, not an error
    """Raised by a step to end intake for this message; the runner alone catches it."""

    def __init__(self, outcome: str, status: str = "processed") -> None:
        super().__init__(outcome)
        self.outcome = outcome
        self.status = status
