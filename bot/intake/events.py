"""Writing the audit trail: one helper so every event has the same shape."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from storage.models import Event, Ticket


def add_event(
    session: Session, ticket: Ticket | None, kind: str, actor: str, at: datetime, **detail: object
) -> Event:
    event = Event(
        ticket_id=ticket.id if ticket else None, at=at, kind=kind, actor=actor, detail=detail
    )
    session.add(event)
    return event
