"""The Slack service of ``intake-bot run``: bolt over HTTP or Socket Mode, plus the feed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot.channels.slack.bolt_app import build_bolt_app
from bot.channels.slack.feed import SlackFeed
from bot.config import secret_from_env
from bot.listen import listen

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

PATH = "/slack/events"  # events, commands and interactivity: one request URL (DESIGN.md)


class SlackService:
    name = "slack"

    def __init__(
        self,
        app: App,
        *,
        process_before_response: bool = False,
        feed_poll_seconds: float = 2.0,
        run_feed: bool = True,
    ) -> None:
        self.app = app
        self.config = app.config.slack
        self.bolt: AsyncApp = build_bolt_app(app, process_before_response=process_before_response)
        self.feed = SlackFeed(
            app.sessions,
            self.bolt.client,
            self.config.triage_channel,
            app.clock,
            poll_seconds=feed_poll_seconds,
            sla=app.config.sla,
        )
        self.run_feed = run_feed  # tests drive the feed themselves (``feed.step()``)
        self.bound_port: int | None = None
        self.ready = asyncio.Event()

    def application(self) -> web.Application:
        """The HTTP endpoint: bolt checks each request's signature and timestamp (401 if bad)."""

        async def handle(request: web.Request) -> web.Response:
            response = await self.bolt.async_dispatch(await to_bolt_request(request))
            return await to_aiohttp_response(response)

        application = web.Application()
        application.router.add_post(PATH, handle)
        return application

    async def run(self, stop: asyncio.Event) -> None:
        idle = asyncio.Event()  # never set: a feed that is not run waits with the service
        feed = asyncio.create_task(self.feed.run(stop) if self.run_feed else idle.wait())
        try:
            if self.config.mode == "socket":
                await self._socket_mode(stop)
            else:
                await self._http(stop)
        finally:
            feed.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await feed

    async def _http(self, stop: asyncio.Event) -> None:
        runner, self.bound_port = await listen(
            self.application(), self.config.host, self.config.port, "slack"
        )
        log.info("slack listening", extra={"host": self.config.host, "port": self.bound_port})
        self.ready.set()
        try:
            await stop.wait()
        finally:
            await runner.cleanup()

    async def _socket_mode(self, stop: asyncio.Event) -> None:
        app_token = secret_from_env(self.config.app_token_env, "slack app token")
        handler = AsyncSocketModeHandler(self.bolt, app_token)
        await handler.connect_async()  # type: ignore[no-untyped-call]
        log.info("slack socket mode connected")
        self.ready.set()
        try:
            await stop.wait()
        finally:
            await handler.close_async()  # type: ignore[no-untyped-call]
