"""Queueing outbound messages: the first human (not automatic) reply is recorded once."""

from __future__ import annotations

from bot.app import App
from bot.messages import OutboundMessage
from bot.outbox.queue import queue_outbound
from storage.models import Event, OutboxItem, Ticket
from tests.conftest import Clock


def test_first_human_response_is_recorded_once(app: App, clock: Clock) -> None:
    now = clock()
    with app.sessions.begin() as session:
        ticket = Ticket(
            reference="SR-1",
            status="open",
            channel="email",
            subject="x",
            created_at=now,
            updated_at=now,
        )
        session.add(ticket)
        session.flush()
        for n, automatic in enumerate((True, False, False)):
            reply = OutboundMessage(
                channel="email",
                to_address="a@b.example",
                subject="s",
                text="t",
                message_id=f"m{n}@x",
                auto_generated=automatic,
            )
            queue_outbound(
                session, ticket, reply, key=f"k{n}", from_address="desk@x", now=now, kind="test"
            )
    with app.sessions() as session:
        kinds = [e.kind for e in session.query(Event).order_by(Event.id)]
        assert kinds.count("first_human_response") == 1
        assert session.query(OutboxItem).count() == 3
