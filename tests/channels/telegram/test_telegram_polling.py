"""Polling: one poller per token across instances on one database (the lease)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot import leases
from bot.app import App
from bot.channels.telegram.service import lease_name
from tests.channels.telegram.conftest import TOKEN, Customer, Desk, serving
from tests.channels.telegram.fake_api import FakeBotApi
from tests.conftest import free_port

TERSE = "FortiGate 60F serial FGT60FTK2109ABCD on 7.2.5 keeps rebooting"


async def test_one_poller_per_token_and_a_clean_stop_hands_over(
    desk: Desk, make_app: Callable[..., App]
) -> None:
    first = await desk.start(lease_seconds=3)
    await desk.wait_until(lambda: bool(desk.fake.of("getUpdates")), "the first instance polling")
    # A second instance on the same database and token; its own fake server shows its calls.
    async with serving(FakeBotApi(token=TOKEN)) as other_fake:
        other = Desk(other_fake, make_app, free_port())
        try:
            second = await other.start(lease_seconds=3)
            await other.wait_until(lambda: bool(other_fake.of("getMe")), "the second started")
            await asyncio.sleep(1.5)  # longer than the second's retry interval (lease / 3)
            assert not other_fake.of("getUpdates")
            assert not other_fake.of("deleteWebhook")
            assert desk.app is not None
            with desk.app.sessions() as session:
                holder = leases.holder_of(session, lease_name(TOKEN), desk.app.clock())
            assert holder == first.holder != second.holder
            polls = len(desk.fake.of("getUpdates"))
            assert polls > 1  # the first keeps polling (and renewing its lease)

            await desk.stop()  # a clean stop gives the lease up at once
            await other.wait_until(lambda: bool(other_fake.of("getUpdates")), "the takeover")
            jane = Customer(other, 7001, "Jane")
            jane.says(TERSE)
            [reply] = await other.wait_sent(jane.chat, 1)
            assert "I've opened" in reply["text"]
            assert len(desk.fake.of("getUpdates")) == polls  # the first no longer polls
        finally:
            await other.stop()
