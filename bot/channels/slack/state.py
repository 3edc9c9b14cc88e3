"""Where Slack's state lives in ``channel_state``: cards, threads, the feed's cursors and lease."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from storage import repositories as repo

CHANNEL = "slack"


def card_key(reference: str) -> str:
    return f"card:{reference}"


def thread_key(channel: str, ts: str) -> str:
    return f"thread:{channel}:{ts}"


def card_ts(session: Session, reference: str) -> str | None:
    """The ``ts`` of the ticket's triage card (the thread's parent), if posted."""
    return repo.channel_value(session, CHANNEL, card_key(reference))


def reference_of_thread(session: Session, channel: str, ts: str) -> str | None:
    return repo.channel_value(session, CHANNEL, thread_key(channel, ts))


def remember_card(session: Session, reference: str, channel: str, ts: str, now: datetime) -> None:
    repo.set_channel_value(session, CHANNEL, card_key(reference), ts, now)
    repo.set_channel_value(session, CHANNEL, thread_key(channel, ts), reference, now)


def claim(session: Session, key: str, now: datetime) -> bool:
    """True the first time ``key`` is claimed, by any instance (a retried delivery is False)."""
    return repo.claim_once(session, CHANNEL, key, now)
