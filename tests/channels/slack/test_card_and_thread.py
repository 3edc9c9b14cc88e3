"""What the card and the thread show beyond the basics: stated vs assessed priority, what is
missing and attached, SLA warnings and breaches, escalations, bounces, and ``/ticket list``'s
order — each produced by the real intake, SLA watcher and outbox, read from the fake Web API."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from bot.channels.slack import card
from bot.sla.watcher import SlaWatcher
from storage import repositories as repo
from tests.channels.slack.conftest import ENGINEER, SlackDesk
from tests.conftest import Clock
from tests.helpers import bare, body, delivered, fixture_mail, ingest

Desk = Callable[..., contextlib.AbstractAsyncContextManager[SlackDesk]]


def _urgent_mail_with_a_log() -> bytes:
    """The PSU report, but the customer calls it URGENT and attaches ``show-env.txt``."""
    raw = fixture_mail("hardware-fault-no-serial.eml").decode()
    head, text = raw.split("\r\n\r\n", 1)
    head = head.replace("Subject: Core switch", "Subject: URGENT - Core switch")
    head = head.replace("CAF3x9-harbour-0001", "CAF3x9-harbour-urgent")
    head = head.replace(
        'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: 7bit',
        'Content-Type: multipart/mixed; boundary="B0"',
    )
    mail = (
        f"{head}\r\n\r\n--B0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
        "--B0\r\nContent-Type: text/plain\r\n"
        'Content-Disposition: attachment; filename="show-env.txt"\r\n\r\n'
        "PS1 FAIL <amber>\r\n--B0--\r\n"
    )
    return mail.encode()


def _fields(blocks: list[dict[str, Any]]) -> dict[str, str]:
    """The card's facts: ``{"Priority": "P3 Medium (assessed)\\n…", …}``."""
    facts = next(b for b in blocks if b["type"] == "section" and "fields" in b)
    pairs = (f["text"].split("\n", 1) for f in facts["fields"])
    return {name.strip("*"): value for name, value in pairs}


def _context(blocks: list[dict[str, Any]]) -> str:
    return "\n".join(e["text"] for b in blocks if b["type"] == "context" for e in b["elements"])


def _thread(desk: SlackDesk, reference: str) -> list[str]:
    ts = desk.card_ts(reference)
    return [" ".join(b["text"]["text"] for b in p["blocks"]) for p in desk.fake.posts(thread_ts=ts)]


async def test_card_shows_stated_and_assessed_priority_missing_details_and_attachments(
    make_desk: Desk,
) -> None:
    async with make_desk() as desk:
        result = ingest(desk.app, _urgent_mail_with_a_log())
        assert result.reference is not None
        await desk.feed()
        (posted,) = desk.fake.posts()
        facts = _fields(posted["blocks"])

        with desk.app.sessions() as session:
            ticket = repo.ticket_by_reference(session, result.reference)
            assert ticket is not None
            assessed = ticket.priority
        assert assessed in ("P2", "P3", "P4")  # the desk's definitions: one PSU left running
        assert facts["Priority"].startswith(f"{assessed} ")
        assert "(assessed)" in facts["Priority"]
        assert "Customer stated: URGENT (P1 Urgent)" in facts["Priority"]
        assert "<!date^" in facts["Response target"]  # the due time, in each reader's zone
        assert "(stated P1: 2 business hours)" in facts["Response target"]

        context = _context(posted["blocks"])
        assert "Still missing:" in context
        assert "Serial number" in context
        assert "*Attachments (1):* show-env.txt" in context


async def test_card_does_not_claim_a_difference_when_there_is_none(make_desk: Desk) -> None:
    async with make_desk() as desk:
        result = ingest(desk.app, fixture_mail("hardware-fault-no-serial.eml"))
        assert result.reference is not None
        await desk.feed()
        facts = _fields(desk.fake.posts()[0]["blocks"])
        assert "stated" not in facts["Priority"].lower()
        assert "stated" not in facts["Response target"]
        assert "Attachments" not in _context(desk.fake.posts()[0]["blocks"])


def test_stated_priority_is_compared_by_level_not_by_spelling() -> None:
    assert card.stated_differs("URGENT", "P1") is None  # the same level in other words
    assert card.stated_differs("p2", "P2") is None
    assert card.stated_differs("URGENT", "P3") == "URGENT"
    assert card.stated_differs("low priority", "P2") == "low priority"
    assert card.stated_differs("huge impact", "P2") == "huge impact"  # unplaced: shown
    assert card.stated_differs(None, "P2") is None
    assert card.stated_differs("  ", "P2") is None


async def test_sla_warning_breach_and_escalation_reach_the_thread(
    make_desk: Desk, clock: Clock
) -> None:
    async with make_desk() as desk:
        result = ingest(desk.app, fixture_mail("hardware-fault-no-serial.eml"))
        assert result.reference is not None
        desk.app.outbox.flush()
        (ack,) = delivered(desk.app)
        # the serial arrives: nothing is missing, so the ticket's clock runs
        answer = fixture_mail("hardware-fault-serial-reply.eml", reply_id=bare(ack["Message-ID"]))
        ingest(desk.app, answer)
        await desk.feed()
        watcher = SlaWatcher(desk.app.sessions, desk.app.config.sla, clock)
        clock.advance(days=60)  # far past the resolution target
        assert watcher.check() == [f"{result.reference} warning", f"{result.reference} breach"]
        await desk.feed()

        thread = _thread(desk, result.reference)
        assert any(t.startswith(":alarm_clock: SLA warning: resolution target") for t in thread)
        assert any(t.startswith(":fire: SLA breached: resolution target") for t in thread)
        escalated = next(t for t in thread if "Escalated" in t)
        assert "*2nd line*" in escalated
        assert "resolution target breached" in escalated


async def test_an_engineers_escalation_reaches_the_thread(make_desk: Desk) -> None:
    async with make_desk() as desk:
        result = ingest(desk.app, fixture_mail("hardware-fault-no-serial.eml"))
        assert result.reference is not None
        await desk.feed()
        assert (await desk.click(card.ESCALATE, result.reference)).status == 200
        await desk.feed()
        escalated = next(t for t in _thread(desk, result.reference) if "Escalated" in t)
        assert f"<@{ENGINEER}>" in escalated


async def test_a_bounce_of_our_mail_reaches_the_thread(make_desk: Desk) -> None:
    async with make_desk() as desk:
        result = ingest(desk.app, fixture_mail("hardware-fault-no-serial.eml"))
        assert result.reference is not None
        desk.app.outbox.flush()
        await desk.feed()
        (ack,) = delivered(desk.app)
        bounce = fixture_mail("bounce.eml", reply_id=bare(ack["Message-ID"]))
        assert ingest(desk.app, bounce).reference == result.reference
        await desk.feed()

        thread = _thread(desk, result.reference)
        bounced = next(t for t in thread if "bounced" in t)
        assert bounced.startswith(":x: Delivery failed")
        assert "sarah.collins@harbourfreight.example" in bounced
        assert "None" not in bounced
        assert not any("Customer follow-up" in t for t in thread)  # a bounce is no follow-up
        assert len(desk.fake.posts()) == 1


def _mail(tag: str) -> bytes:
    """Another customer's report: its own Message-ID and words (so it is no duplicate)."""
    raw = fixture_mail("hardware-fault-no-serial.eml")
    raw = raw.replace(b"CAF3x9-harbour-0001", tag.encode())
    return raw.replace(b"has failed this morning", f"has failed this morning ({tag})".encode())


async def test_ticket_list_is_most_urgent_first_then_oldest(make_desk: Desk, clock: Clock) -> None:
    async with make_desk() as desk:
        references = []
        for n in range(4):
            result = ingest(desk.app, _mail(f"list-{n}"))
            assert result.reference is not None
            references.append(result.reference)
            clock.advance(hours=1)
        oldest_p3, older_p1, newer_p1, resolved = references
        actions = desk.app.ticket_actions
        for reference, priority in zip(references, ("P3", "P1", "P1", "P1"), strict=True):
            actions.set_priority(reference, priority, actor="test")
        actions.resolve(resolved, "fixed", actor="test")

        listed = (await desk.command("list")).text
        lines = [line for line in listed.splitlines() if line.startswith("•")]
        assert [line.split("*")[1] for line in lines] == [older_p1, newer_p1, oldest_p3]
        assert resolved not in listed
        assert "4h 0m old" in lines[2]  # the oldest: opened four hours ago
        assert "unassigned" in lines[0]


async def test_a_thread_link_reaches_the_customer_as_plain_text(make_desk: Desk) -> None:
    async with make_desk() as desk:
        result = ingest(desk.app, fixture_mail("hardware-fault-no-serial.eml"))
        assert result.reference is not None
        desk.app.outbox.flush()
        await desk.feed()
        ts = desk.card_ts(result.reference)
        text = "reply: see <https://kb.example/psu|the PSU guide> &amp; <https://kb.example/x>"
        assert (await desk.message(text, ts)).status == 200
        assert desk.app.outbox.flush().sent == 1
        sent = body(delivered(desk.app)[-1])
        assert "see the PSU guide (https://kb.example/psu) & https://kb.example/x" in sent
        assert "<https" not in sent


async def test_a_file_shared_in_the_thread_is_noted(make_desk: Desk) -> None:
    async with make_desk() as desk:
        result = ingest(desk.app, fixture_mail("hardware-fault-no-serial.eml"))
        assert result.reference is not None
        await desk.feed()
        ts = desk.card_ts(result.reference)
        files = [{"id": "F1", "name": "psu-photo.jpg"}]
        await desk.message("the PSU label", ts, subtype="file_share", files=files)
        data = actions_notes(desk, result.reference)
        assert data == ["the PSU label\n(file in the Slack thread: psu-photo.jpg)"]


def actions_notes(desk: SlackDesk, reference: str) -> list[str]:
    with desk.app.sessions() as session:
        ticket = repo.ticket_by_reference(session, reference)
        assert ticket is not None
        return [n.text for n in repo.notes_of(session, ticket.id)]


async def test_a_rate_limited_call_from_a_click_is_retried(make_desk: Desk) -> None:
    async with make_desk() as desk:
        result = ingest(desk.app, fixture_mail("hardware-fault-no-serial.eml"))
        assert result.reference is not None
        desk.fake.rate_limit["views.open"] = 1
        assert (await desk.click(card.REPLY, result.reference)).status == 200
        assert [c.method for c in desk.fake.calls if c.method.startswith("views.open")] == [
            "views.open:429",
            "views.open",
        ]
