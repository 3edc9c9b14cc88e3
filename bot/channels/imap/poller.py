"""The IMAP poller service: one worker thread per folder, IDLE or polling, reconnecting.

Several instances may run on one database: each folder is read by one of them at a time, the
holder of its lease (``bot.leases``). A worker takes the lease before it connects and a keeper
thread renews it while the session lasts; a worker that loses it (it stalled, the database was
away longer than the lease) ends its session, and the others keep trying, so a folder whose
reader died is taken over within ``lease_seconds``.

imapclient blocks, so each folder gets its own thread (not the shared ``asyncio.to_thread``
pool, which the outbox worker needs too) and its own connection: IDLE watches one selected
folder per connection. Stopping is cooperative: IDLE waits in slices of
``STOP_CHECK_SECONDS`` and every loop checks the stop flag; a worker stuck in a network call is
unblocked by shutting its socket down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from imapclient import IMAPClient
from sqlalchemy.orm import Session, sessionmaker

from bot import leases
from bot.channels.imap.checkpoints import MailboxState, mailbox_name, state_key_fits
from bot.channels.imap.connection import (
    announced_new_mail,
    check_plain_text_allowed,
    close,
    connect,
    tls_context,
)
from bot.channels.imap.folder import FolderSync
from bot.channels.imap.take import Intake, Suspects
from bot.config import ImapConfig, secret_from_env
from bot.errors import ConfigError
from bot.retry import backoff_delay

log = logging.getLogger(__name__)

STOP_CHECK_SECONDS = 1.0  # longest IDLE slice: how soon a stop request is noticed
STOP_GRACE_SECONDS = 2.0  # then a worker blocked on the network has its socket shut down
_KEEPER_TICK_SECONDS = 0.2  # how soon the lease keeper passes a stop request on


class ImapPoller:
    """Reads the configured folders of the support mailbox into intake, exactly once."""

    name = "imap"

    def __init__(
        self,
        config: ImapConfig,
        intake: Intake,
        sessions: sessionmaker[Session],
        clock: Callable[[], datetime],
    ) -> None:
        """Check the configuration and read the password now, so a mistake stops the start.

        Raises:
            ConfigError: the password variable is unset, plain text is asked for a remote host,
                a folder is also the processed/failed folder, ``ca_file`` cannot be loaded, or
                a setting is out of range.
        """
        check_plain_text_allowed(config)
        self.folders = list(dict.fromkeys((config.folder, *config.folders)))
        for target in (config.processed_folder, config.failed_folder):
            if target and target in self.folders:
                raise ConfigError(f"email.imap: {target!r} is both read and a destination")
        for folder in self.folders:
            if not state_key_fits(mailbox_name(config.username, folder)):
                raise ConfigError(f"email.imap: username + folder {folder!r} is too long")
        if (
            min(config.timeout_seconds, config.poll_interval_seconds, config.reconnect_base_seconds)
            <= 0
            or config.max_message_bytes <= 0
        ):
            raise ConfigError("email.imap: timeouts, intervals and sizes must be positive")
        if config.security != "none":
            tls_context(config.ca_file)  # a bad ca_file is a config mistake, not an outage
        self.password = secret_from_env(config.password_env, "email.imap.password_env")
        self.config = config
        holder = leases.holder_name()
        self.workers = [
            FolderWorker(
                config,
                self.password,
                folder,
                intake,
                MailboxState(sessions, clock, mailbox_name(config.username, folder)),
                FolderLease(sessions, clock, mailbox_name(config.username, folder), holder,
                            config.lease_seconds),
            )
            for folder in self.folders
        ]  # fmt: skip

    async def run(self, stop: asyncio.Event) -> None:
        """Run every folder's worker until ``stop`` is set; returns once all have finished."""
        halt = threading.Event()
        loop = asyncio.get_running_loop()
        with ThreadPoolExecutor(len(self.workers), thread_name_prefix="imap") as pool:
            futures = [loop.run_in_executor(pool, w.run, halt) for w in self.workers]
            try:
                await stop.wait()
            finally:
                halt.set()
                _, blocked = await asyncio.wait(futures, timeout=STOP_GRACE_SECONDS)
                if blocked:
                    for worker in self.workers:
                        worker.interrupt()
                await asyncio.gather(*futures, return_exceptions=True)


class FolderWorker:
    """One folder: connect, catch up, wait for news, repeat; back off when anything fails."""

    def __init__(
        self,
        config: ImapConfig,
        password: str,
        folder: str,
        intake: Intake,
        state: MailboxState,
        lease: FolderLease,
    ) -> None:
        self.config = config
        self.lease = lease
        self.password = password
        self.folder = folder
        self.intake = intake
        self.state = state
        self.failures = 0
        self.suspects = Suspects()  # outlives sessions: a poison message breaks each of them
        self._client: IMAPClient | None = None

    def run(self, halt: threading.Event) -> None:
        """The reconnect loop (Errbot's ``serve_forever`` shape): never ends but on ``halt``."""
        while not halt.is_set():
            try:
                if not self.lease.take():  # another instance reads this folder
                    halt.wait(self.lease.seconds / 3)
                    continue
                with self.lease.kept(halt) as session_stop:
                    self._session(session_stop)
            except Exception as exc:
                self.suspects.connection_lost()
                self.failures += 1
                delay = backoff_delay(
                    self.failures,
                    self.config.reconnect_base_seconds,
                    self.config.reconnect_max_seconds,
                )
                error = _describe(exc)
                log.warning(
                    "imap session failed; reconnecting",
                    extra={
                        "mailbox": self.state.mailbox,
                        "error": error,
                        "attempt": self.failures,
                        "retry_in_seconds": round(delay, 2),
                    },
                )
                self._record_error(error)
                halt.wait(delay)
        self.lease.give_up()

    def interrupt(self) -> None:
        """Unblock a network call from another thread by shutting the socket down."""
        client = self._client
        if client is not None:
            with contextlib.suppress(OSError):
                client.socket().shutdown(socket.SHUT_RDWR)

    def _session(self, halt: threading.Event) -> None:
        # First what an earlier session stored but did not process: it is older than anything
        # fetched now, and needs no server, so an IMAP outage does not hold it up.
        self._recover_pending(halt)
        client = connect(self.config, self.password)
        self._client = client
        polite = False
        try:
            sync = FolderSync(
                client, self.config, self.folder, self.state, self.intake, halt, self.suspects
            )
            sync.open()
            self._connected()
            next_sweep = 0.0  # sweep at once: an outage may have left something behind
            while not halt.is_set():
                if time.monotonic() >= next_sweep:
                    sync.sweep()
                    self._recover_pending(halt)
                    next_sweep = time.monotonic() + self.config.reconcile_interval_seconds
                self._wait_for_news(client, halt)
                if not halt.is_set():
                    sync.check_new()
            polite = True
        finally:
            self._client = None
            close(client, polite=polite)

    def _connected(self) -> None:
        if self.failures:
            log.info(
                "imap reconnected",
                extra={"mailbox": self.state.mailbox, "after_failures": self.failures},
            )
        self.failures = 0

    def _wait_for_news(self, client: IMAPClient, halt: threading.Event) -> None:
        """IDLE (RFC 2177) until the folder changes or the poll interval is up; else sleep.

        IDLE is left at least every ``poll_interval_seconds`` for a real check: that keeps
        the connection proven alive (a NAT may drop it silently) and well inside the 29
        minutes after which servers may end an IDLE.
        """
        if announced_new_mail(client):
            return  # mail arrived while we were busy: check before waiting
        deadline = time.monotonic() + self.config.poll_interval_seconds
        if not (self.config.idle and client.has_capability("IDLE")):
            halt.wait(self.config.poll_interval_seconds)
            if not halt.is_set():
                client.noop()
            return
        client.idle()
        fast_empty = 0
        try:
            while not halt.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                slice_ = min(STOP_CHECK_SECONDS, left)
                started = time.monotonic()
                responses = client.idle_check(timeout=slice_)
                if any(r[1] == b"EXISTS" for r in responses if len(r) > 1):
                    return
                if any(r[0] == b"BYE" for r in responses if r):
                    raise ConnectionError("the server ended the session (BYE)")
                # idle_check swallows EOF and returns at once: a closed socket looks like this.
                quick = not responses and time.monotonic() - started < slice_ / 2
                fast_empty = fast_empty + 1 if quick else 0
                if fast_empty >= 3:
                    raise ConnectionError("the server closed the connection during IDLE")
        finally:
            client.idle_done()

    def _recover_pending(self, halt: threading.Event) -> None:
        """Process messages stored and acknowledged before a crash but never processed."""
        for raw_id in self.state.pending_raw_ids():
            if halt.is_set():
                return
            log.info(
                "imap processing a message left pending",
                extra={"mailbox": self.state.mailbox, "raw_id": raw_id},
            )
            self.intake.process(raw_id)

    def _record_error(self, error: str) -> None:
        try:
            self.state.record_error(error)
        except Exception as exc:  # the database may be away too; the log line still says it
            log.warning(
                "imap could not record its error",
                extra={"mailbox": self.state.mailbox, "error": _describe(exc)},
            )


class FolderLease:
    """The lease on one folder: taken before a session, renewed by a keeper thread during it."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Callable[[], datetime],
        mailbox: str,
        holder: str,
        seconds: float,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.name = f"imap:{mailbox}"
        self.holder = holder
        self.seconds = seconds

    def take(self) -> bool:
        """Take or renew; False while another instance holds it. Raises when the database is
        away (the worker's back-off handles that like any failure)."""
        with self.sessions.begin() as session:
            return leases.hold(session, self.name, self.holder, self.clock(), self.seconds)

    def give_up(self) -> None:
        """A clean stop: another instance may take the folder at once."""
        # The database may be away: then the lease simply lapses.
        with contextlib.suppress(Exception), self.sessions.begin() as session:
            leases.release(session, self.name, self.holder, self.clock())

    @contextlib.contextmanager
    def kept(self, halt: threading.Event) -> Iterator[threading.Event]:
        """An event set when ``halt`` is, or when the lease is lost; renewed meanwhile."""
        session_stop = threading.Event()
        done = threading.Event()

        def keep() -> None:
            while not done.wait(_KEEPER_TICK_SECONDS):
                if halt.is_set():
                    session_stop.set()
                    return
                if time.monotonic() < next_renewal[0]:
                    continue
                try:
                    held = self.take()
                except Exception as exc:  # database away: keep trying until the lease lapses
                    log.warning("imap lease not renewed", extra={"error": _describe(exc)})
                    next_renewal[0] = time.monotonic() + 1.0
                    continue
                if not held:
                    log.warning("imap lease lost; stopping this folder's session",
                                extra={"lease": self.name})  # fmt: skip
                    session_stop.set()
                    return
                next_renewal[0] = time.monotonic() + self.seconds / 3

        next_renewal = [time.monotonic() + self.seconds / 3]
        keeper = threading.Thread(target=keep, name=f"lease-{self.name}", daemon=True)
        keeper.start()
        try:
            yield session_stop
        finally:
            done.set()
            keeper.join()


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
