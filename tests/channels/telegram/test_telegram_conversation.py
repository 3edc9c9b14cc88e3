"""The conversation around a ticket: buttons, /cancel, the "which ticket?" choice, replies to the
bot's messages, documents, and engineers' status changes reaching the chat."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from sqlalchemy import select

from bot.channels.telegram import wording
from storage.models import Attachment, Message, Ticket
from tests.channels.telegram.conftest import Customer, Desk, as_delivered, button

TERSE = "FortiGate 60F serial FGT60FTK2109ABCD on 7.2.5 keeps rebooting"


def inbound_texts(desk: Desk, ticket: Ticket) -> list[str]:
    assert desk.app is not None
    with desk.app.sessions() as session:
        rows = session.scalars(
            select(Message)
            .where(Message.ticket_id == ticket.id, Message.direction == "in")
            .order_by(Message.id)
        ).all()
        return [m.text_full for m in rows]


def stored_files(root: Path) -> list[bytes]:
    """Every file in the attachment store, byte for byte."""
    return [p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()]


async def test_after_two_failed_tries_the_customer_can_ask_for_an_engineer(desk: Desk) -> None:
    await desk.start()
    jane = Customer(desk, 6001, "Jane", "Smith")
    first = jane.says(TERSE)
    await desk.wait_sent(jane.chat, 1)
    jane.says("Acme Ltd")
    await desk.wait_sent(jane.chat, 2)
    jane.says("12")
    sent = await desk.wait_sent(jane.chat, 3)
    assert "doesn't look like a phone number" in sent[-1]["text"]
    with_skip = [b["text"] for row in sent[-1]["reply_markup"]["inline_keyboard"] for b in row]
    assert "Talk to an engineer" not in with_skip  # offered only after the second failure

    jane.says("not sure, ask my boss")
    sent = await desk.wait_sent(jane.chat, 4)
    assert "I still can't read that" in sent[-1]["text"]
    talk = button(sent[-1], "Talk to an engineer")
    assert button(sent[-1], "Skip this question")["callback_data"] == "f:skip:contact_phone"
    jane.presses(talk, on=as_delivered(sent[-1]))

    sent = await desk.wait_sent(jane.chat, 5)
    [ticket] = desk.tickets()
    assert f"I've asked an engineer to contact you about {ticket.reference}" in sent[-1]["text"]
    assert sent[-1]["reply_parameters"]["message_id"] == first["message"]["message_id"]
    [answered] = desk.fake.of("answerCallbackQuery")
    assert answered["callback_query_id"].startswith("cb")
    [edited] = desk.fake.of("editMessageText")
    assert edited["text"].endswith("→ talk to an engineer")
    assert "reply_markup" not in edited  # the buttons are gone
    [event] = desk.events(ticket, "customer_asked_for_engineer")
    assert event.actor == f"telegram:{jane.id}"
    assert event.detail == {"field": "contact_phone"}
    assert ticket.status == "open"  # the desk must act: no longer waiting for the customer
    assert desk.form(jane.chat) is None  # no more questions


async def test_an_old_button_does_not_answer_the_current_question(desk: Desk) -> None:
    await desk.start()
    jane = Customer(desk, 6002, "Jane")
    jane.says(TERSE)
    [first] = await desk.wait_sent(jane.chat, 1)
    jane.says("Acme Ltd")
    await desk.wait_sent(jane.chat, 2)

    jane.presses(button(first, "I don't know"), on=as_delivered(first))  # asked for the company
    await desk.wait_until(lambda: bool(desk.fake.of("answerCallbackQuery")), "the press answered")
    await desk.wait_consumed()

    [answered] = desk.fake.of("answerCallbackQuery")
    assert answered["text"] == wording.STALE_BUTTON
    assert not desk.fake.of("editMessageText")
    assert len(desk.sent(jane.chat)) == 2
    form = desk.form(jane.chat)
    assert form is not None
    assert form.asking == "contact_phone"
    assert form.skipped == ()


async def test_cancel_then_which_ticket_then_new_then_a_reply_to_the_first_ticket(
    desk: Desk,
) -> None:
    await desk.start()
    jane = Customer(desk, 6003, "Jane", "Smith")
    jane.says(TERSE)
    [ack] = await desk.wait_sent(jane.chat, 1)
    [first] = desk.tickets()

    jane.says("/cancel")
    sent = await desk.wait_sent(jane.chat, 2)
    assert sent[-1]["text"] == wording.CANCELLED.format(ref=first.reference)
    assert desk.form(jane.chat) is None

    held = jane.says("The fan is very loud as well")  # one open ticket, no question pending
    sent = await desk.wait_sent(jane.chat, 3)
    assert sent[-1]["text"].startswith(f"Is this about {first.reference}")
    assert sent[-1]["reply_parameters"]["message_id"] == held["message"]["message_id"]
    assert inbound_texts(desk, first) == [TERSE]  # waits for the choice
    jane.presses(button(sent[-1], "About"), on=as_delivered(sent[-1]))

    sent = await desk.wait_sent(jane.chat, 4)
    assert inbound_texts(desk, first) == [TERSE, "The fan is very loud as well"]
    assert f"added that to {first.reference}" in sent[-1]["text"]
    [edited] = desk.fake.of("editMessageText")
    assert edited["text"] == wording.HELD_ABOUT.format(ref=first.reference)

    jane.says("/new")
    sent = await desk.wait_sent(jane.chat, 5)
    assert sent[-1]["text"] == wording.NEW
    jane.says("Our Aruba AP-515 access point in the warehouse is offline")
    sent = await desk.wait_sent(jane.chat, 6)
    _, second = desk.tickets()
    assert second.reference in sent[-1]["text"]

    # replying to the first ticket's acknowledgement adds to the first ticket, even though the
    # second one's questions are the ones pending
    jane.says("It started after the power cut on Monday", reply_to=ack["sent_message_id"])
    sent = await desk.wait_sent(jane.chat, 7)
    assert first.reference in sent[-1]["text"]
    assert inbound_texts(desk, first)[-1] == "It started after the power cut on Monday"
    assert len(inbound_texts(desk, second)) == 1
    assert len(desk.tickets()) == 2


async def test_held_message_can_become_a_new_report(desk: Desk) -> None:
    await desk.start()
    jane = Customer(desk, 6004, "Jane")
    jane.says(TERSE)
    await desk.wait_sent(jane.chat, 1)
    jane.says("/cancel")
    await desk.wait_sent(jane.chat, 2)
    jane.says("Also our Cisco C9300 switch stack lost a member")
    sent = await desk.wait_sent(jane.chat, 3)
    jane.presses(button(sent[-1], "A new report"), on=as_delivered(sent[-1]))

    sent = await desk.wait_sent(jane.chat, 4)
    _, second = desk.tickets()
    assert second.reference in sent[-1]["text"]
    assert inbound_texts(desk, second) == ["Also our Cisco C9300 switch stack lost a member"]
    assert [e["text"] for e in desk.fake.of("editMessageText")] == [wording.HELD_NEW]


async def test_a_document_mid_conversation_is_attached_and_answers_nothing(desk: Desk) -> None:
    await desk.start()
    jane = Customer(desk, 6005, "Jane")
    jane.says(TERSE)
    await desk.wait_sent(jane.chat, 1)
    log = b"Nov 23 09:00:01 fgt kernel: watchdog reset\n" * 50
    jane.sends_document(log, "../../etc/crash log.txt", "text/plain")

    sent = await desk.wait_sent(jane.chat, 2)
    [ticket] = desk.tickets()
    assert "1 file attached" in sent[-1]["text"]
    assert ticket.reference in sent[-1]["text"]
    assert "?" not in sent[-1]["text"]  # a file is not a failed answer: not asked again
    form = desk.form(jane.chat)
    assert form is not None
    assert (form.asking, form.tries) == ("company_name", 0)
    assert desk.fake.of("download")
    assert desk.app is not None
    with desk.app.sessions() as session:
        [attachment] = session.scalars(select(Attachment)).all()
    assert attachment.ticket_id == ticket.id
    assert attachment.content_type == "text/plain"
    assert attachment.size == len(log)
    assert attachment.filename == "crash log.txt"  # display only
    assert attachment.sha256 == hashlib.sha256(log).hexdigest()
    assert attachment.stored_name.endswith(attachment.sha256)  # never the sender's name
    assert stored_files(Path(desk.app.config.storage.attachments_dir)) == [log]


async def test_engineer_question_and_resolution_reach_the_chat_as_replies(desk: Desk) -> None:
    await desk.start()
    jane = Customer(desk, 6006, "Jane")
    first = jane.says(TERSE)
    await desk.wait_sent(jane.chat, 1)
    [ticket] = desk.tickets()
    assert desk.app is not None
    actions = desk.app.ticket_actions

    await asyncio.to_thread(
        actions.ask, ticket.reference, "Is the fan spinning?", actor="cli:sam", engineer="Sam"
    )
    await asyncio.to_thread(desk.app.outbox.flush)
    sent = await desk.wait_sent(jane.chat, 2)
    assert "Is the fan spinning?" in sent[-1]["text"]
    assert sent[-1]["reply_parameters"]["message_id"] == first["message"]["message_id"]

    await asyncio.to_thread(
        actions.resolve,
        ticket.reference,
        "Replaced the PSU; <b>stable</b> for 24 h & closed.",
        actor="slack:U1",
        engineer="Sam",
    )
    await asyncio.to_thread(desk.app.outbox.flush)
    sent = await desk.wait_sent(jane.chat, 3)
    assert sent[-1]["parse_mode"] == "HTML"
    assert "Replaced the PSU; &lt;b&gt;stable&lt;/b&gt; for 24 h &amp; closed." in sent[-1]["text"]
    assert sent[-1]["reply_parameters"]["message_id"] == first["message"]["message_id"]
    [resolved] = desk.tickets()
    assert resolved.status == "resolved"

    jane.says("/status")
    sent = await desk.wait_sent(jane.chat, 4)
    assert sent[-1]["text"] == wording.NO_TICKETS
    jane.says(f"/status {ticket.reference}")
    sent = await desk.wait_sent(jane.chat, 5)
    assert "resolved" in sent[-1]["text"]
    assert all(m["chat_id"] == jane.chat for m in desk.fake.of("sendMessage"))


async def test_a_direct_answer_survives_flood_control(desk: Desk) -> None:
    await desk.start()
    desk.fake.flood_sends = 1
    jane = Customer(desk, 6007, "Jane")
    jane.says("/help")
    refused, delivered = await desk.wait_sent(jane.chat, 2)  # PTB's send: 429, then again
    assert "sent_message_id" not in refused
    assert delivered["sent_message_id"]
    assert delivered["text"].startswith("I log faults")
    assert "parse_mode" not in delivered  # plain text: nothing in it is markup


async def test_new_with_the_report_opens_a_ticket_whatever_is_pending(desk: Desk) -> None:
    await desk.start()
    jane = Customer(desk, 6009, "Jane")
    jane.says(TERSE)
    await desk.wait_sent(jane.chat, 1)  # a question is pending for the first ticket
    jane.says("/new The Meraki MX68 VPN to the branch drops every hour")
    sent = await desk.wait_sent(jane.chat, 2)
    first, second = desk.tickets()
    assert second.reference in sent[-1]["text"]
    assert second.subject == "The Meraki MX68 VPN to the branch drops every hour"
    assert inbound_texts(desk, first) == [TERSE]
    form = desk.form(jane.chat)
    assert form is not None
    assert form.ticket == second.reference  # the questions are now about the new one
