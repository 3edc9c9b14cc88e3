"""`intake-bot sla`: on track, at risk, breached, and the clock paused while we wait for the
customer — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import App
from bot.config import SlaConfig
from bot.sla.report import sla_states
from bot.sla.targets import calendar_for, due_times
from storage.models import Event, Ticket

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CAL = calendar_for(SlaConfig())


def _ticket(app: App, ref: str, priority: str, opened: datetime, status: str = "open") -> int:
    due = due_times(priority, opened, SlaConfig())
    with app.sessions.begin() as session:
        t = Ticket(
            reference=ref,
            status=status,
            priority=priority,
            channel="email",
            subject="x",
            created_at=opened,
            updated_at=opened,
            response_due_at=due.response,
            resolution_due_at=due.resolution,
        )
        session.add(t)
        session.flush()
        return t.id


def _status(app: App, ticket_id: int, at: datetime, old: str, new: str) -> None:
    with app.sessions.begin() as session:
        session.add(
            Event(
                ticket_id=ticket_id,
                at=at,
                kind="status_changed",
                actor="system",
                detail={"from": old, "to": new},
            )
        )
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None
        ticket.status = new


def _states(app: App, now: datetime) -> dict[str, str]:
    with app.sessions() as session:
        return {s.reference: s.state for s in sla_states(session, CAL, now)}


def test_on_track_at_risk_and_breached(app: App) -> None:
    _ticket(app, "A", "P1", MONDAY_9)  # resolution due 5 business days later: Mon 30 Nov 09:00
    assert _states(app, MONDAY_9 + timedelta(hours=1)) == {"A": "on track"}
    # 75% of 45 business hours is 33h45m: Thursday 26 Nov 15:45
    assert _states(app, datetime(2026, 11, 26, 16, 0, tzinfo=UTC)) == {"A": "at risk"}
    assert _states(app, datetime(2026, 11, 30, 9, 30, tzinfo=UTC)) == {"A": "breached"}


def test_waiting_for_the_customer_does_not_count(app: App) -> None:
    tid = _ticket(app, "B", "P1", MONDAY_9, status="new")
    _status(app, tid, MONDAY_9, "new", "waiting_customer")
    # the customer answers two business days later (Wednesday 09:00)
    _status(app, tid, datetime(2026, 11, 25, 9, 0, tzinfo=UTC), "waiting_customer", "open")
    with app.sessions() as session:
        (state,) = sla_states(session, CAL, datetime(2026, 11, 30, 9, 30, tzinfo=UTC))
    assert state.state == "on track"  # the original due time passed, but 18h were ours to wait
    assert state.due_at == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_closed_tickets_are_not_listed(app: App) -> None:
    _ticket(app, "C", "P2", MONDAY_9, status="resolved")
    assert _states(app, MONDAY_9 + timedelta(days=60)) == {}
