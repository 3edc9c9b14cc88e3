"""The Telegram channel as a service of ``intake-bot run``: PTB's ``Application`` fed by our own
``getUpdates`` loop (polling) or by our own aiohttp endpoint (webhook).

Our own loop rather than PTB's ``Updater``: the updater confirms an update to Telegram (by
asking for the next offset) as soon as it has queued it, before we have stored it; the design
acknowledges a message only once it is durably stored. Here the offset passes an update only
after :meth:`TelegramChannel.receive` has claimed it in the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import leases
from bot.channels.telegram.conversation import Conversation
from bot.config import secret_from_env
from bot.listen import listen
from bot.retry import backoff_delay

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name


def lease_name(token: str) -> str:
    """One poller per token (hashed: never the token itself in the database)."""
    return "telegram:poller:" + hashlib.sha256(token.encode()).hexdigest()[:16]


class TelegramChannel:
    name = "telegram"

    def __init__(self, app: App) -> None:
        self.app = app
        self.config = app.config.telegram
        self.token = secret_from_env(self.config.token_env, "telegram.token_env")
        self.secret = (
            secret_from_env(self.config.webhook_secret_env, "telegram.webhook_secret_env")
            if self.config.mode == "webhook"
            else ""
        )
        self.holder = leases.holder_name()
        self._raw: dict[int, dict[str, Any]] = {}
        self.conversation = Conversation(app, self._raw)
        self.application = self._application()
        self.bound_port: int | None = None

    def _application(self) -> Application[Any, Any, Any, Any, Any, Any]:
        application = (
            Application.builder()
            .token(self.token)
            .base_url(self.config.base_url)
            .base_file_url(self.config.base_file_url)
            .updater(None)  # updates come from our loop or our webhook (see the module doc)
            .build()
        )
        c = self.conversation
        for command, handler in (
            ("start", c.start),
            ("help", c.help),
            ("new", c.new),
            ("status", c.status),
            ("cancel", c.cancel),
        ):
            application.add_handler(CommandHandler(command, handler))
        application.add_handler(MessageHandler(filters.COMMAND, c.unknown))
        application.add_handler(
            MessageHandler(
                (filters.TEXT | filters.PHOTO | filters.Document.ALL) & ~filters.UpdateType.EDITED,
                c.message,
            )
        )
        application.add_handler(CallbackQueryHandler(c.button))
        application.add_error_handler(self._error)
        return application

    async def _error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # The update stays unclaimed: polling fetches it again, a webhook answers 500.
        error = context.error
        log.warning(
            "telegram update failed",
            extra={"error": f"{type(error).__name__}: {error}"},
            exc_info=error if not isinstance(error, TelegramError) else None,
        )

    async def receive(self, data: dict[str, Any]) -> bool:
        """Handle one update; True once it is durably dealt with (the offset may pass it)."""
        update_id = int(data["update_id"])
        inbox = self.conversation.inbox
        if await asyncio.to_thread(inbox.seen, update_id):
            return True  # the same update again: no effect
        self._raw[update_id] = data
        try:
            update = Update.de_json(data, self.application.bot)
            await self.application.process_update(update)
        finally:
            self._raw.pop(update_id, None)
        if update_id not in self.conversation.handled:
            await asyncio.to_thread(inbox.claim, update_id)  # nothing for us: never again
            return True
        self.conversation.handled.discard(update_id)
        return await asyncio.to_thread(inbox.seen, update_id)

    async def run(self, stop: asyncio.Event) -> None:
        await self._initialize(stop)
        try:
            if self.config.mode == "webhook":
                await self._serve_webhook(stop)
            else:
                await self._poll(stop)
        finally:
            await self.application.shutdown()

    async def _initialize(self, stop: asyncio.Event) -> None:
        """``getMe`` (PTB needs the bot's username for commands), retried until it answers."""
        attempt = 0
        while True:
            try:
                await self.application.initialize()
                return
            except TelegramError as exc:
                attempt += 1
                log.warning("telegram not reachable", extra={"error": str(exc)})
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), backoff_delay(attempt, 1.0, 60.0))
                if stop.is_set():
                    raise asyncio.CancelledError from None

    # -- polling -----------------------------------------------------------------------------

    async def _poll(self, stop: asyncio.Event) -> None:
        key = lease_name(self.token)
        bot = self.application.bot
        offset: int | None = None
        failures = 0
        webhook_cleared = False
        try:
            while not stop.is_set():
                now = self.app.clock()
                held = await asyncio.to_thread(self._hold, key, now)
                if not held:  # another instance polls this token; wait for its lease to lapse
                    await _sleep(stop, self.config.lease_seconds / 3)
                    continue
                try:
                    if not webhook_cleared:  # getUpdates is refused while a webhook is set
                        await bot.delete_webhook()
                        webhook_cleared = True
                    updates = await _until_stopped(stop, self._get_updates(offset))
                except TelegramError as exc:
                    failures += 1
                    log.warning("telegram getUpdates failed", extra={"error": str(exc)})
                    await _sleep(stop, backoff_delay(failures, 1.0, 60.0))
                    continue
                if updates is None:
                    break
                for data in updates:
                    if not await self.receive(data):
                        failures += 1  # not stored: fetched again from this offset
                        await _sleep(stop, backoff_delay(failures, 1.0, 60.0))
                        break
                    failures = 0
                    offset = int(data["update_id"]) + 1
        finally:
            await asyncio.to_thread(self._release, key)

    def _hold(self, key: str, now: datetime) -> bool:
        with self.app.sessions.begin() as session:
            return leases.hold(session, key, self.holder, now, self.config.lease_seconds)

    def _release(self, key: str) -> None:
        with self.app.sessions.begin() as session:
            leases.release(session, key, self.holder, self.app.clock())

    async def _get_updates(self, offset: int | None) -> list[dict[str, Any]]:
        """The next updates, as JSON (what a webhook would have been sent)."""
        timeout = self.config.poll_timeout_seconds
        updates = await self.application.bot.get_updates(
            offset=offset,
            timeout=timeout,
            allowed_updates=ALLOWED_UPDATES,
            read_timeout=timeout + 10,
        )
        return [u.to_dict() for u in updates]

    # -- webhook -----------------------------------------------------------------------------

    async def _serve_webhook(self, stop: asyncio.Event) -> None:
        server = web.Application()
        server.router.add_post(self.config.webhook_path, self._webhook)
        runner, self.bound_port = await listen(
            server, self.config.webhook_host, self.config.webhook_port, "telegram"
        )
        try:
            if self.config.webhook_url:
                await self.application.bot.set_webhook(
                    self.config.webhook_url,
                    secret_token=self.secret,
                    allowed_updates=ALLOWED_UPDATES,
                )
            await stop.wait()
        finally:
            await runner.cleanup()

    async def _webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning("telegram webhook: wrong or missing secret token")
            return web.Response(status=403)
        try:
            data = await request.json()
            int(data["update_id"])
        except (ValueError, KeyError, TypeError):
            return web.Response(status=400)
        stored = await self.receive(data)
        return web.Response(status=200 if stored else 500)  # 500: Telegram delivers it again


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def _until_stopped(stop: asyncio.Event, work: Any) -> list[dict[str, Any]] | None:
    """The result of ``work``, or None when ``stop`` is set first (the request is cancelled:
    nothing was confirmed to Telegram, so nothing is lost)."""
    task = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if task.done():
        return task.result()  # type: ignore[no-any-return]
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, TelegramError):
        await task
    return None
