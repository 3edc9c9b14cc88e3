"""Customers reporting through Telegram: first message, slot filling, photos, duplicates."""

from __future__ import annotations

from sqlalchemy import select

from bot.forms.store import load_form
from storage import repositories as repo
from storage.models import Attachment, RawMessage
from tests.channels.telegram.conftest import Customer, Desk, as_delivered, button

TERSE = "FortiGate 60F serial FGT60FTK2109ABCD on 7.2.5 keeps rebooting"


async def test_terse_first_message_opens_a_ticket_and_asks_one_question(desk: Desk) -> None:
    await desk.start()
    jane = Customer(desk, 4242, "Jane", "Smith")
    update = jane.says(TERSE)

    [reply] = await desk.wait_sent(jane.chat, 1)

    [ticket] = desk.tickets()
    assert ticket.reference in reply["text"]
    assert reply["reply_parameters"]["message_id"] == update["message"]["message_id"]
    assert reply["parse_mode"] == "HTML"
    assert "FGT60FTK2109ABCD" in reply["text"]  # what was understood
    assert reply["text"].count("?") == 1  # one question, for the first thing missing
    assert reply["text"].rstrip().endswith("Your company name?")
    assert button(reply, "I don't know")["callback_data"] == "f:skip:company_name"


async def test_slot_filling_with_a_bad_answer_a_skip_and_a_restart(desk: Desk) -> None:
    await desk.start()
    jane = Customer(desk, 4243, "Jane", "Smith")
    jane.says(TERSE)
    await desk.wait_sent(jane.chat, 1)

    jane.says("Acme Ltd")
    sent = await desk.wait_sent(jane.chat, 2)
    assert "company" in sent[-1]["text"]
    assert sent[-1]["text"].rstrip().endswith("A phone number we can reach you on?")

    jane.says("12")  # not a phone number: asked again, with a hint
    sent = await desk.wait_sent(jane.chat, 3)
    assert "doesn't look like a phone number" in sent[-1]["text"]
    assert sent[-1]["text"].rstrip().endswith("A phone number we can reach you on?")

    await desk.wait_consumed()
    await desk.restart()  # a new process on the same database carries on

    jane.says("+44 20 7946 0123")
    sent = await desk.wait_sent(jane.chat, 4)
    assert "contact phone" in sent[-1]["text"]
    assert "How badly is your service affected?" in sent[-1]["text"]
    jane.presses(button(sent[-1], "P2"), on=as_delivered(sent[-1]))

    sent = await desk.wait_sent(jane.chat, 5)
    assert sent[-1]["text"].rstrip().endswith("Your support contract number, if you know it?")
    assert desk.fake.of("answerCallbackQuery")
    [edited] = desk.fake.of("editMessageText")
    assert edited["text"].endswith("→ P2")
    jane.presses(button(sent[-1], "I don't know"), on=as_delivered(sent[-1]))

    sent = await desk.wait_sent(jane.chat, 6)
    assert "tried" in sent[-1]["text"]
    jane.says("Rebooted it twice, swapped the power cable")

    sent = await desk.wait_sent(jane.chat, 7)
    [ticket] = desk.tickets()
    assert sent[-1]["text"].startswith(
        f"Thanks — I've added what you have tried to {ticket.reference}"
    )
    assert "That's everything we need" in sent[-1]["text"]
    assert desk.app is not None
    with desk.app.sessions() as session:
        values = {k: v.value for k, v in repo.current_field_values(session, ticket.id).items()}
        form = load_form(session, "telegram", f"telegram:{jane.chat}")
    assert values["company_name"] == "Acme Ltd"
    assert values["contact_phone"] == "+442079460123"
    assert values["stated_severity"] == "P2"
    assert "contract_number" not in values
    assert "Rebooted" in values["diagnosis_summary"]
    assert form is not None
    assert form.done
    assert form.skipped == ("contract_number",)
    assert ticket.status == "open"


async def test_a_photo_is_stored_as_an_attachment(desk: Desk) -> None:
    await desk.start()
    jane = Customer(desk, 4244, "Jane", "Smith")
    picture = b"\xff\xd8\xff\xe0" + b"jpeg bytes " * 100
    jane.sends_photo(picture, caption=TERSE)

    [reply] = await desk.wait_sent(jane.chat, 1)
    assert "1 file attached" in reply["text"]
    assert desk.app is not None
    with desk.app.sessions() as session:
        [attachment] = session.scalars(select(Attachment)).all()
    assert attachment.size == len(picture)
    assert attachment.content_type == "image/jpeg"


async def test_a_file_over_the_limit_is_not_fetched_and_the_customer_is_told(desk: Desk) -> None:
    await desk.start(max_file_bytes=100)
    jane = Customer(desk, 4245, "Jane", "Smith")
    jane.sends_photo(b"x" * 500, caption=TERSE)

    [reply] = await desk.wait_sent(jane.chat, 1)
    name = "photo-uphoto1.jpg (500 bytes)"
    assert f"{name} is too large for me to fetch (the limit is 100 bytes)" in reply["text"]
    assert not desk.fake.of("download")
    assert len(desk.tickets()) == 1  # the message itself is kept


async def test_a_file_telegram_will_not_serve_is_reported_not_lost(desk: Desk) -> None:
    await desk.start()  # the default limit: Telegram's own 20 MB
    jane = Customer(desk, 4247, "Jane", "Smith")
    desk.fake.too_big.add("doc1")  # getFile: "file is too big" (no size in the update)
    jane.sends_document(b"pcap", "capture.pcap", "application/vnd.tcpdump.pcap", TERSE, sized=False)

    [reply] = await desk.wait_sent(jane.chat, 1)
    assert desk.fake.of("getFile")
    assert not desk.fake.of("download")
    assert "capture.pcap is too large for me to fetch (the limit is 20 MB)" in reply["text"]
    [ticket] = desk.tickets()
    assert ticket.reference in reply["text"]


async def test_the_same_update_twice_has_one_effect(desk: Desk) -> None:
    await desk.start()
    jane = Customer(desk, 4246, "Jane", "Smith")
    update = jane.says(TERSE)
    desk.fake.push(dict(update))  # Telegram delivers it again

    await desk.wait_sent(jane.chat, 1)
    await desk.wait_consumed()
    assert len(desk.tickets()) == 1
    assert len(desk.sent(jane.chat)) == 1
    assert desk.app is not None
    with desk.app.sessions() as session:
        assert len(session.scalars(select(RawMessage)).all()) == 1
