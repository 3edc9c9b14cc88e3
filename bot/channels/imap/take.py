"""Taking given messages of the selected folder: size check, fetch, store, acknowledge, process.

The order is what makes it exactly once (DESIGN.md, "Rules that protect people"):

1. ``RFC822.SIZE`` first: an oversized message is set aside without fetching its body.
2. ``BODY.PEEK[]`` (does not set ``\\Seen``), then ``store_raw`` commits the bytes.
3. Only then the acknowledgement: ``\\Seen``, and a move to ``processed_folder`` if configured.
4. Then the checkpoint moves, and only then is the stored message processed.

A crash between 2 and 4 fetches the message again later; the copy is stored again and the
pipeline's content-hash dedupe drops it. A crash between 4 and processing leaves a ``pending``
raw message, which the worker processes before every (re)connect and at every sweep.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

from bot.channels.imap.checkpoints import MailboxState
from bot.config import ImapConfig
from bot.errors import StorageError

log = logging.getLogger(__name__)

SEEN = b"\\Seen"
SIZE_BATCH = 500  # UIDs per RFC822.SIZE fetch: keeps command lines short
BODY_BATCH = 25  # messages per body fetch, and per acknowledgement and checkpoint
BODY_BATCH_BYTES = 8 * 1024 * 1024
POISON_LIMIT = 3  # connections lost while fetching one message before it is set aside


class Intake(Protocol):
    """What the poller needs of :class:`bot.intake.service.IntakeService`."""

    def store_raw(self, data: bytes, *, channel: str, mailbox: str) -> int: ...

    def process(self, raw_id: int) -> object: ...


class Suspects:
    """Messages whose fetch lost the connection, counted across reconnects of one worker.

    Some servers drop the session instead of answering ``NO`` for a message they cannot read
    (Dovecot does, for an unreadable maildir file). Without this count such a message would
    break every session for ever and block everything after it.
    """

    def __init__(self) -> None:
        self.counts: dict[tuple[int, int], int] = {}
        self.in_flight: tuple[int, list[int]] | None = None

    def connection_lost(self) -> None:
        if self.in_flight is not None:
            uidvalidity, uids = self.in_flight
            for uid in uids:
                self.counts[(uidvalidity, uid)] = self.counts.get((uidvalidity, uid), 0) + 1
            self.in_flight = None

    def count(self, uidvalidity: int, uid: int) -> int:
        return self.counts.get((uidvalidity, uid), 0)

    def cleared(self, uidvalidity: int, uids: Sequence[int]) -> None:
        self.in_flight = None
        for uid in uids:
            self.counts.pop((uidvalidity, uid), None)


class Taker:
    """Takes messages by UID from the folder selected on ``client``."""

    def __init__(
        self,
        client: IMAPClient,
        config: ImapConfig,
        state: MailboxState,
        intake: Intake,
        halt: threading.Event,
        suspects: Suspects,
    ) -> None:
        self.client = client
        self.config = config
        self.state = state
        self.intake = intake
        self.halt = halt
        self.suspects = suspects
        self.uidvalidity = 0

    def take(self, uids: Sequence[int], advance: Callable[[int], None] | None = None) -> None:
        """Take ``uids`` in ascending order; ``advance(uid)`` after each acknowledged batch."""
        for group in _chunks(sorted(uids), SIZE_BATCH):
            sizes = {
                uid: int(data[b"RFC822.SIZE"])
                for uid, data in self.client.fetch(group, ["RFC822.SIZE"]).items()
                if b"RFC822.SIZE" in data
            }
            for batch in _body_batches(group, sizes):
                if self.halt.is_set():
                    return
                self._take_batch(batch, sizes)
                if advance is not None:
                    advance(batch[-1])

    def _take_batch(self, batch: list[int], sizes: dict[int, int]) -> None:
        limit = self.config.max_message_bytes
        errors: dict[int, str] = {}
        for uid in batch:
            if uid in sizes and sizes[uid] > limit:
                errors[uid] = f"message of {sizes[uid]} bytes is over the {limit}-byte limit"
            elif self.suspects.count(self.uidvalidity, uid) >= POISON_LIMIT:
                errors[uid] = "the server dropped the connection each time it was fetched"
        bodies = self._fetch_bodies([u for u in batch if u in sizes and u not in errors], errors)
        stored: list[tuple[int, int]] = []
        try:
            for uid in batch:
                if uid in errors:
                    self._set_aside(uid, errors[uid])
                elif uid in bodies:
                    raw_id = self._store(uid, bodies[uid])
                    if raw_id is None:
                        self._set_aside(uid, "the database refused the message")
                    else:
                        stored.append((uid, raw_id))
                # else: expunged by someone since the search; nothing to take
        finally:
            # What is stored is durable: acknowledge it even if a later store failed.
            self._acknowledge([uid for uid, _ in stored])
        for _, raw_id in stored:
            self._process(raw_id)

    def _fetch_bodies(self, uids: list[int], errors: dict[int, str]) -> dict[int, bytes]:
        """Bodies by UID. A message the server cannot return fails alone, not its batch."""
        if not uids:
            return {}
        isolate = any(self.suspects.count(self.uidvalidity, u) for u in uids)
        if not isolate:
            try:
                return self._fetch(uids)
            except IMAPClientAbortError:
                raise  # connection gone; Suspects remembers the batch
            except IMAPClientError:
                pass  # a NO for the batch: find the message that causes it
        bodies: dict[int, bytes] = {}
        for uid in uids:
            try:
                bodies |= self._fetch([uid])
            except IMAPClientAbortError:
                raise
            except IMAPClientError as exc:
                errors[uid] = f"the server could not return it: {exc}"
        return bodies

    def _fetch(self, uids: list[int]) -> dict[int, bytes]:
        self.suspects.in_flight = (self.uidvalidity, uids)
        try:
            found = self.client.fetch(uids, ["BODY.PEEK[]"])
        except IMAPClientAbortError:
            raise  # the connection broke while these were in flight: they stay suspects
        except IMAPClientError:
            self.suspects.in_flight = None  # a plain NO: the session is fine
            raise
        self.suspects.cleared(self.uidvalidity, uids)
        return {uid: bytes(d[b"BODY[]"]) for uid, d in found.items() if b"BODY[]" in d}

    def _store(self, uid: int, data: bytes) -> int | None:
        try:
            return self.intake.store_raw(data, channel="email", mailbox=self.state.mailbox)
        except StorageError:
            raise  # the database is away: an outage, not a bad message; back off, keep it unread
        except Exception:
            log.exception(
                "imap message could not be stored",
                extra={"mailbox": self.state.mailbox, "uid": uid},
            )
            return None

    def _set_aside(self, uid: int, error: str) -> None:
        """Record why, then move it to ``failed_folder`` if configured, else leave it unread."""
        target = self.config.failed_folder or None
        log.warning(
            "imap message set aside",
            extra={"mailbox": self.state.mailbox, "uid": uid, "error": error, "moved_to": target},
        )
        self.state.record_failed(self.uidvalidity, uid, error, target)
        if target:
            self.move([uid], target)

    def _acknowledge(self, uids: list[int]) -> None:
        if not uids:
            return
        self.client.add_flags(uids, [SEEN])
        if self.config.processed_folder:
            self.move(uids, self.config.processed_folder)

    def move(self, uids: list[int], target: str) -> None:
        if self.client.has_capability("MOVE"):  # RFC 6851
            self.client.move(uids, target)
            return
        self.client.copy(uids, target)
        self.client.delete_messages(uids)
        if self.client.has_capability("UIDPLUS"):  # RFC 4315: expunge only these
            self.client.uid_expunge(uids)
        else:
            self.client.expunge()

    def _process(self, raw_id: int) -> None:
        try:
            self.intake.process(raw_id)
        except StorageError as exc:  # stays pending; the next sweep processes it
            log.warning(
                "intake could not process a stored message; will retry",
                extra={"raw_id": raw_id, "error": str(exc)},
            )


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _body_batches(uids: list[int], sizes: dict[int, int]) -> Iterator[list[int]]:
    """Consecutive runs of UIDs, bounded in count and bytes, so memory stays small."""
    batch: list[int] = []
    total = 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if batch and (len(batch) >= BODY_BATCH or total + size > BODY_BATCH_BYTES):
            yield batch
            batch, total = [], 0
        batch.append(uid)
        total += size
    if batch:
        yield batch
