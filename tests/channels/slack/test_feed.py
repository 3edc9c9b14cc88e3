"""The feed: customer follow-ups and later events in the card's thread, the card redrawn, and each
item posted once even with several instances on one database."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from slack_sdk.web.async_client import AsyncWebClient

from bot import leases
from bot.app import App
from bot.channels.slack.feed import LEASE_NAME, SlackFeed
from tests.channels.slack.conftest import BOT_TOKEN, TRIAGE, SlackDesk, slack_config, wait_until
from tests.channels.slack.fake_slack import FakeSlack
from tests.conftest import Clock
from tests.helpers import bare, delivered, fixture_mail, ingest

Desk = Callable[..., contextlib.AbstractAsyncContextManager[SlackDesk]]


def _texts(fake: FakeSlack, ts: str) -> list[str]:
    return [" ".join(b["text"]["text"] for b in p["blocks"]) for p in fake.posts(thread_ts=ts)]


async def test_customer_follow_up_with_new_fields_goes_to_the_thread(make_desk: Desk) -> None:
    async with make_desk() as desk:
        first = ingest(desk.app, fixture_mail("hardware-fault-no-serial.eml"))
        assert first.reference is not None
        desk.app.outbox.flush()
        await desk.feed()
        ack = delivered(desk.app)[0]
        raw = fixture_mail("hardware-fault-serial-reply.eml", reply_id=bare(ack["Message-ID"]))
        assert ingest(desk.app, raw).reference == first.reference
        await desk.feed()

        ts = desk.card_ts(first.reference)
        follow_up = next(t for t in _texts(desk.fake, ts) if "Customer follow-up" in t)
        assert "Serial number: FCW2231L0AB" in follow_up
        assert "*New details:*" in follow_up
        assert "FCW2231L0AB" in follow_up.split("New details")[1]
        card = desk.fake.of("chat.update")[-1]
        assert card["ts"] == ts
        assert any("FCW2231L0AB" in f["text"] for b in card["blocks"] for f in b.get("fields", []))
        assert len(desk.fake.posts()) == 1  # still one card: the follow-up is no new ticket


async def test_the_running_service_posts_by_itself(make_desk: Desk) -> None:
    async with make_desk(run_feed=True) as desk:
        result = ingest(desk.app, fixture_mail("hardware-fault-no-serial.eml"))
        await wait_until(lambda: len(desk.fake.posts()) == 1)
        assert result.reference is not None
        assert result.reference in desk.fake.posts()[0]["text"]


def _mail(tag: str) -> bytes:
    """Another customer's report: its own Message-ID and words (so it is no duplicate)."""
    raw = fixture_mail("hardware-fault-no-serial.eml")
    raw = raw.replace(b"CAF3x9-harbour-0001", tag.encode())
    return raw.replace(b"has failed this morning", f"has failed this morning ({tag})".encode())


def _feed(app: App, fake: FakeSlack, clock: Clock, owner: str) -> SlackFeed:
    client = AsyncWebClient(base_url=fake.api_url, token=BOT_TOKEN)
    return SlackFeed(app.sessions, client, TRIAGE, clock, owner=owner)


async def test_two_instances_post_each_item_once(
    make_app: Callable[..., App], fake_slack: FakeSlack, clock: Clock
) -> None:
    one = make_app(slack=slack_config(fake_slack))
    two = make_app(slack=slack_config(fake_slack))  # same database: another `run` process
    feeds = [_feed(one, fake_slack, clock, "one"), _feed(two, fake_slack, clock, "two")]
    references = []
    for _ in range(3):
        result = ingest(one, _mail(f"m{len(references)}"))
        assert result.reference is not None
        references.append(result.reference)
    one.outbox.flush()

    for _ in range(3):
        await asyncio.gather(*(f.step() for f in feeds))
    cards = fake_slack.posts()
    assert sorted(c["text"].split()[2] for c in cards) == sorted(references)
    thread_posts = [p for p in fake_slack.of("chat.postMessage") if p.get("thread_ts")]
    assert len(thread_posts) == len({(p["thread_ts"], p["text"]) for p in thread_posts})

    # the holder stops (crash): once its lease runs out, the other carries on from the cursor
    app_two_ticket = ingest(two, _mail("later"))
    assert app_two_ticket.reference is not None
    with one.sessions() as session:  # whichever won the race for the lease
        owner = leases.holder_of(session, LEASE_NAME, clock())
    holder = next(f for f in feeds if f.owner == owner)
    other = next(f for f in feeds if f.owner != owner)
    done_before = await holder.step()
    assert done_before > 0  # the holder posted the new ticket
    assert await other.step() == 0  # the lease is still the holder's
    ingest(two, _mail("after-crash"))
    clock.advance(seconds=61)
    assert await other.step() > 0
    assert len(fake_slack.posts()) == 5  # every ticket once: none repeated after the takeover
