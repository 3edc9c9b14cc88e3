"""``GET /healthz`` and ``GET /metrics`` inside ``intake-bot run`` (aiohttp; loopback default)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from aiohttp import web
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.config import OpsConfig
from bot.listen import listen
from bot.ops.metrics import REGISTRY, DatabaseGauges

log = logging.getLogger(__name__)


class OpsServer:
    name = "ops"

    def __init__(
        self, config: OpsConfig, sessions: sessionmaker[Session], clock: Callable[[], datetime]
    ) -> None:
        self.config = config
        self.sessions = sessions
        self.registry = CollectorRegistry()
        self.registry.register(DatabaseGauges(sessions, clock))
        self.bound_port: int | None = None

    def application(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics)
        return app

    async def healthz(self, request: web.Request) -> web.Response:
        try:
            await asyncio.to_thread(self._ping)
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            return web.json_response({"status": "unavailable", "database": reason}, status=503)
        return web.json_response({"status": "ok", "database": "ok"})

    async def metrics(self, request: web.Request) -> web.Response:
        body = generate_latest(REGISTRY)
        try:
            body += await asyncio.to_thread(generate_latest, self.registry)
        except SQLAlchemyError:
            log.warning("metrics: database unavailable; counters only")
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    def _ping(self) -> None:
        with self.sessions() as session:
            session.execute(text("SELECT 1"))

    async def run(self, stop: asyncio.Event) -> None:
        runner, self.bound_port = await listen(
            self.application(), self.config.host, self.config.port, "ops"
        )
        log.info("ops listening", extra={"host": self.config.host, "port": self.bound_port})
        try:
            await stop.wait()
        finally:
            await runner.cleanup()
