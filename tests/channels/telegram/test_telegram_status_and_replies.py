"""/status privacy, engineer replies reaching the chat, webhook secrets, flood control."""

from __future__ import annotations

import asyncio

import aiohttp

from tests.channels.telegram.conftest import SECRET, Customer, Desk

TERSE = "FortiGate 60F serial FGT60FTK2109ABCD on 7.2.5 keeps rebooting"


async def test_status_shows_own_tickets_and_hides_others_like_unknown_ones(desk: Desk) -> None:
    await desk.start()
    jane, bob = Customer(desk, 5001, "Jane"), Customer(desk, 5002, "Bob")
    jane.says(TERSE)
    await desk.wait_sent(jane.chat, 1)
    [ticket] = desk.tickets()
    assert desk.app is not None
    unknown = desk.app.references.format(2026, 999)

    jane.says(f"/status {ticket.reference}")
    jane.says("/status")
    bob.says(f"/status {ticket.reference}")
    bob.says(f"/status {unknown}")
    bob.says("/status")
    mine = await desk.wait_sent(jane.chat, 3)
    theirs = await desk.wait_sent(bob.chat, 3)

    assert ticket.reference in mine[1]["text"]
    assert ticket.reference in mine[2]["text"]
    other = theirs[0]["text"].replace(ticket.reference, "REF")
    assert other == theirs[1]["text"].replace(unknown, "REF")  # exactly like an unknown one
    assert "You have no open tickets" in theirs[2]["text"]
    assert all(ticket.subject not in m["text"] for m in theirs)


async def test_engineer_reply_arrives_as_a_reply_to_the_first_message(desk: Desk) -> None:
    await desk.start()
    jane = Customer(desk, 5003, "Jane")
    first = jane.says(TERSE)
    await desk.wait_sent(jane.chat, 1)
    [ticket] = desk.tickets()
    assert desk.app is not None

    desk.app.ticket_actions.reply(
        ticket.reference, "We are shipping a <replacement> unit today", actor="U1", engineer="Sam"
    )
    await asyncio.to_thread(desk.app.outbox.flush)

    sent = await desk.wait_sent(jane.chat, 2)
    assert "We are shipping a &lt;replacement&gt; unit today" in sent[-1]["text"]
    assert sent[-1]["reply_parameters"]["message_id"] == first["message"]["message_id"]

    # the customer answers that message: it lands on the same ticket
    jane.says("Thanks, Acme Ltd will be in", reply_to=sent[-1]["sent_message_id"])
    await desk.wait_sent(jane.chat, 3)
    assert len(desk.tickets()) == 1


async def test_a_second_message_asks_which_ticket(desk: Desk) -> None:
    await desk.start()
    jane = Customer(desk, 5004, "Jane")
    jane.says(TERSE)
    await desk.wait_sent(jane.chat, 1)
    jane.says("/cancel")
    await desk.wait_sent(jane.chat, 2)
    jane.says("Also the WiFi in the warehouse is down")
    sent = await desk.wait_sent(jane.chat, 3)
    [ticket] = desk.tickets()
    assert f"Is this about {ticket.reference}" in sent[-1]["text"]
    buttons = [b["text"] for row in sent[-1]["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == [f"About {ticket.reference}", "A new report"]


async def test_flood_control_is_honoured(desk: Desk) -> None:
    await desk.start()
    desk.fake.flood_sends = 1
    jane = Customer(desk, 5005, "Jane")
    jane.says(TERSE)
    refused, delivered = await desk.wait_sent(jane.chat, 2)  # the 429, then the retry
    assert "sent_message_id" not in refused
    assert delivered["sent_message_id"]
    assert delivered["text"] == refused["text"]
    assert desk.fake.flood_sends == 0


async def test_webhook_requires_the_secret_token(desk: Desk) -> None:
    channel = await desk.start(mode="webhook", webhook_port=desk.port)
    await desk.wait_until(lambda: channel.bound_port is not None, "webhook listening")
    jane = Customer(desk, 5006, "Jane")
    update = jane.says(TERSE)
    desk.fake.updates.clear()  # delivered by webhook, not polled
    url = f"http://127.0.0.1:{desk.port}/telegram/webhook"
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
            async with http.post(url, json=update, headers=headers) as response:
                assert response.status == 403
        assert desk.tickets() == []
        good = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        for _ in range(2):  # delivered twice: one effect
            async with http.post(url, json=update, headers=good) as response:
                assert response.status == 200
    assert len(desk.tickets()) == 1
    await desk.wait_sent(jane.chat, 1)
    assert len(desk.sent(jane.chat)) == 1


async def test_start_greets_and_a_group_gets_nothing_but_a_refusal(desk: Desk) -> None:
    await desk.start()
    jane = Customer(desk, 5007, "Jane")
    start = jane.says("/start")
    [greeting] = await desk.wait_sent(jane.chat, 1)
    assert greeting["text"].startswith("Hello Jane! I log faults and questions")
    for command in ("/new", "/status", "/cancel", "/help"):
        assert f"\n{command} " in greeting["text"]
    assert greeting["reply_parameters"]["message_id"] == start["message"]["message_id"]

    group = -100123
    desk.fake.push(
        {
            "update_id": desk.fake.next_update_id(),
            "message": {
                "message_id": desk.fake.next_message_id(),
                "date": 1,
                "chat": {"id": group, "type": "supergroup", "title": "Acme IT"},
                "from": {"id": 5008, "is_bot": False, "first_name": "Bob"},
                "text": TERSE,
            },
        }
    )
    [refusal] = await desk.wait_sent(group, 1)
    assert "private chat" in refusal["text"]
    await desk.wait_consumed()
    assert desk.tickets() == []
