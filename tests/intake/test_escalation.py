"""Customer-triggered escalation: recognised in the customer's words, acted on, answered."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.intake.steps.escalation import asks_for_escalation
from tests.helpers import bare, body, delivered, fixture_mail, ingest


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("Please escalate this, it has been two days.", True),
        ("Immediate escalation required!", True),
        ("escalate", True),
        ("We need an escalation to your 3rd line.", True),
        ("No need to escalate, it is working again.", False),
        ("The issue escalated quickly after lunch.", False),
        ("Serial: FCW2231L0AB", False),
    ],
)
def test_recognising_a_request(text: str, asks: bool) -> None:
    assert asks_for_escalation(text) is asks


def test_escalation_request_is_acted_on_and_answered(app: App) -> None:
    first = ingest(app, fixture_mail("hardware-fault-no-serial.eml"))
    app.outbox.flush()
    ack = delivered(app)[0]
    raw = fixture_mail("hardware-fault-serial-reply.eml", reply_id=bare(ack["Message-ID"]))
    raw = raw.replace(
        b"Serial number: FCW2231L0AB", b"Please escalate this, we need it fixed today."
    )
    second = ingest(app, raw)
    assert second.reference == first.reference
    assert app.outbox.flush().sent == 1  # answered although nothing else is new
    assert "we have escalated" in body(delivered(app)[-1])
    from bot.ticket_view import ticket_json
    from storage import repositories as repo

    with app.sessions() as session:
        ticket = repo.ticket_by_reference(session, first.reference or "")
        assert ticket is not None
        events = ticket_json(session, ticket)["events"]
    assert [e["detail"]["to"] for e in events if e["kind"] == "escalated"] == ["2nd line"]
