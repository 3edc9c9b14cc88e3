"""Which tickets are a Telegram user's own: those they wrote on from Telegram.

The one rule that keeps customers apart in the chat: ``/status``, the "which ticket?" question
and every answer are limited to these.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.tickets.actions import OPEN_STATUSES
from storage.models import Message, Ticket


def own_tickets(session: Session, user_id: int, *, open_only: bool = True) -> Sequence[Ticket]:
    wrote = select(Message.ticket_id).where(
        Message.direction == "in",
        Message.channel == "telegram",
        Message.sender == f"telegram:{user_id}",
        Message.ticket_id.is_not(None),
    )
    query = select(Ticket).where(Ticket.id.in_(wrote))
    if open_only:
        query = query.where(Ticket.status.in_(OPEN_STATUSES))
    return session.scalars(query.order_by(Ticket.created_at, Ticket.id)).all()


def own_ticket(session: Session, user_id: int, reference: str) -> Ticket | None:
    """The ticket ``reference`` if it is the user's own; None exactly as for an unknown one."""
    for ticket in own_tickets(session, user_id, open_only=False):
        if ticket.reference == reference:
            return ticket
    return None
