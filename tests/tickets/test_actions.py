"""Engineers' actions on a ticket, as Slack and the command line call them: the ticket changes,
the audit trail says who did what, and only what is meant for the customer reaches them — in
their own email thread."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App
from bot.cli import main
from bot.tickets.actions import TicketActionError
from storage import repositories as repo
from storage.models import Event, Note, Ticket
from tests.conftest import Clock
from tests.helpers import bare, body, delivered, fixture_mail, ingest


def _opened(app: App) -> str:
    result = ingest(app, fixture_mail("hardware-fault-no-serial.eml"))
    assert result.reference is not None
    assert app.outbox.flush().sent == 1  # the acknowledgement
    return result.reference


def _events(app: App, reference: str) -> list[Event]:
    with app.sessions() as session:
        ticket = repo.ticket_by_reference(session, reference)
        assert ticket is not None
        return list(repo.events_of(session, ticket.id))


def _ticket(app: App, reference: str) -> Ticket:
    with app.sessions() as session:
        ticket = repo.ticket_by_reference(session, reference)
        assert ticket is not None
        session.expunge(ticket)
        return ticket


def test_reply_reaches_the_customer_in_their_email_thread(app: App) -> None:
    reference = _opened(app)
    (ack,) = delivered(app)
    result = app.ticket_actions.reply(
        reference, "We have shipped a replacement PSU.", actor="slack:U1", engineer="Priya"
    )
    assert result.channel == "email"
    assert app.outbox.flush().sent == 1
    reply = delivered(app)[-1]
    assert reply["To"].addresses[0].addr_spec == "sarah.collins@harbourfreight.example"
    assert reply["In-Reply-To"] == "<CAF3x9-harbour-0001@mail.harbourfreight.example>"
    assert reply["References"] == "<CAF3x9-harbour-0001@mail.harbourfreight.example>"
    assert reply["Subject"] == ack["Subject"]
    assert bare(reply["Message-ID"]).startswith(reference + ".")
    assert "Auto-Submitted" not in reply  # a person wrote it
    text = body(reply)
    assert "We have shipped a replacement PSU." in text
    assert "Priya" in text
    assert reference in text
    kinds = [e.kind for e in _events(app, reference)]
    assert "first_human_response" in kinds
    assert kinds.count("reply_sent") == 2


def test_customer_answer_to_an_engineer_reply_joins_the_ticket(app: App) -> None:
    reference = _opened(app)
    app.ticket_actions.ask(reference, "Which rack is it in?", actor="cli:priya")
    app.outbox.flush()
    question = delivered(app)[-1]
    assert _ticket(app, reference).status == "waiting_customer"
    answer = fixture_mail("hardware-fault-serial-reply.eml", reply_id=bare(question["Message-ID"]))
    assert ingest(app, answer).reference == reference


def test_internal_note_never_reaches_the_customer(app: App) -> None:
    reference = _opened(app)
    app.ticket_actions.add_note(reference, "Customer is on the old firmware", actor="slack:U1")
    assert app.outbox.flush().sent == 0
    assert len(delivered(app)) == 1
    with app.sessions() as session:
        notes = session.scalars(select(Note)).all()
        assert [(n.author, n.text) for n in notes] == [
            ("slack:U1", "Customer is on the old firmware")
        ]


def test_resolve_sends_the_synopsis_and_closes_the_work(app: App) -> None:
    reference = _opened(app)
    app.ticket_actions.resolve(
        reference, "PSU failed; replaced under contract; switch stable 24 h.", actor="cli:priya"
    )
    assert _ticket(app, reference).status == "resolved"
    app.outbox.flush()
    text = body(delivered(app)[-1])
    assert "We have resolved" in text
    assert "replaced under contract" in text
    kinds = [e.kind for e in _events(app, reference)]
    assert "resolved" in kinds
    assert "status_changed" in kinds


def test_priority_change_moves_the_due_times_and_is_audited(app: App, clock: Clock) -> None:
    reference = _opened(app)
    before = _ticket(app, reference)
    new = "P1" if before.priority != "P1" else "P4"
    app.ticket_actions.set_priority(reference, new.lower(), actor="slack:U1")
    after = _ticket(app, reference)
    assert after.priority == new
    assert after.response_due_at != before.response_due_at
    changed = [e for e in _events(app, reference) if e.kind == "priority_changed"]
    assert [(e.actor, e.detail["previous"], e.detail["priority"]) for e in changed] == [
        ("slack:U1", before.priority, new)
    ]


def test_assign_and_open_list_order(app: App, clock: Clock) -> None:
    first = _opened(app)
    app.ticket_actions.set_priority(first, "P4", actor="cli:a")
    clock.advance(minutes=5)
    other = ingest(
        app,
        fixture_mail("hardware-fault-no-serial.eml")
        .replace(b"0001@", b"0002@")
        .replace(b"PSU failed", b"PSU died"),
    )
    assert other.reference is not None
    assert other.reference != first
    app.ticket_actions.set_priority(other.reference, "P2", actor="cli:a")
    app.ticket_actions.assign(first, "U2", actor="slack:U1")
    listed = app.ticket_actions.open_tickets()
    assert [t.reference for t in listed] == [other.reference, first]
    assert listed[1].assignee == "U2"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda a, r: a.set_priority(r, "P7", actor="x"), "unknown priority 'P7'"),
        (lambda a, r: a.reply("SR-2026-999999-Z", "hi", actor="x"), "not a ticket reference"),
        (lambda a, r: a.reply(a.references.format(2026, 999_999), "hi", actor="x"), "no ticket"),
        (lambda a, r: a.add_note(r, "   ", actor="x"), "the note is empty"),
        (lambda a, r: a.reply("not-a-ref", "hi", actor="x"), "is not a ticket reference"),
    ],
)
def test_mistakes_are_one_clear_error_and_change_nothing(app: App, call, message: str) -> None:
    reference = _opened(app)
    before = len(_events(app, reference))
    with pytest.raises(TicketActionError, match=message):
        call(app.ticket_actions, reference)
    assert len(_events(app, reference)) == before


def test_cli_actions(
    app: App, clock: Clock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = _opened(app)
    config = app.config
    path = tmp_path / "cli.toml"
    path.write_text(
        f'[storage]\nurl = "{config.storage.url}"\n'
        f'attachments_dir = "{config.storage.attachments_dir}"\n'
        f'[email.outbound]\nmaildir = "{config.email.outbound.maildir}"\n'
        f'from_address = "{config.email.outbound.from_address}"\n'
    )

    def cli(*args: str) -> int:
        return main(["--config", str(path), "tickets", *args])

    assert cli("note", reference, "checked", "logs") == 0
    assert capsys.readouterr().out.strip() == f"note added to {reference}"
    assert cli("priority", reference, "P9") == 1
    err = capsys.readouterr().err
    assert err.strip() == "intake-bot: error: unknown priority 'P9': use one of P1, P2, P3, P4"
    unknown = app.references.format(2026, 999_999)  # well-formed, with its check letter
    assert cli("reply", unknown, "hello") == 1
    assert capsys.readouterr().err.strip() == f"intake-bot: error: no ticket {unknown}"
    assert cli("reply", reference, "On", "its", "way", "--as", "priya") == 0
    assert "by email" in capsys.readouterr().out
    # The command ran on the wall clock, so its reply is due from real now on.
    clock.now = max(clock.now, datetime.now(UTC))
    assert app.outbox.flush().sent == 1
    reply = delivered(app)[-1]
    assert "On its way" in body(reply)
    assert "priya" in body(reply)
    with app.sessions() as session:
        ticket = repo.ticket_by_reference(session, reference)
        assert ticket is not None
        assert [n.text for n in repo.notes_of(session, ticket.id)] == ["checked logs"]
