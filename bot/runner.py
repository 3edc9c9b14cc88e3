"""``intake-bot run``: every enabled channel and worker in one process until SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading

from bot.app import App

log = logging.getLogger(__name__)

OUTBOX_INTERVAL_SECONDS = 1.0


async def run_forever(app: App, stop: asyncio.Event | None = None) -> None:
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    if threading.current_thread() is threading.main_thread():  # tests run us in a thread
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
    _ = app.engine  # open and check the schema before announcing readiness
    services = app.services()
    names = ["outbox", *(s.name for s in services)]
    tasks = [asyncio.create_task(_outbox_loop(app, stop), name="outbox")]
    tasks += [asyncio.create_task(s.run(stop), name=s.name) for s in services]
    log.info("running", extra={"channels": names, "database": app.engine.dialect.name})
    try:
        stopped = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait([*tasks, stopped], return_when=asyncio.FIRST_COMPLETED)
        for task in done - {stopped}:
            failure = task.exception()
            if failure is not None:  # a service that cannot go on stops the bot
                raise failure
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
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
