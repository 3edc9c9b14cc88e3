"""Leases: one instance at a time does a job that must not run twice at once.

Several ``intake-bot run`` processes on one database work as one bot, but some jobs belong to
one of them at a time: reading an IMAP folder, polling a Telegram token (a second poller gets
409 Conflict and the offset is shared), posting the Slack feed in order. Each such job holds a
lease: a row in ``channel_state`` with its holder and expiry, taken when free or lapsed, renewed
while the job runs, given up when it stops cleanly. A holder that dies stops renewing; another
instance takes over once the lease lapses (its length is the take-over time).

The row is read ``FOR UPDATE`` on PostgreSQL (SQLite has one writer), after an insert that
cannot conflict creates it, so two instances never both win. A lease is not a lock on the
work: a holder that stalls longer than its lease may overlap its successor, so jobs still make
their effects idempotent (dedupe keys, conditional updates) — the lease keeps them from racing.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import repositories as repo
from storage.models import ChannelState

CHANNEL = "lease"


def holder_name() -> str:
    """Unique per process and start: host, pid and a nonce (a pid can be reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def hold(session: Session, name: str, holder: str, now: datetime, seconds: float) -> bool:
    """Take or renew lease ``name`` in ``session``'s transaction; False while another holder's
    lease runs. The caller commits (so a job can check its lease in the transaction that
    records its work)."""
    repo.claim_once(session, CHANNEL, name, now)  # the row exists from now on
    row = session.get(ChannelState, (CHANNEL, name), with_for_update=True, populate_existing=True)
    assert row is not None
    current, expires = _parse(row.value)
    if current and current != holder and expires is not None and expires > now:
        return False
    row.value = f"{holder}|{(now + timedelta(seconds=seconds)).isoformat()}"
    row.updated_at = now
    return True


def release(session: Session, name: str, holder: str, now: datetime) -> None:
    """Give the lease up at once (a clean stop), if ``holder`` still has it."""
    row = session.get(ChannelState, (CHANNEL, name), with_for_update=True)
    if row is not None and _parse(row.value)[0] == holder:
        row.value, row.updated_at = "", now


def holder_of(session: Session, name: str, now: datetime) -> str | None:
    """Who holds lease ``name`` now (None when free or lapsed): for status and tests."""
    current, expires = _parse(repo.channel_value(session, CHANNEL, name) or "")
    return current if current and expires is not None and expires > now else None


def all_leases(session: Session, now: datetime) -> list[tuple[str, str | None, datetime | None]]:
    """Every lease: (name, holder or None when free or lapsed, expiry) — for ``status``."""
    rows = session.scalars(
        select(ChannelState).where(ChannelState.channel == CHANNEL).order_by(ChannelState.key)
    ).all()
    out: list[tuple[str, str | None, datetime | None]] = []
    for row in rows:
        current, expires = _parse(row.value)
        live = bool(current) and expires is not None and expires > now
        out.append((row.key, current if live else None, expires if live else None))
    return out


def _parse(value: str) -> tuple[str, datetime | None]:
    current, _, expires = value.rpartition("|")
    try:
        return current, datetime.fromisoformat(expires)
    except ValueError:  # empty (released) or damaged: free
        return "", None
