"""/healthz and /metrics, served by the real aiohttp app inside `run` (both databases)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable

import aiohttp

from bot.app import App
from bot.ops.http import OpsServer
from storage.db import make_engine, make_sessionmaker
from tests.conftest import free_port
from tests.helpers import fixture_mail, ingest


async def _get(server: OpsServer, path: str) -> tuple[int, str]:
    url = f"http://127.0.0.1:{server.bound_port}{path}"
    async with aiohttp.ClientSession() as client, client.get(url) as response:
        return response.status, await response.text()


async def _serving(server: OpsServer, stop: asyncio.Event) -> asyncio.Task[None]:
    task = asyncio.create_task(server.run(stop))
    for _ in range(200):
        if server.bound_port:
            return task
        await asyncio.sleep(0.01)
    raise AssertionError("ops server did not start")


async def test_health_and_metrics(make_app: Callable[..., App]) -> None:
    app = make_app()
    result = await asyncio.to_thread(ingest, app, fixture_mail("hardware-fault-no-serial.eml"))
    assert result.status == "processed"
    server = OpsServer(
        dataclasses.replace(app.config.ops, port=free_port()), app.sessions, app.clock
    )
    stop = asyncio.Event()
    task = await _serving(server, stop)
    try:
        status, body = await _get(server, "/healthz")
        assert (status, body) == (200, '{"status": "ok", "database": "ok"}')
        status, body = await _get(server, "/metrics")
        assert status == 200
        assert 'intake_messages_total{channel="email",status="processed"}' in body
        assert 'intake_outbox{status="pending"} 1.0' in body
        assert 'intake_raw_messages{status="processed"} 1.0' in body
        assert "intake_processing_seconds_bucket" in body
    finally:
        stop.set()
        await task


async def test_health_reports_a_database_outage(make_app: Callable[..., App]) -> None:
    app = make_app()
    dead = make_engine(f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/gone")
    server = OpsServer(
        dataclasses.replace(app.config.ops, port=free_port()), make_sessionmaker(dead), app.clock
    )
    stop = asyncio.Event()
    task = await _serving(server, stop)
    try:
        status, body = await _get(server, "/healthz")
        assert status == 503
        assert '"status": "unavailable"' in body
        status, _ = await _get(server, "/metrics")
        assert status == 200  # counters still served
    finally:
        stop.set()
        await task
        dead.dispose()
