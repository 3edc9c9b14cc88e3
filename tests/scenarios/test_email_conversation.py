"""Scenarios that read like conversations, through the real parser, pipeline, database and
outbox, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.app import App
from bot.ticket_view import ticket_json
from storage import repositories as repo
from storage.models import Message, RawMessage, Ticket
from tests.helpers import bare, body, delivered, fixture_mail, ingest


def _ticket(app: App, reference: str) -> dict:
    with app.sessions() as session:
        ticket = repo.ticket_by_reference(session, reference)
        assert ticket is not None
        return ticket_json(session, ticket)


def _count(app: App, model: type) -> int:
    with app.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_fault_without_serial_gets_threaded_reply_asking_for_it_then_completes(app: App) -> None:
    first = ingest(app, fixture_mail("hardware-fault-no-serial.eml"))
    assert first.status == "processed"
    assert first.reference is not None
    ticket = _ticket(app, first.reference)
    assert ticket["fault_type"] == "hardware"
    assert ticket["missing"] == ["serial_number"], ticket["fields"]
    assert ticket["status"] == "waiting_customer"

    assert app.outbox.flush().sent == 1
    (ack,) = delivered(app)
    assert ack["To"].addresses[0].addr_spec == "sarah.collins@harbourfreight.example"
    assert ack["In-Reply-To"] == "<CAF3x9-harbour-0001@mail.harbourfreight.example>"
    assert ack["References"] == "<CAF3x9-harbour-0001@mail.harbourfreight.example>"
    assert ack["Subject"] == f"Re: Core switch PSU failed - Leeds warehouse [{first.reference}]"
    assert bare(ack["Message-ID"]).startswith(first.reference + ".")
    assert ack["Auto-Submitted"] == "auto-replied"
    text = body(ack)
    assert first.reference in text
    assert "serial number of the faulty unit" in text
    assert "P3" in text or "P2" in text  # one PSU of two: degraded redundancy, service up
    # Monday 09:00 GMT: the response is due in business hours the same or the next day
    assert ticket["response_due_at"] is not None
    assert ticket["response_due_at"] > ticket["created_at"]
    assert "an engineer will respond by" in text
    assert "(GMT)" in text

    # The customer answers with the serial: only In-Reply-To ties it to us, the subject changed.
    answer = fixture_mail("hardware-fault-serial-reply.eml", reply_id=bare(ack["Message-ID"]))
    second = ingest(app, answer)
    assert second.status == "processed"
    assert second.reference == first.reference
    ticket = _ticket(app, first.reference)
    assert ticket["fields"]["serial_number"] == "FCW2231L0AB"
    serial = ticket["provenance"]["serial_number"]
    assert serial["source"] == "customer"  # written as "Serial number: …"
    assert "FCW2231L0AB" in serial["evidence"]["text"]
    assert ticket["missing"] == []
    assert ticket["status"] == "open"
    assert _count(app, Ticket) == 1

    assert app.outbox.flush().sent == 1
    thanks = delivered(app)[-1]
    assert "we now have everything" in body(thanks)
    assert thanks["In-Reply-To"] == "<CAF3x9-harbour-0002@mail.harbourfreight.example>"
    assert bare(ack["Message-ID"]) in thanks["References"]
    assert thanks["Subject"] == f"Re: serial for the switch [{first.reference}]"


def test_same_message_twice_has_one_effect(app: App) -> None:
    raw = fixture_mail("hardware-fault-no-serial.eml")
    first = ingest(app, raw)
    again = ingest(app, raw)
    assert (first.status, again.status) == ("processed", "duplicate")
    # and through another mailbox (cc'd to a second address): same content, still one ticket
    third = ingest(app, raw, mailbox="helpdesk@desk.example")
    assert third.status == "duplicate"
    assert _count(app, Ticket) == 1
    assert app.outbox.flush().sent == 1
    assert _count(app, RawMessage) == 3  # every delivery is kept as received


def test_follow_up_with_nothing_new_gets_no_reply(app: App) -> None:
    first = ingest(app, fixture_mail("hardware-fault-no-serial.eml"))
    app.outbox.flush()
    ack = delivered(app)[0]
    raw = fixture_mail("hardware-fault-serial-reply.eml", reply_id=bare(ack["Message-ID"]))
    raw = raw.replace(b"Serial number: FCW2231L0AB", b"Any update on this please?")
    second = ingest(app, raw)
    assert second.reference == first.reference
    assert app.outbox.flush().sent == 0


def test_out_of_office_and_bounce_are_kept_but_never_answered(app: App) -> None:
    first = ingest(app, fixture_mail("hardware-fault-no-serial.eml"))
    app.outbox.flush()
    reply_id = bare(delivered(app)[0]["Message-ID"])

    ooo = ingest(app, fixture_mail("out-of-office.eml", reply_id=reply_id))
    bounce = ingest(app, fixture_mail("bounce.eml", reply_id=reply_id))
    assert ooo.status == "screened"
    assert "auto-submitted" in ooo.outcome
    assert bounce.status == "screened"
    assert "bounce" in bounce.outcome
    assert app.outbox.flush().sent == 0
    assert _count(app, Ticket) == 1

    ticket = _ticket(app, first.reference or "")
    kinds = [e["kind"] for e in ticket["events"]]
    assert "delivery_failed" in kinds
    assert "automatic_message" in kinds
    screened = [m for m in ticket["messages"] if m["screened_reason"]]
    assert len(screened) == 2


def test_reference_quoted_from_a_shared_isp_domain_opens_new_linked_ticket(app: App) -> None:
    first = ingest(
        app,
        fixture_mail("hardware-fault-no-serial.eml").replace(
            b"sarah.collins@harbourfreight.example", b"jan.botha@afrihost.co.za"
        ),
    )
    raw = fixture_mail("stranger-quotes-reference.eml", reference=first.reference or "")
    raw = raw.replace(b"pieter@karoo-logistics.example", b"piet.s@afrihost.co.za")
    stranger = ingest(app, raw)
    assert stranger.reference != first.reference


def test_reference_quoted_by_unrelated_sender_opens_new_linked_ticket(app: App) -> None:
    first = ingest(app, fixture_mail("hardware-fault-no-serial.eml"))
    stranger = ingest(
        app, fixture_mail("stranger-quotes-reference.eml", reference=first.reference or "")
    )
    assert stranger.status == "processed"
    assert stranger.reference != first.reference
    ticket = _ticket(app, stranger.reference or "")
    assert ticket["linked_ticket"] == first.reference
    # nothing of the stranger's reached the first ticket
    original = _ticket(app, first.reference or "")
    assert all(m["from"] != "pieter@karoo-logistics.example" for m in original["messages"])


def test_reference_from_same_domain_joins_only_when_the_contract_lists_it(app: App) -> None:
    """A shared domain alone is no proof (ISPs, webmail): the customer's contract must list it."""
    from bot.contracts.csv_import import import_contracts

    first = ingest(app, fixture_mail("hardware-fault-no-serial.eml"))
    colleague_mail = fixture_mail("stranger-quotes-reference.eml", reference=first.reference or "")
    colleague_mail = colleague_mail.replace(
        b"pieter@karoo-logistics.example", b"pieter@harbourfreight.example"
    )
    unproven = ingest(app, colleague_mail.replace(b"karoo-0001@", b"harbour-colleague-0000@"))
    assert unproven.reference != first.reference  # a new ticket, linked
    contracts = (
        "contract_number,company,domains,cover,starts_on,ends_on\n"
        "HF-1,Harbour Freight Ltd,harbourfreight.example,NBD,2026-01-01,2027-12-31\n"
    )
    with app.sessions.begin() as session:
        assert import_contracts(session, contracts, app.clock()).errors == []
    # Sarah confirms her contract number on her ticket; now her colleagues are known
    confirm = fixture_mail("hardware-fault-serial-reply.eml", reply_id="unknown@x")
    confirm = confirm.replace(b"Serial number: FCW2231L0AB", b"Contract: HF-1")
    confirm = confirm.replace(
        b"Subject: serial for the switch", f"Subject: {first.reference}".encode()
    )
    assert ingest(app, confirm).reference == first.reference
    again = colleague_mail.replace(b"Good morning", b"Hello again")
    colleague = ingest(app, again.replace(b"karoo-0001@", b"harbour-colleague-0001@"))
    assert colleague.reference == first.reference


def test_mistyped_reference_is_not_matched(app: App) -> None:
    first = ingest(app, fixture_mail("hardware-fault-no-serial.eml"))
    ref = first.reference or ""
    wrong_check = ref[:-1] + ("A" if ref[-1] != "A" else "B")
    raw = fixture_mail("stranger-quotes-reference.eml", reference=wrong_check)
    raw = raw.replace(b"pieter@karoo-logistics.example", b"pieter@harbourfreight.example")
    result = ingest(app, raw)
    assert result.reference != first.reference
    assert _ticket(app, result.reference or "")["linked_ticket"] is None


def test_ticket_json_has_the_contract_keys(app: App) -> None:
    first = ingest(app, fixture_mail("hardware-fault-no-serial.eml"))
    data = _ticket(app, first.reference or "")
    json.dumps(data)  # serialisable
    for key in (
        "reference",
        "status",
        "priority",
        "fault_type",
        "fields",
        "missing",
        "messages",
        "attachments",
        "notes",
    ):
        assert key in data
    message = data["messages"][0]
    for key in (
        "direction",
        "channel",
        "at",
        "text",
        "message_id",
        "in_reply_to",
        "subject",
        "from",
        "to",
    ):
        assert key in message
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 2  # in + queued out


def test_reused_message_id_with_new_content_is_not_lost(app: App) -> None:
    """Broken mailers reuse Message-IDs; a different message under an old id is still a report."""
    first = ingest(app, fixture_mail("hardware-fault-no-serial.eml"))
    other = fixture_mail("stranger-quotes-reference.eml", reference="nothing")
    other = other.replace(
        b"<karoo-0001@mail.karoo-logistics.example>",
        b"<CAF3x9-harbour-0001@mail.harbourfreight.example>",
    )
    second = ingest(app, other)
    assert second.status == "processed"
    assert second.reference != first.reference
    assert _count(app, Ticket) == 2


def test_bounce_is_recorded_with_the_failed_recipient(app: App) -> None:
    """The bounce says whom: that address gets no unsolicited automatic mail for a while
    (reminders: tests/sla/test_reminders.py); writing to us again lifts it."""
    from storage import repositories as repo

    first = ingest(app, fixture_mail("hardware-fault-no-serial.eml"))
    app.outbox.flush()
    reply_id = bare(delivered(app)[0]["Message-ID"])
    ingest(app, fixture_mail("bounce.eml", reply_id=reply_id))
    ticket = _ticket(app, first.reference or "")
    (bounce,) = [e for e in ticket["events"] if e["kind"] == "delivery_failed"]
    assert bounce["detail"]["failed_recipients"] == ["sarah.collins@harbourfreight.example"]
    with app.sessions() as session:
        until = repo.suppressed_until(session, "sarah.collins@harbourfreight.example", app.clock())
    assert until is not None


def test_a_delay_notice_is_not_a_bounce(app: App) -> None:
    first = ingest(app, fixture_mail("hardware-fault-no-serial.eml"))
    app.outbox.flush()
    reply_id = bare(delivered(app)[0]["Message-ID"])
    delayed = fixture_mail("bounce.eml", reply_id=reply_id)
    delayed = delayed.replace(b"Action: failed", b"Action: delayed").replace(
        b"Status: 5.2.2", b"Status: 4.4.1"
    )
    result = ingest(app, delayed)
    assert result.status == "screened"
    assert "delivery report: delayed" in result.outcome
    answer = fixture_mail("hardware-fault-serial-reply.eml", reply_id=reply_id)
    assert ingest(app, answer).reference == first.reference
    assert app.outbox.flush().sent == 1  # not silenced: nothing bounced


def test_reply_to_a_reused_message_id_threads_to_the_id_the_sender_knows(app: App) -> None:
    ingest(app, fixture_mail("hardware-fault-no-serial.eml"))
    other = fixture_mail("stranger-quotes-reference.eml", reference="nothing")
    other = other.replace(
        b"<karoo-0001@mail.karoo-logistics.example>",
        b"<CAF3x9-harbour-0001@mail.harbourfreight.example>",
    )
    ingest(app, other)
    app.outbox.flush()
    second_reply = delivered(app)[-1]
    assert second_reply["In-Reply-To"] == "<CAF3x9-harbour-0001@mail.harbourfreight.example>"


def test_writing_again_lifts_a_bounce_suppression(app: App) -> None:
    first = ingest(app, fixture_mail("hardware-fault-no-serial.eml"))
    app.outbox.flush()
    reply_id = bare(delivered(app)[0]["Message-ID"])
    ingest(app, fixture_mail("bounce.eml", reply_id=reply_id))
    answer = fixture_mail("hardware-fault-serial-reply.eml", reply_id=reply_id)
    assert ingest(app, answer).reference == first.reference
    assert app.outbox.flush().sent == 1  # her mailbox works again: she just wrote to us


def test_long_cc_list_and_long_names_are_stored_on_every_database(app: App) -> None:
    raw = fixture_mail("hardware-fault-no-serial.eml")
    cc = ", ".join(f"colleague{n}@harbourfreight.example" for n in range(150))
    long_name = "Sarah " + "Collins-" * 40
    raw = raw.replace(b"To: support@desk.example", f"To: support@desk.example\r\nCc: {cc}".encode())
    raw = raw.replace(b"From: Sarah Collins <", f"From: {long_name} <".encode())
    result = ingest(app, raw)
    assert result.status == "processed", result.outcome
