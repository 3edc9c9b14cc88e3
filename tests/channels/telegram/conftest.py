"""A running Telegram channel (the real PTB ``Application``) against a local fake Bot API, and
helpers that speak to it as customers would."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import select

from bot.app import App
from bot.channels.telegram.service import TelegramChannel
from bot.forms.engine import FormState
from bot.forms.store import load_form
from storage import repositories as repo
from storage.models import Event, Ticket
from tests.channels.telegram.fake_api import FakeBotApi
from tests.conftest import free_port

TOKEN = "123456:TEST-throwaway-token"
SECRET = "test-webhook-secret-0123456789"
DEADLINE = 15.0


class Customer:
    def __init__(self, desk: Desk, user_id: int, first: str, last: str = "") -> None:
        self.desk, self.id, self.first, self.last = desk, user_id, first, last

    @property
    def chat(self) -> int:
        return self.id  # a private chat's id is its user's id

    def _message(self, **fields: Any) -> dict[str, Any]:
        sender = {"id": self.id, "is_bot": False, "first_name": self.first}
        if self.last:
            sender["last_name"] = self.last
        return {
            "message_id": self.desk.fake.next_message_id(),
            "date": int(time.time()),
            "chat": {"id": self.chat, "type": "private", "first_name": self.first},
            "from": sender,
            **fields,
        }

    def says(self, text: str, reply_to: int | None = None) -> dict[str, Any]:
        """Queue a text message; returns the update."""
        fields: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if reply_to is not None:
            fields["reply_to_message"] = {
                "message_id": reply_to,
                "date": int(time.time()),
                "chat": {"id": self.chat, "type": "private"},
                "text": "…",
            }
        return self._push({"message": self._message(**fields)})

    def sends_photo(self, data: bytes, caption: str = "") -> dict[str, Any]:
        file_id = f"photo{len(self.desk.fake.files) + 1}"
        self.desk.fake.files[file_id] = (f"photos/{file_id}.jpg", data)
        photo = [
            {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "width": 800,
                "height": 600,
                "file_size": len(data),
            }
        ]
        return self._push({"message": self._message(photo=photo, caption=caption)})

    def sends_document(
        self, data: bytes, filename: str, mime_type: str, caption: str = "", sized: bool = True
    ) -> dict[str, Any]:
        file_id = f"doc{len(self.desk.fake.files) + 1}"
        self.desk.fake.files[file_id] = (f"documents/{file_id}", data)
        document = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": filename,
            "mime_type": mime_type,
        }
        if sized:  # Telegram leaves the size out sometimes
            document["file_size"] = len(data)
        fields: dict[str, Any] = {"document": document}
        if caption:
            fields["caption"] = caption
        return self._push({"message": self._message(**fields)})

    def presses(self, button: dict[str, Any], on: dict[str, Any]) -> dict[str, Any]:
        """Press ``button`` (an inline keyboard button) on the bot's message ``on``."""
        query = {
            "id": f"cb{self.desk.fake.next_update_id()}",
            "from": {"id": self.id, "is_bot": False, "first_name": self.first},
            "chat_instance": "ci1",
            "data": button["callback_data"],
            "message": on,
        }
        return self._push({"callback_query": query})

    def _push(self, body: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": self.desk.fake.next_update_id(), **body}
        self.desk.fake.push(update)
        return update


class Desk:
    """The fake Bot API, the app, and the channel service running in the test's loop."""

    def __init__(self, fake: FakeBotApi, make_app: Callable[..., App], port: int) -> None:
        self.fake = fake
        self.make_app = make_app
        self.port = port
        self.app: App | None = None
        self.channel: TelegramChannel | None = None
        self._stop: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    def build(self, **telegram: Any) -> App:
        section = {
            "enabled": True,
            "base_url": f"{self.fake.base}/bot",
            "base_file_url": f"{self.fake.base}/file/bot",
            "poll_timeout_seconds": 1,
            **telegram,
        }
        self.app = self.make_app(telegram=section)
        return self.app

    async def start(self, **telegram: Any) -> TelegramChannel:
        app = self.build(**telegram)
        self.channel = TelegramChannel(app)
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(self.channel.run(self._stop))
        return self.channel

    async def stop(self) -> None:
        if self._stop is not None and self._task is not None:
            self._stop.set()
            await asyncio.wait_for(self._task, DEADLINE)
        self._stop = self._task = None

    async def restart(self) -> None:
        """Stop the service and start a new App on the same database (a new process)."""
        await self.stop()
        await self.start()

    # -- reading what happened ---------------------------------------------------------------

    def sent(self, chat: int) -> list[dict[str, Any]]:
        return self.fake.of("sendMessage", chat)

    async def wait_sent(self, chat: int, count: int) -> list[dict[str, Any]]:
        """Wait until ``count`` messages were sent to ``chat`` (fails after the deadline)."""
        await self.wait_until(lambda: len(self.sent(chat)) >= count, f"{count} messages to {chat}")
        return self.sent(chat)

    async def wait_consumed(self) -> None:
        """Wait until every queued update was fetched and confirmed (offset moved past it)."""
        await self.wait_until(lambda: not self.fake.updates, "updates consumed")
        # the confirmation is the next getUpdates call: by then the previous batch is done
        n = len(self.fake.of("getUpdates"))
        await self.wait_until(lambda: len(self.fake.of("getUpdates")) > n, "next poll")

    async def wait_until(self, predicate: Callable[[], bool], what: str) -> None:
        """Poll ``predicate`` with a deadline; a crashed service fails at once, with its error."""
        deadline = time.monotonic() + DEADLINE
        while not predicate():
            if self._task is not None and self._task.done():
                self._task.result()  # raises what ended the service
                raise AssertionError(f"the service stopped while waiting for {what}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            await asyncio.sleep(0.02)

    def form(self, chat: int) -> FormState | None:
        assert self.app is not None
        with self.app.sessions() as session:
            return load_form(session, "telegram", f"telegram:{chat}")

    def events(self, ticket: Ticket, kind: str) -> list[Event]:
        assert self.app is not None
        with self.app.sessions() as session:
            found = [e for e in repo.events_of(session, ticket.id) if e.kind == kind]
            session.expunge_all()
            return found

    def tickets(self) -> list[Ticket]:
        assert self.app is not None
        with self.app.sessions() as session:
            found = list(session.scalars(select(Ticket).order_by(Ticket.id)))
            session.expunge_all()
            return found


async def wait_until(predicate: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


@contextlib.asynccontextmanager
async def serving(fake: FakeBotApi) -> AsyncIterator[FakeBotApi]:
    """``fake`` listening on a free loopback port (its ``base`` set) until the block ends."""
    runner = web.AppRunner(fake.application(), access_log=None)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    fake.base = f"http://127.0.0.1:{port}"
    try:
        yield fake
    finally:
        await runner.cleanup()


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotApi]:
    async with serving(FakeBotApi(token=TOKEN)) as fake:
        yield fake


@pytest.fixture
async def desk(
    fake_api: FakeBotApi, make_app: Callable[..., App], monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Desk]:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
    d = Desk(fake_api, make_app, free_port())
    try:
        yield d
    finally:
        with contextlib.suppress(Exception):
            await d.stop()


def button(message: dict[str, Any], label_starts: str) -> dict[str, Any]:
    """The inline button whose label starts with ``label_starts`` on a sent message."""
    for row in message.get("reply_markup", {}).get("inline_keyboard", []):
        for b in row:
            if str(b["text"]).startswith(label_starts):
                return dict(b)
    raise AssertionError(f"no button {label_starts!r} in {message.get('reply_markup')}")


def as_delivered(params: dict[str, Any]) -> dict[str, Any]:
    """The bot's sent message as Telegram shows it in a callback query."""
    return {
        "message_id": params["sent_message_id"],
        "date": int(time.time()),
        "chat": {"id": int(params["chat_id"]), "type": "private"},
        "from": {"id": 7000001, "is_bot": True, "first_name": "Desk"},
        "text": params.get("text", ""),
    }
