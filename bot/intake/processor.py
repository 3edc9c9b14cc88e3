"""Processing stored messages: right after a channel stored them, and after a crash.

Listeners acknowledge a message once its bytes are committed, then hand its id here. A sweep
also picks up anything still ``pending`` in the store — messages whose processing was cut short
by a crash or a restart — so every acknowledged message is processed, exactly once (``process``
locks the raw row and skips rows already done).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from sqlalchemy import select

from bot.errors import StorageError
from bot.intake.service import IntakeService
from storage.models import RawMessage

log = logging.getLogger(__name__)


class Processor:
    name = "processor"

    def __init__(self, intake: IntakeService, sweep_seconds: float = 30.0) -> None:
        self.intake = intake
        self.sweep_seconds = sweep_seconds
        self.queue: asyncio.Queue[int] = asyncio.Queue()

    async def submit(self, raw_id: int) -> None:
        self.queue.put_nowait(raw_id)

    async def run(self, stop: asyncio.Event) -> None:
        await self._sweep(older_than=timedelta(0))  # whatever a previous run left behind
        loop = asyncio.get_running_loop()
        last_sweep = loop.time()
        stopping = asyncio.ensure_future(stop.wait())
        try:
            while not stop.is_set():
                if loop.time() - last_sweep >= self.sweep_seconds:  # even while mail keeps coming
                    await self._sweep(older_than=timedelta(seconds=self.sweep_seconds))
                    last_sweep = loop.time()
                getting = asyncio.ensure_future(self.queue.get())
                done, _ = await asyncio.wait(
                    {getting, stopping},
                    timeout=self.sweep_seconds,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                if getting in done:
                    await self._process(getting.result())
                    continue
                getting.cancel()
        finally:
            stopping.cancel()
        while not self.queue.empty():  # finish what was acknowledged before stopping
            await self._process(self.queue.get_nowait())

    async def _process(self, raw_id: int) -> None:
        try:
            result = await asyncio.to_thread(self.intake.process, raw_id)
            log.info(
                "processed",
                extra={"raw_id": raw_id, "status": result.status, "reference": result.reference},
            )
        except StorageError as exc:  # the database is away: it stays pending for the sweep
            log.warning("processing deferred", extra={"raw_id": raw_id, "error": str(exc)})

    async def _sweep(self, older_than: timedelta) -> None:
        with contextlib.suppress(StorageError):
            for raw_id in await asyncio.to_thread(self._pending_ids, older_than):
                await self._process(raw_id)

    def _pending_ids(self, older_than: timedelta) -> list[int]:
        cutoff = self.intake.clock() - older_than
        try:
            with self.intake.sessions() as session:
                return list(
                    session.scalars(
                        select(RawMessage.id)
                        .where(RawMessage.status == "pending", RawMessage.received_at <= cutoff)
                        .order_by(RawMessage.id)
                        .limit(1000)
                    )
                )
        except Exception as exc:
            raise StorageError(str(exc)) from None
