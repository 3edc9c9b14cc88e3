"""Queueing an outbound message: its message row and outbox row, in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.intake.events import add_event
from bot.messages import OutboundMessage
from storage.models import Event, Message, OutboxItem, Ticket


def queue_outbound(
    session: Session,
    ticket: Ticket,
    reply: OutboundMessage,
    *,
    key: str,
    from_address: str,
    now: datetime,
    kind: str | None,
) -> None:
    """Record ``reply`` for delivery; ``key`` makes a repeated call deliver nothing twice."""
    row = Message(
        ticket_id=ticket.id,
        direction="out",
        channel=reply.channel,
        mailbox="outbound",
        external_id=reply.message_id or key,
        in_reply_to=reply.in_reply_to,
        references=" ".join(reply.references) or None,
        thread_key=reply.thread_key,
        subject=reply.subject,
        sender=from_address,
        recipients=reply.to_address,
        at=now,
        text_full=reply.text,
        text_reply=reply.text,
        automatic=reply.auto_generated,
    )
    session.add(row)
    session.flush()
    payload = {
        "to": reply.to_address,
        "to_name": reply.to_name,
        "subject": reply.subject,
        "text": reply.text,
        "message_id": reply.message_id,
        "in_reply_to": reply.in_reply_to,
        "references": list(reply.references),
        "thread_key": reply.thread_key,
        "auto_generated": reply.auto_generated,
    }
    session.add(
        OutboxItem(
            idempotency_key=key,
            ticket_id=ticket.id,
            message_id=row.id,
            channel=reply.channel,
            payload=payload,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
    )
    if not reply.auto_generated and not _has_event(session, ticket.id, "first_human_response"):
        # The acknowledgement is the desk's response; the first engineer's reply is tracked too.
        add_event(session, ticket, "first_human_response", from_address, now, channel=reply.channel)
    add_event(
        session,
        ticket,
        "reply_queued",
        "system",
        now,
        reply_kind=kind,
        to=reply.to_address,
        message_id=reply.message_id,
    )


def _has_event(session: Session, ticket_id: int, kind: str) -> bool:
    found = session.scalar(
        select(Event.id).where(Event.ticket_id == ticket_id, Event.kind == kind).limit(1)
    )
    return found is not None
