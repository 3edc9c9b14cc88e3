"""Delivering the outbox: each row once, retried with back-off, failures shown on the ticket.

A row is claimed by pushing its ``next_attempt_at`` out by a lease and committing, before anything
is sent: if the process dies mid-delivery the row simply becomes due again when the lease ends; no
row is ever stuck in a "sending" state. PostgreSQL claims with ``FOR UPDATE SKIP LOCKED`` so
several workers never claim one row; SQLite serialises writers anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import PermanentChannelError
from bot.intake.events import add_event
from bot.retry import backoff_delay
from storage import repositories as repo
from storage.models import OutboxItem, Ticket

log = logging.getLogger(__name__)

Deliver = Callable[[dict[str, Any], str], None]  # (payload, idempotency key)

LEASE = timedelta(minutes=5)  # default; callers size it to their transport's longest attempt
_BATCH = 50


@dataclass(slots=True)
class FlushResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Claimed:
    id: int
    key: str
    channel: str
    payload: dict[str, Any]
    attempts: int


class OutboxWorker:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        deliverers: Mapping[str, Deliver],
        clock: Callable[[], datetime],
        *,
        max_attempts: int = 8,
        retry_base_seconds: float = 30.0,
        lease: timedelta = LEASE,
        suppress_for: timedelta = timedelta(hours=24),
    ) -> None:
        self.sessions = sessions
        self.deliverers = deliverers
        self.clock = clock
        self.max_attempts = max_attempts
        self.retry_base_seconds = retry_base_seconds
        # How long a claimed row is left alone: longer than any one delivery attempt can take
        # (else a slow attempt could be repeated meanwhile), and no longer (a crash mid-delivery
        # delays that reply by this much).
        self.lease = lease
        self.suppress_for = suppress_for  # no automatic mail to an address that refused ours

    def flush(self) -> FlushResult:
        """Deliver every row that is due now, once each."""
        result = FlushResult()
        started = self.clock()
        while claimed := self._claim(started):
            for item in claimed:
                self._deliver(item, result)
        return result

    def _claim(self, due_by: datetime) -> list[_Claimed]:
        with self.sessions.begin() as session:
            rows = session.scalars(
                select(OutboxItem)
                .where(
                    OutboxItem.status == "pending",
                    OutboxItem.next_attempt_at <= due_by,
                    OutboxItem.channel.in_(list(self.deliverers)),
                )
                .order_by(OutboxItem.id)
                .limit(_BATCH)
                .with_for_update(skip_locked=True)
            ).all()
            now = self.clock()
            claimed = []
            for row in rows:
                row.attempts += 1
                row.next_attempt_at = now + self.lease
                claimed.append(
                    _Claimed(row.id, row.idempotency_key, row.channel, row.payload, row.attempts)
                )
            return claimed

    def _deliver(self, item: _Claimed, result: FlushResult) -> None:
        try:
            self.deliverers[item.channel](item.payload, item.key)
        except PermanentChannelError as exc:
            self._finish(item, failed=str(exc), permanent=True)
            result.failed += 1
            result.errors.append(f"outbox {item.id}: {exc}")
        except Exception as exc:  # transient, or a fault of ours: this row only, never the rest
            log.warning("outbox delivery error", extra={"outbox_id": item.id, "error": str(exc)})
            if item.attempts >= self.max_attempts:
                self._finish(item, failed=f"gave up after {item.attempts} attempts: {exc}")
                result.failed += 1
            else:
                self._retry_later(item, str(exc))
                result.retrying += 1
            result.errors.append(f"outbox {item.id}: {exc}")
        else:
            self._finish(item, failed=None)
            result.sent += 1

    def _finish(self, item: _Claimed, failed: str | None, permanent: bool = False) -> None:
        with self.sessions.begin() as session:
            row = session.get(OutboxItem, item.id)
            assert row is not None
            now = self.clock()
            ticket = session.get(Ticket, row.ticket_id) if row.ticket_id else None
            if failed is None:
                row.status, row.sent_at, row.last_error = "sent", now, None
                add_event(
                    session,
                    ticket,
                    "reply_sent",
                    "system",
                    now,
                    channel=row.channel,
                    message_id=item.payload.get("message_id"),
                )
                log.info("outbox sent", extra={"outbox_id": row.id, "channel": row.channel})
            else:
                row.status, row.last_error = "failed", failed[:4000]
                if permanent and row.channel == "email" and item.payload.get("to"):
                    until = now + self.suppress_for
                    repo.suppress(session, str(item.payload["to"]), until, failed[:500], now)
                add_event(
                    session,
                    ticket,
                    "delivery_failed",
                    "system",
                    now,
                    channel=row.channel,
                    to=item.payload.get("to"),
                    error=failed,
                    message_id=item.payload.get("message_id"),
                )
                log.warning("outbox failed", extra={"outbox_id": row.id, "error": failed})

    def _retry_later(self, item: _Claimed, error: str) -> None:
        with self.sessions.begin() as session:
            row = session.get(OutboxItem, item.id)
            assert row is not None
            row.last_error = error[:4000]
            row.next_attempt_at = self.clock() + self._backoff(item.attempts)

    def _backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=backoff_delay(attempts, self.retry_base_seconds, 6 * 3600))
