"""Three ``intake-bot run`` processes on one PostgreSQL work as one bot.

Each instance takes mail by SMTP; the one support mailbox is read over IMAP by one instance at a
time (its lease), and when that instance is SIGKILLed mid-backlog another takes the folder over;
replies go through a recording smarthost. Every message becomes exactly one ticket with exactly
one reply: nothing lost to the crash, nothing done twice by racing instances.
"""

from __future__ import annotations

import email
import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_engine, make_sessionmaker
from storage.models import ChannelState, OutboxItem, RawMessage, Ticket
from tests.channels.conftest import PASSWORD_ENV
from tests.channels.dovecot import Dovecot, append, folder_counts, make_mail
from tests.conftest import free_port, new_pg_database
from tests.outbox.conftest import Recorder

EXE = Path(sys.executable).with_name("intake-bot")
INSTANCES = 3
SMTP_PER_INSTANCE = 40
IMAP_BACKLOG = 300
TOTAL = INSTANCES * SMTP_PER_INSTANCE + IMAP_BACKLOG


def _config(url: str, port: int, sink: int, dovecot: Dovecot, user: str, files: Path) -> str:
    return (
        f'[storage]\nurl = "{url}"\nattachments_dir = "{files}"\n'
        f'[email.smtp]\nport = {port}\naccept = ["support@desk.example"]\n'
        f'[email.imap]\nenabled = true\nhost = "{dovecot.host}"\nport = {dovecot.port}\n'
        f'security = "none"\nusername = "{user}"\npassword_env = "{PASSWORD_ENV}"\n'
        "lease_seconds = 3.0\npoll_interval_seconds = 2.0\n"
        "reconnect_base_seconds = 0.2\nreconnect_max_seconds = 1.0\n"
        f'[email.outbound]\ntransport = "smtp"\nsmtp_port = {sink}\n'
        'from_address = "support@desk.example"\nretry_base_seconds = 1.0\n'
        "[intake]\npending_sweep_seconds = 2.0\n"
        "[ops]\nenabled = false\n"
    )


def _start(workdir: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env[PASSWORD_ENV] = "pw"
    with (workdir / "bot.log").open("ab") as log:
        return subprocess.Popen(
            [str(EXE), "--config", "config.toml", "run"],
            cwd=workdir,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )


def _wait_listening(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            assert proc.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "an instance did not start listening"
            time.sleep(0.1)


def _send(ports: list[int], first: int, worker: int, deadline: float) -> int:
    """Deliver this worker's messages, failing over to the next instance on trouble, as an
    MTA does with several MX hosts; returns how often it had to."""
    failovers, target, client = 0, first, None
    pending = [make_mail(10_000 + worker * 1000 + n) for n in range(SMTP_PER_INSTANCE)]
    while pending:
        assert time.monotonic() < deadline, f"{len(pending)} messages never accepted"
        try:
            if client is None:
                client = smtplib.SMTP("127.0.0.1", ports[target], timeout=20)
            raw = pending[0]
            sender = email.message_from_bytes(raw)["From"].split("<")[1].rstrip(">")
            client.sendmail(sender, ["support@desk.example"], raw)
            pending.pop(0)
        except (OSError, smtplib.SMTPException):
            failovers += 1
            client = None
            target = (target + 1) % len(ports)
            time.sleep(0.1)
    if client is not None:
        client.quit()
    return failovers


def _count(sessions: sessionmaker[Session], model: type, *where: object) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _imap_lease_pid(sessions: sessionmaker[Session]) -> int | None:
    with sessions() as session:
        value = session.scalar(
            select(ChannelState.value).where(
                ChannelState.channel == "lease", ChannelState.key.like("imap:%")
            )
        )
    holder = (value or "").rpartition("|")[0]  # host:pid:nonce
    return int(holder.split(":")[1]) if holder else None


def test_three_instances_on_postgresql_work_as_one_bot(
    tmp_path: Path, pg_server: str, dovecot: Dovecot, imap_user: str
) -> None:
    url = new_pg_database(pg_server)
    recorder = Recorder()
    sink = Controller(recorder, hostname="127.0.0.1", port=free_port())
    sink.start()
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    ports = [free_port() for _ in range(INSTANCES)]
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for n, port in enumerate(ports):
            workdir = tmp_path / f"instance{n}"
            workdir.mkdir()
            (workdir / "config.toml").write_text(
                _config(url, port, sink.port, dovecot, imap_user, tmp_path / "files")
            )
            procs.append(_start(workdir))
        for n, (port, proc) in enumerate(zip(ports, procs, strict=True)):
            _wait_listening(port, proc, tmp_path / f"instance{n}" / "bot.log")
        append(dovecot, imap_user, [make_mail(n) for n in range(IMAP_BACKLOG)])

        deadline = time.monotonic() + 240
        with ThreadPoolExecutor(INSTANCES) as pool:
            senders = [pool.submit(_send, ports, n, n, deadline) for n in range(INSTANCES)]
            # Kill the instance reading the mailbox while the backlog is under way.
            while True:
                pid = _imap_lease_pid(sessions)
                taken = IMAP_BACKLOG - folder_counts(dovecot, imap_user)[1]
                if pid is not None and taken >= 30:
                    break
                assert time.monotonic() < deadline, "the IMAP backlog never got under way"
                time.sleep(0.02)
            assert taken < IMAP_BACKLOG, "the backlog was done before the kill"
            killed = next(p for p in procs if p.pid == pid)
            killed.send_signal(signal.SIGKILL)
            killed.wait(timeout=10)
            failovers = sum(f.result() for f in senders)

        while not (
            _count(sessions, Ticket) >= TOTAL
            and _count(sessions, RawMessage, RawMessage.status == "pending") == 0
            and _count(sessions, OutboxItem, OutboxItem.status != "sent") == 0
            and folder_counts(dovecot, imap_user)[1] == 0
            and len(recorder.messages) >= TOTAL
        ):
            alive = [p for p in procs if p is not killed]
            assert all(p.poll() is None for p in alive), "a surviving instance died"
            assert time.monotonic() < deadline, (
                f"{_count(sessions, Ticket)} tickets, {len(recorder.messages)} replies of {TOTAL}"
            )
            time.sleep(0.2)
        time.sleep(1.5)  # a duplicate reply, were there one, would arrive now

        taker = _imap_lease_pid(sessions)
        assert taker not in (None, killed.pid), "nobody took the mailbox over"
        assert _count(sessions, Ticket) == TOTAL  # none lost, none opened twice
        assert _count(sessions, OutboxItem) == TOTAL  # one reply each
        assert _count(sessions, RawMessage, RawMessage.status == "failed") == 0
        replies = [email.message_from_bytes(e.content) for e in recorder.messages]
        ids_by_parent: dict[str, set[str]] = {}
        for m in replies:
            ids_by_parent.setdefault(m["In-Reply-To"], set()).add(m["Message-ID"])
        assert len(ids_by_parent) == TOTAL  # every message answered...
        assert {len(ids) for ids in ids_by_parent.values()} == {1}  # ...by one reply
        # A reply the killed instance was handing to the smarthost when it died is sent again
        # once its claim lapses (at-least-once to a smarthost): the same message, same
        # Message-ID, which mail clients show once. A worker delivers one row at a time, so at
        # most the one in flight when the process died.
        copies = Counter(m["Message-ID"] for m in replies)
        resent = sum(n - 1 for n in copies.values())
        assert resent <= 1
        print(
            f"\n{TOTAL} messages over {INSTANCES} instances; IMAP reader {pid} killed after"
            f" {taken} of {IMAP_BACKLOG} taken, {taker} took over; senders failed over"
            f" {failovers} times; {resent} replies re-sent after the crash"
        )
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        sink.stop()
        engine.dispose()
