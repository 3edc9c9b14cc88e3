"""Which open tickets are at risk of missing their resolution target, or have missed it.

"At risk": a fraction of the target's business time used (``[sla] warn_at``, default 75%);
"breached": past the due time. Time spent waiting for the customer's missing details (status
``waiting_customer``) does not count against the desk: the due time moves out by it. The
response target is met by the acknowledgement itself (the desk's rule), so it is not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.sla.calendar import BusinessCalendar
from storage.models import Event, Ticket

OPEN_STATUSES = ("new", "waiting_customer", "open")


@dataclass(frozen=True, slots=True)
class SlaState:
    reference: str
    priority: str
    status: str
    due_at: datetime  # resolution due, moved out by the time spent waiting for the customer
    used: float  # fraction of the target's business time used
    left: timedelta  # business time left (negative: overdue)
    warn_at: float = 0.75

    @property
    def state(self) -> str:
        if self.left < timedelta(0):
            return "breached"
        return "at risk" if self.used >= self.warn_at else "on track"


def sla_states(
    session: Session, calendar: BusinessCalendar, now: datetime, warn_at: float = 0.75
) -> list[SlaState]:
    tickets = session.scalars(
        select(Ticket).where(
            Ticket.status.in_(OPEN_STATUSES), Ticket.resolution_due_at.is_not(None)
        )
    ).all()
    states = [_state(session, calendar, t, now, warn_at) for t in tickets]
    return sorted(states, key=lambda s: s.left)


def _state(
    session: Session, calendar: BusinessCalendar, t: Ticket, now: datetime, warn_at: float
) -> SlaState:
    assert t.resolution_due_at is not None
    waited = _waiting_time(session, calendar, t, now)
    due = calendar.add(t.resolution_due_at, waited) if waited else t.resolution_due_at
    target = calendar.between(t.created_at, t.resolution_due_at)
    used = calendar.between(t.created_at, now) - waited
    if now < due:
        left = calendar.between(now, due)
    else:
        left = -calendar.between(due, now) or timedelta(seconds=-1)
    fraction = min(used / target, 1.0) if target else 1.0
    return SlaState(
        t.reference, t.priority or "-", t.status, due, max(fraction, 0.0), left, warn_at
    )


def _waiting_time(
    session: Session, calendar: BusinessCalendar, ticket: Ticket, now: datetime
) -> timedelta:
    """Business time the ticket has spent in ``waiting_customer``, from its status events."""
    changes = session.execute(
        select(Event.at, Event.detail)
        .where(Event.ticket_id == ticket.id, Event.kind == "status_changed")
        .order_by(Event.at, Event.id)
    ).all()
    waited = timedelta(0)
    since: datetime | None = None
    for at, detail in changes:
        if detail.get("to") == "waiting_customer" and since is None:
            since = at
        elif detail.get("to") != "waiting_customer" and since is not None:
            waited += calendar.between(since, at)
            since = None
    if since is not None:
        waited += calendar.between(since, now)
    return waited
