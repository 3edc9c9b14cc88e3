"""Engineers work a ticket in Slack, end to end: the real bolt app behind its HTTP endpoint, fed
signed requests, its Web API calls caught by a recording fake; customers' mail through the real
intake and outbox."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from bot.channels.slack import card
from bot.channels.slack.text import SECTION_LIMIT
from storage import repositories as repo
from storage.models import Event, Note, OutboxItem
from tests.channels.slack.conftest import (
    ENGINEER,
    OTHER_ENGINEER,
    STRANGER,
    TRIAGE,
    SlackDesk,
    SmtpSink,
)
from tests.helpers import bare, body, delivered, fixture_mail, ingest

Desk = Callable[..., contextlib.AbstractAsyncContextManager[SlackDesk]]
CUSTOMER_MESSAGE_ID = "CAF3x9-harbour-0001@mail.harbourfreight.example"


def _open_ticket(desk: SlackDesk) -> str:
    result = ingest(desk.app, fixture_mail("hardware-fault-no-serial.eml"))
    assert result.reference is not None
    assert desk.app.outbox.flush().sent == 1  # the acknowledgement
    return result.reference


def _events(desk: SlackDesk, reference: str) -> list[Event]:
    with desk.app.sessions() as session:
        ticket = repo.ticket_by_reference(session, reference)
        assert ticket is not None
        return list(repo.events_of(session, ticket.id))


def _kinds(desk: SlackDesk, reference: str) -> list[str]:
    return [e.kind for e in _events(desk, reference)]


def _thread_texts(desk: SlackDesk, reference: str) -> list[str]:
    ts = desk.card_ts(reference)
    return [" ".join(b["text"]["text"] for b in p["blocks"]) for p in desk.fake.posts(thread_ts=ts)]


def _card_text(blocks: list[dict[str, Any]]) -> str:
    parts: list[str] = []
    for block in blocks:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts.extend(f["text"] for f in block.get("fields", []))
        parts.extend(e.get("text", "") for e in block.get("elements", []) if "text" in e)
    return "\n".join(str(p) for p in parts)


async def test_new_email_ticket_gets_one_card_in_triage(make_desk: Desk) -> None:
    async with make_desk() as desk:
        reference = _open_ticket(desk)
        assert await desk.feed() > 0
        assert await desk.feed() == 0  # nothing new: nothing posted again

        (posted,) = desk.fake.posts()
        assert posted["channel"] == TRIAGE
        text = _card_text(posted["blocks"])
        assert reference in text
        assert "Cisco" in text
        assert "9300" in text
        assert "17.9.4" in text  # version
        assert "Serial" in text
        assert "Still missing:" in text
        actions = next(b for b in posted["blocks"] if b["type"] == "actions")
        ids = [e["action_id"] for e in actions["elements"]]
        assert ids == [card.CLAIM, card.PRIORITY, card.ASK, card.REPLY, card.ESCALATE, card.RESOLVE]
        assert desk.card_ts(reference)
        # the acknowledgement went out: the thread says so, the card itself is one message
        assert any("Sent to the customer by email ✔" in t for t in _thread_texts(desk, reference))


async def test_claim_and_reprioritise_update_the_card_and_the_audit_trail(
    make_desk: Desk,
) -> None:
    async with make_desk() as desk:
        reference = _open_ticket(desk)
        await desk.feed()
        ts = desk.card_ts(reference)
        before = len(desk.fake.of("chat.update"))

        assert (await desk.click(card.CLAIM, reference)).status == 200
        assert (await desk.click(card.PRIORITY, "", selected=f"{reference} P1")).status == 200
        await desk.feed()

        kinds = _kinds(desk, reference)
        assert "assigned" in kinds
        assert "priority_changed" in kinds
        assert kinds[-1] == "targets_set"
        claimed = next(e for e in _events(desk, reference) if e.kind == "assigned")
        assert claimed.actor == f"slack:{ENGINEER}"
        assert claimed.detail["assignee"] == ENGINEER
        updates = desk.fake.of("chat.update")[before:]
        assert updates
        assert updates[-1]["ts"] == ts
        assert updates[-1]["channel"] == TRIAGE
        latest = _card_text(updates[-1]["blocks"])
        assert f"<@{ENGINEER}>" in latest
        assert "P1 Urgent" in latest
        thread = _thread_texts(desk, reference)
        assert any("Claimed by" in t for t in thread)
        assert any("Priority" in t and "*P1*" in t for t in thread)


async def test_reply_reaches_the_customer_in_their_thread_and_slack_says_sent(
    make_desk: Desk, smtp_sink: SmtpSink
) -> None:
    async with make_desk(smtp=smtp_sink) as desk:
        reference = _open_ticket(desk)
        await desk.feed()
        (ack,) = smtp_sink.messages
        answer = await desk.command(f"{reference} reply We have shipped a new PSU &amp; cable.")
        assert answer.status == 200
        assert "queued" in answer.text

        # queued, not yet delivered: the thread says queued, and no second "sent" line yet
        await desk.feed()
        thread = _thread_texts(desk, reference)
        queued = next(t for t in thread if "Reply queued" in t)
        assert "PSU &amp; cable" in queued  # shown escaped for mrkdwn
        assert sum("Sent to the customer by email ✔" in t for t in thread) == 1  # the ack only
        assert not any("(reply)" in t for t in thread)

        assert desk.app.outbox.flush().sent == 1
        _ack, reply = smtp_sink.messages
        assert smtp_sink.recipients[-1] == ["sarah.collins@harbourfreight.example"]
        assert bare(reply["In-Reply-To"]) == CUSTOMER_MESSAGE_ID
        references = [bare(r) for r in str(reply["References"]).split()]
        assert references[0] == CUSTOMER_MESSAGE_ID  # the thread's root stays first
        assert bare(reply["Message-ID"]) != bare(ack["Message-ID"])
        assert reply["Auto-Submitted"] is None  # a person's reply, not an automatic one
        assert ack["Auto-Submitted"] == "auto-replied"  # (the acknowledgement is)
        assert "We have shipped a new PSU & cable." in body(reply)  # Slack's &amp; undone
        assert reference in str(reply["Subject"])
        assert "Priya Shah" in body(reply)  # signed with the engineer's name

        await desk.feed()
        thread = _thread_texts(desk, reference)
        sent = [t for t in thread if "Sent to the customer by email ✔" in t]
        assert len(sent) == 2  # ack + reply, each once it was delivered
        assert "(reply)" in sent[-1]


async def test_a_failed_delivery_is_shown_in_the_thread_and_never_as_sent(
    make_desk: Desk, smtp_sink: SmtpSink
) -> None:
    async with make_desk(smtp=smtp_sink) as desk:
        reference = _open_ticket(desk)
        await desk.feed()
        smtp_sink.answer = "550 5.1.1 mailbox unavailable"
        assert (await desk.command(f"{reference} ask Which slot is the PSU in?")).status == 200
        assert desk.app.outbox.flush().failed == 1
        await desk.feed()
        thread = _thread_texts(desk, reference)
        failed = next(t for t in thread if "was not delivered" in t)
        assert "question" in failed
        assert "sarah.collins@harbourfreight.example" in failed
        assert "550 5.1.1" in failed
        assert sum("Sent to the customer" in t for t in thread) == 1  # the ack only


async def test_reply_prefix_in_the_thread_goes_to_the_customer(make_desk: Desk) -> None:
    async with make_desk() as desk:
        reference = _open_ticket(desk)
        await desk.feed()
        ts = desk.card_ts(reference)
        assert (await desk.message("reply: The courier comes at 2pm.", ts)).status == 200
        assert desk.app.outbox.flush().sent == 1
        reply = delivered(desk.app)[-1]
        assert "The courier comes at 2pm." in body(reply)
        assert "Priya Shah" in body(reply)  # signed with the engineer's name (users.info)


async def test_internal_note_never_reaches_the_customer(make_desk: Desk) -> None:
    async with make_desk() as desk:
        reference = _open_ticket(desk)
        await desk.feed()
        ts = desk.card_ts(reference)
        posted_before = len(desk.fake.posts(thread_ts=ts))

        # as Slack sends it: & < > escaped
        note = "PSU is a known batch fault, &lt;see&gt; RMA-77"
        assert (await desk.message(note, ts)).status == 200
        assert (await desk.command(f"{reference} note spare in Leeds stock")).status == 200

        with desk.app.sessions() as session:
            notes = [n.text for n in session.scalars(select(Note)).all()]
            outbox = session.scalars(select(OutboxItem)).all()
        assert notes == ["PSU is a known batch fault, <see> RMA-77", "spare in Leeds stock"]
        assert len(outbox) == 1  # only the acknowledgement
        assert desk.app.outbox.flush().sent == 0
        assert len(delivered(desk.app)) == 1
        await desk.feed()
        new = _thread_texts(desk, reference)[posted_before:]
        # the note typed in the thread is not echoed; the one from /ticket is shown, as internal
        assert len(new) == 1
        assert "spare in Leeds stock" in new[0]
        assert "not sent" in new[0]


async def test_a_non_engineer_is_refused_and_nothing_changes(make_desk: Desk) -> None:
    async with make_desk() as desk:
        reference = _open_ticket(desk)
        await desk.feed()
        kinds = _kinds(desk, reference)

        assert (await desk.click(card.CLAIM, reference, user=STRANGER)).status == 200
        refusal = desk.fake.of("chat.postEphemeral")[-1]
        assert refusal["user"] == STRANGER
        assert "only the support desk's engineers" in refusal["text"]
        answer = await desk.command(f"{reference} resolve done", user=STRANGER)
        assert "only the support desk's engineers" in answer.text
        await desk.message("reply: hello from a stranger", desk.card_ts(reference), user=STRANGER)
        assert (await desk.click(card.REPLY, reference, user=STRANGER)).status == 200
        submitted = await desk.submit("ticket_reply_modal", reference, "hi", user=STRANGER)
        assert "only the support desk" in submitted.text

        assert _kinds(desk, reference) == kinds
        assert desk.fake.of("views.open") == []
        assert desk.app.outbox.flush().sent == 0


async def test_channel_members_may_act_when_configured(make_desk: Desk) -> None:
    desk_cm = make_desk(triage_members_may_act=True)
    async with desk_cm as desk:
        desk.fake.members = [STRANGER]
        reference = _open_ticket(desk)
        assert (await desk.click(card.CLAIM, reference, user=STRANGER)).status == 200
        assert desk.fake.of("conversations.members")[-1]["channel"] == TRIAGE
        assert "assigned" in _kinds(desk, reference)
        desk.fake.members = []
        answer = await desk.command(f"{reference} priority P2", user=STRANGER)
        assert "only the support desk's engineers" in answer.text


async def test_the_same_event_delivered_twice_has_effect_once(make_desk: Desk) -> None:
    async with make_desk() as desk:
        reference = _open_ticket(desk)
        await desk.feed()
        ts = desk.card_ts(reference)
        for retry in (None, 1, 2):
            reply = await desk.message("checked the logs", ts, event_id="Ev0SAME", retry=retry)
            assert reply.status == 200
        assert _kinds(desk, reference).count("note_added") == 1


async def test_own_and_bot_messages_and_top_level_chatter_are_ignored(make_desk: Desk) -> None:
    async with make_desk() as desk:
        reference = _open_ticket(desk)
        await desk.feed()
        ts = desk.card_ts(reference)
        await desk.message("posted by us", ts, user="UBOTSELF", bot_id="BBOTSELF")
        await desk.message("another bot", ts, subtype="bot_message", bot_id="B0OTHER")
        await desk.message("edited", ts, subtype="message_changed")
        await desk.message("hello channel", None)
        assert "note_added" not in _kinds(desk, reference)


async def test_ticket_command_answers_and_errors(make_desk: Desk) -> None:
    async with make_desk() as desk:
        reference = _open_ticket(desk)
        shown = await desk.command(reference.lower())
        assert shown.status == 200
        assert reference in shown.text
        assert "Harbour" in shown.text
        assert "/ticket REF reply" in (await desk.command("help")).text
        assert reference in (await desk.command("list")).text

        unknown = reference[:-1] + ("A" if reference[-1] != "A" else "B")
        assert "is not a ticket reference" in (await desk.command(f"{unknown} claim")).text
        missing = desk.app.references.format(2026, 999999)  # well-formed, never issued
        assert f"no ticket {missing}" in (await desk.command(f"{missing} claim")).text
        assert "unknown priority 'P7'" in (await desk.command(f"{reference} priority P7")).text
        assert (
            "unknown action 'frobnicate'" in (await desk.command(f"{reference} frobnicate x")).text
        )

        assigned = await desk.command(f"{reference} assign <@{OTHER_ENGINEER}|tom>")
        assert f"assigned to {OTHER_ENGINEER}" in assigned.text
        assert (await desk.command(f"{reference} escalate vendor TAC needed")).status == 200
        escalated = next(e for e in _events(desk, reference) if e.kind == "escalated")
        assert escalated.detail["reason"] == "vendor TAC needed"


async def test_modals_open_and_their_submissions_act(make_desk: Desk) -> None:
    async with make_desk() as desk:
        reference = _open_ticket(desk)
        assert (await desk.click(card.ASK, reference)).status == 200
        (opened,) = desk.fake.of("views.open")
        assert opened["view"]["callback_id"] == "ticket_ask_modal"
        assert opened["view"]["private_metadata"] == reference

        empty = await desk.submit("ticket_ask_modal", reference, "   ")
        assert '"response_action":"errors"' in empty.text.replace(" ", "")
        asked = await desk.submit("ticket_ask_modal", reference, "What is the serial number?")
        assert asked.status == 200
        assert "errors" not in asked.text
        resolved = await desk.submit("ticket_resolve_modal", reference, "PSU replaced; fixed.")
        assert resolved.status == 200

        assert desk.app.outbox.flush().sent == 2
        question, resolution = delivered(desk.app)[-2:]
        assert "What is the serial number?" in body(question)
        assert "PSU replaced; fixed." in body(resolution)
        with desk.app.sessions() as session:
            ticket = repo.ticket_by_reference(session, reference)
            assert ticket is not None
            assert ticket.status == "resolved"

        await desk.feed()
        latest = desk.fake.posts()[-1]["blocks"]
        assert not any(b["type"] == "actions" for b in latest)  # resolved: no buttons
        thread = _thread_texts(desk, reference)
        assert any("Resolved by" in t and "PSU replaced" in t for t in thread)


async def test_long_text_is_split_and_user_text_escaped(make_desk: Desk) -> None:
    async with make_desk() as desk:
        reference = _open_ticket(desk)
        await desk.feed()
        ts = desk.card_ts(reference)
        long_reply = "&lt;!channel&gt; " + ("word " * 1600)  # typed literally: Slack escapes it
        assert (await desk.command(f"{reference} reply {long_reply}")).status == 200
        await desk.feed()
        last = desk.fake.posts(thread_ts=ts)[-1]
        assert all(len(b["text"]["text"]) <= SECTION_LIMIT for b in last["blocks"])
        joined = " ".join(b["text"]["text"] for b in last["blocks"])
        assert "&lt;!channel&gt;" in joined
        assert "<!channel>" not in joined
        assert len(last["blocks"]) >= 2


async def test_rate_limited_calls_are_retried(make_desk: Desk) -> None:
    async with make_desk() as desk:
        desk.fake.rate_limit["chat.postMessage"] = 2
        reference = _open_ticket(desk)
        await desk.feed()
        assert len([c for c in desk.fake.calls if c.method == "chat.postMessage:429"]) == 2
        assert desk.card_ts(reference)
        assert len(desk.fake.posts()) == 1
