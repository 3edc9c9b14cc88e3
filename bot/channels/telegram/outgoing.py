"""Queueing a chat message about a ticket, with its buttons, in the caller's transaction.

Everything the bot says about a ticket goes through the transactional outbox (as email replies
do): it is recorded on the ticket, delivered exactly once per row, and — once sent — its
Telegram message id is recorded, so a customer replying to it lands on the ticket.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.forms.engine import Button
from bot.messages import OutboundMessage
from bot.outbox.queue import queue_outbound
from storage.models import Message, OutboxItem, Ticket

CALLBACK_PREFIX = "f:"  # callback data of form buttons: "f:skip", "f:engineer", "f:answer:P1"


def queue_chat_message(
    session: Session,
    ticket: Ticket,
    message: OutboundMessage,
    buttons: tuple[Button, ...],
    *,
    key: str,
    now: datetime,
    kind: str | None = "form",
) -> None:
    """Queue ``message``; its buttons travel in the outbox row for the deliverer to draw."""
    queue_outbound(session, ticket, message, key=key, from_address="telegram", now=now, kind=kind)
    if not buttons:
        return
    session.flush()  # the row queue_outbound added
    item = session.scalars(select(OutboxItem).where(OutboxItem.idempotency_key == key)).one()
    item.payload = {
        **item.payload,
        "buttons": [[b.label, CALLBACK_PREFIX + b.action] for b in buttons],
    }


def ticket_anchor(session: Session, ticket: Ticket) -> str | None:
    """The external id of the ticket's first Telegram message from the customer."""
    return session.scalar(
        select(Message.external_id)
        .where(
            Message.ticket_id == ticket.id,
            Message.channel == "telegram",
            Message.direction == "in",
        )
        .order_by(Message.at, Message.id)
        .limit(1)
    )
