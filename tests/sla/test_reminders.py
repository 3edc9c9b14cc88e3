"""Reminders for a ticket waiting on the customer: two, then closed; a reply reopens it; never
to an address that bounced (SQLite and PostgreSQL)."""

from __future__ import annotations

from bot.app import App
from bot.sla.reminders import Reminders
from tests.conftest import Clock
from tests.helpers import bare, body, delivered, fixture_mail, ingest


def _reminders(app: App, clock: Clock) -> Reminders:
    return Reminders(app.sessions, app.config, app.intake.deps.signer, clock)


def _status(app: App, reference: str) -> str:
    from storage import repositories as repo

    with app.sessions() as session:
        ticket = repo.ticket_by_reference(session, reference)
        assert ticket is not None
        return ticket.status


def test_two_reminders_then_closed_then_reopened_by_a_reply(app: App, clock: Clock) -> None:
    first = ingest(app, fixture_mail("hardware-fault-no-serial.eml"))  # Monday 09:00: no serial
    ref = first.reference or ""
    app.outbox.flush()
    reminders = _reminders(app, clock)
    clock.advance(days=1)
    assert reminders.check() == []  # one business day: too soon
    clock.advance(days=1, minutes=1)  # Wednesday 09:01: two business days of silence
    assert len(reminders.check()) == 1
    assert reminders.check() == []  # once
    app.outbox.flush()
    reminder = delivered(app)[-1]
    assert "still waiting" in body(reminder)
    assert "serial number" in body(reminder)
    assert reminder["In-Reply-To"] == "<CAF3x9-harbour-0001@mail.harbourfreight.example>"
    clock.advance(days=2, minutes=1)
    assert len(reminders.check()) == 1  # the second reminder
    clock.advance(days=2, minutes=1)  # Monday: the weekend does not count
    assert reminders.check() == []
    clock.advance(days=2)
    assert len(reminders.check()) == 1  # closed
    assert _status(app, ref) == "closed"
    app.outbox.flush()
    assert "we have closed" in body(delivered(app)[-1])

    answer = fixture_mail(
        "hardware-fault-serial-reply.eml", reply_id=bare(delivered(app)[-1]["Message-ID"])
    )
    assert ingest(app, answer).reference == ref
    assert _status(app, ref) == "open"  # reopened, and complete now


def test_no_reminder_to_a_bounced_address(make_app, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    app = make_app(intake={"bounce_suppress_hours": 7 * 24})  # suppressed for a week
    first = ingest(app, fixture_mail("hardware-fault-no-serial.eml"))
    app.outbox.flush()
    ingest(app, fixture_mail("bounce.eml", reply_id=bare(delivered(app)[0]["Message-ID"])))
    clock.advance(days=2, minutes=1)
    assert len(_reminders(app, clock).check()) == 1  # recorded...
    assert app.outbox.flush().sent == 0  # ...but nothing sent into a bouncing mailbox
    assert first.reference
