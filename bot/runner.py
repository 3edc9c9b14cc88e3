"""``intake-bot run``: every enabled channel and worker in one process until SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from bot.app import App

log = logging.getLogger(__name__)

OUTBOX_INTERVAL_SECONDS = 1.0


async def run_forever(app: App, stop: asyncio.Event | None = None) -> None:
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    _ = app.engine  # open and check the schema before announcing readiness
    log.info("running", extra={"channels": ["outbox"], "database": app.engine.dialect.name})
    try:
        await _outbox_loop(app, stop)
    finally:
        log.info("stopped")


async def _outbox_loop(app: App, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            result = await asyncio.to_thread(app.outbox.flush)
            if result.sent or result.failed or result.retrying:
                log.info(
                    "outbox",
                    extra={
                        "sent": result.sent,
                        "retrying": result.retrying,
                        "failed": result.failed,
                    },
                )
        except Exception:  # a database outage must not end the worker: log, wait, retry
            log.exception("outbox flush failed; retrying")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), OUTBOX_INTERVAL_SECONDS)
