"""Per-folder checkpoints, health and set-aside messages, kept in the ``channel_state`` table.

A checkpoint is (UIDVALIDITY, UID): every message of that folder up to that UID is durably
stored and acknowledged. It only ever moves after the raw bytes are committed and the server
has accepted the acknowledgement, so a crash at any point repeats work (deduplicated by content
downstream) and never skips a message. Each call is its own short transaction: the poller's
progress must not wait for, or roll back with, anything else.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import ChannelState, RawMessage

CHANNEL = "imap"
KEY_LIMIT = 255  # channel_state.key is String(255)


@dataclass(frozen=True, slots=True)
class Checkpoint:
    uidvalidity: int
    uid: int  # highest UID stored and acknowledged, with every lower one handled too


def mailbox_name(username: str, folder: str) -> str:
    """The raw messages' ``mailbox`` (the dedupe scope) and the key of the folder's state."""
    return f"imap:{username}/{folder}"


class MailboxState:
    """Reads and writes the state rows of one folder; the folder's worker is the only writer."""

    def __init__(
        self, sessions: sessionmaker[Session], clock: Callable[[], datetime], mailbox: str
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.mailbox = mailbox

    def checkpoint(self) -> Checkpoint | None:
        value = self._get(f"checkpoint|{self.mailbox}")
        return Checkpoint(int(value["uidvalidity"]), int(value["uid"])) if value else None

    def save_checkpoint(self, checkpoint: Checkpoint) -> None:
        value = {"uidvalidity": checkpoint.uidvalidity, "uid": checkpoint.uid}
        self._put(f"checkpoint|{self.mailbox}", value)

    def last_success(self) -> datetime | None:
        value = self._get(f"health|{self.mailbox}")
        at = value.get("last_successful_fetch") if value else None
        return datetime.fromisoformat(at) if at else None

    def record_success(self) -> None:
        """A check of the folder succeeded: the health figure ``intake-bot status`` shows."""
        self._update_health(last_successful_fetch=self.clock().isoformat())

    def record_error(self, error: str) -> None:
        self._update_health(last_error=error[:1000], last_error_at=self.clock().isoformat())

    def record_failed(self, uidvalidity: int, uid: int, error: str, moved_to: str | None) -> None:
        """Keep a message we could not take, with why, so it is never silently skipped."""
        value = {"error": error[:1000], "at": self.clock().isoformat(), "moved_to": moved_to}
        self._put(f"failed|{uidvalidity}|{uid}|{self.mailbox}", value)
        self.record_error(f"message UID {uid}: {error}")

    def failed_uids(self, uidvalidity: int) -> set[int]:
        prefix = f"failed|{uidvalidity}|"
        with self.sessions() as session:
            keys = session.scalars(
                select(ChannelState.key).where(
                    ChannelState.channel == CHANNEL,
                    ChannelState.key.startswith(prefix, autoescape=True),
                    ChannelState.key.endswith(f"|{self.mailbox}", autoescape=True),
                )
            )
            return {int(key.split("|", 3)[2]) for key in keys}

    def pending_raw_ids(self) -> list[int]:
        """Stored and acknowledged but never processed (the bot stopped in between)."""
        with self.sessions() as session:
            ids = session.scalars(
                select(RawMessage.id)
                .where(RawMessage.status == "pending", RawMessage.mailbox == self.mailbox)
                .order_by(RawMessage.id)
            )
            return list(ids)

    def _update_health(self, **values: str) -> None:
        key = f"health|{self.mailbox}"
        with self.sessions.begin() as session:
            row = session.get(ChannelState, (CHANNEL, key))
            current = json.loads(row.value) if row else {}
            self._write(session, key, current | values, row)

    def _get(self, key: str) -> dict[str, Any] | None:
        with self.sessions() as session:
            row = session.get(ChannelState, (CHANNEL, key))
            return json.loads(row.value) if row else None

    def _put(self, key: str, value: Mapping[str, object]) -> None:
        with self.sessions.begin() as session:
            self._write(session, key, value, session.get(ChannelState, (CHANNEL, key)))

    def _write(
        self, session: Session, key: str, value: Mapping[str, object], row: ChannelState | None
    ) -> None:
        text = json.dumps(value, sort_keys=True)
        if row is None:
            session.add(ChannelState(channel=CHANNEL, key=key, value=text, updated_at=self.clock()))
        else:
            row.value, row.updated_at = text, self.clock()


def state_key_fits(mailbox: str) -> bool:
    """The longest key (a set-aside message) must fit ``channel_state.key``."""
    return len(f"failed|{2**32}|{2**32}|{mailbox}") <= KEY_LIMIT


def imap_health(session: Session) -> list[dict[str, object]]:
    """Health of every IMAP folder the bot has read, for ``intake-bot status``.

    One dict per folder: ``mailbox`` (``imap:user/folder``), ``last_successful_fetch``,
    ``last_error`` and ``last_error_at`` (ISO 8601 strings or None), ``uidvalidity`` and
    ``last_uid`` (the checkpoint, or None before the first one), and ``failed_messages`` (how
    many messages were set aside with an error).
    """
    rows = session.scalars(select(ChannelState).where(ChannelState.channel == CHANNEL))
    found: dict[str, dict[str, object]] = {}

    def entry(mailbox: str) -> dict[str, object]:
        return found.setdefault(
            mailbox,
            {
                "mailbox": mailbox,
                "last_successful_fetch": None,
                "last_error": None,
                "last_error_at": None,
                "uidvalidity": None,
                "last_uid": None,
                "failed_messages": 0,
            },
        )

    for row in rows:
        kind, _, rest = row.key.partition("|")
        value = json.loads(row.value)
        if kind == "checkpoint":
            entry(rest).update(uidvalidity=value["uidvalidity"], last_uid=value["uid"])
        elif kind == "health":
            item = entry(rest)
            for name in ("last_successful_fetch", "last_error", "last_error_at"):
                item[name] = value.get(name)
        elif kind == "failed":
            item = entry(rest.split("|", 2)[2])
            item["failed_messages"] = int(str(item["failed_messages"])) + 1
    return [found[name] for name in sorted(found)]
