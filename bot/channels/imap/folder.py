"""Which messages of one folder to take: catch-up from the checkpoint, rescans, sweeps.

How a message is taken (size check, fetch, store, acknowledge) is in ``take``; this module
decides what to take, and moves the checkpoint only over what was taken.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

from bot.channels.imap.checkpoints import Checkpoint, MailboxState
from bot.channels.imap.connection import announced_new_mail
from bot.channels.imap.take import Intake, Suspects, Taker
from bot.config import ImapConfig

log = logging.getLogger(__name__)


class FolderSync:
    """One folder, selected on one open connection, taken from the checkpoint onwards."""

    def __init__(
        self,
        client: IMAPClient,
        config: ImapConfig,
        folder: str,
        state: MailboxState,
        intake: Intake,
        halt: threading.Event,
        suspects: Suspects,
    ) -> None:
        self.client = client
        self.config = config
        self.folder = folder
        self.state = state
        self.halt = halt
        self.taker = Taker(client, config, state, intake, halt, suspects)
        self.checkpoint: Checkpoint | None = None

    @property
    def uidvalidity(self) -> int:
        return self.taker.uidvalidity

    def open(self) -> None:
        """Select the folder and catch up: everything since the checkpoint, or a rescan.

        No checkpoint (first run) or a new UIDVALIDITY (the server renumbered the folder,
        RFC 3501 §2.3.1.1) means the old UIDs mean nothing. Then every unread message is taken
        (plus, after a renumbering, everything since a day before the last successful fetch,
        in case someone read a message in the gap); copies of messages we already hold are
        dropped by the pipeline's content-hash dedupe. Read mail in a mailbox the bot has never
        seen is history, not a backlog, and opens no tickets.
        """
        self._ensure_destinations()
        info = self.client.select_folder(self.folder)
        self.taker.uidvalidity = int(info[b"UIDVALIDITY"])
        saved = self.state.checkpoint()
        if saved is not None and saved.uidvalidity == self.uidvalidity:
            self.checkpoint = saved
            self.check_new()
            return
        baseline = int(info[b"UIDNEXT"]) - 1 if b"UIDNEXT" in info else self._highest_uid()
        criteria: list[object] = ["UNSEEN"]
        if saved is not None:
            log.warning(
                "imap UIDVALIDITY changed; rescanning",
                extra={
                    "mailbox": self.state.mailbox,
                    "old": saved.uidvalidity,
                    "new": self.uidvalidity,
                },
            )
            since = self.state.last_success()
            if since is not None:
                criteria = ["OR", "UNSEEN", "SINCE", since.date() - dt.timedelta(days=1)]
        self.taker.take([u for u in self.client.search(criteria) if u <= baseline])
        if self.halt.is_set():
            return  # no checkpoint yet: the next start rescans what is still unread
        self.checkpoint = Checkpoint(self.uidvalidity, baseline)
        self.state.save_checkpoint(self.checkpoint)
        self.check_new()

    def check_new(self) -> None:
        """Take every message above the checkpoint, whatever its flags."""
        assert self.checkpoint is not None
        last = self.checkpoint.uid
        announced_new_mail(self.client)  # this search sees it; only later news counts
        # "n:*" always matches the highest UID, even below n (RFC 3501 §6.4.8): filter.
        found = [u for u in self.client.search(["UID", f"{last + 1}:*"]) if u > last]
        self.taker.take(found, advance=self._advance)
        self.state.record_success()

    def sweep(self) -> None:
        """Reconciliation: take unread mail below the checkpoint that was never acknowledged.

        Normally there is none. It catches what an acknowledgement lost to an outage left
        behind, and mail someone marked unread again (taken again, then dropped as a copy).
        Messages already set aside for this UIDVALIDITY are left alone.
        """
        assert self.checkpoint is not None
        skip = self.state.failed_uids(self.uidvalidity)
        last = self.checkpoint.uid
        found = [u for u in self.client.search(["UNSEEN"]) if u <= last and u not in skip]
        if found:
            log.info(
                "imap sweep found unacknowledged mail",
                extra={"mailbox": self.state.mailbox, "count": len(found)},
            )
        self.taker.take(found)
        self.state.record_success()

    def _advance(self, uid: int) -> None:
        """Every message up to ``uid`` is stored and acknowledged, or set aside."""
        assert self.checkpoint is not None
        if uid > self.checkpoint.uid:
            self.checkpoint = Checkpoint(self.uidvalidity, uid)
            self.state.save_checkpoint(self.checkpoint)

    def _ensure_destinations(self) -> None:
        """Create the processed/failed folders if missing (another worker may race us)."""
        for target in (self.config.processed_folder, self.config.failed_folder):
            if not target or self.client.folder_exists(target):
                continue
            try:
                self.client.create_folder(target)
            except IMAPClientAbortError:
                raise
            except IMAPClientError:
                if not self.client.folder_exists(target):
                    raise

    def _highest_uid(self) -> int:
        return max(self.client.search(["ALL"]), default=0)
