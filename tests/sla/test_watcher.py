"""The SLA watcher: a warning at 75%, a breach with escalation, each once — even with two
watchers (two instances) running, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import App
from bot.config import SlaConfig
from bot.sla.targets import due_times
from bot.sla.watcher import SlaWatcher
from storage.models import Event, Ticket
from tests.conftest import Clock

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_warning_then_breach_once_each(app: App) -> None:
    due = due_times("P1", MONDAY_9, SlaConfig())
    with app.sessions.begin() as session:
        session.add(
            Ticket(
                reference="SR-1",
                status="open",
                priority="P1",
                channel="email",
                subject="x",
                created_at=MONDAY_9,
                updated_at=MONDAY_9,
                response_due_at=due.response,
                resolution_due_at=due.resolution,
            )
        )
    clock = Clock(MONDAY_9)
    first = SlaWatcher(app.sessions, SlaConfig(), clock)
    second = SlaWatcher(app.sessions, SlaConfig(), clock)  # another instance
    assert first.check() == []
    clock.now = datetime(2026, 11, 26, 16, 0, tzinfo=UTC)  # 76% of the resolution target used
    assert first.check() == ["SR-1 warning"]
    assert second.check() == []
    assert first.check() == []
    clock.now = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # past due
    assert second.check() == ["SR-1 breach"]
    assert first.check() == []
    with app.sessions() as session:
        kinds = [(e.kind, e.detail.get("to")) for e in session.query(Event).order_by(Event.id)]
    assert kinds == [("sla_warning", None), ("sla_breached", None), ("escalated", "2nd line")]
