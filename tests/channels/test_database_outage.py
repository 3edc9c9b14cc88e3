"""The database goes away under a running ``intake-bot run`` and comes back.

A real PostgreSQL of the test's own is stopped (immediate shutdown: connections cut) while the
bot takes mail by SMTP and reads a mailbox over IMAP: SMTP answers 451 (the sender retries), the
IMAP poller leaves mail unread, ``/healthz`` says 503, nothing crashes; once the database is
back, everything that was refused or waiting flows, each message exactly once.
"""

from __future__ import annotations

import os
import re
import signal
import smtplib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.db import make_engine, make_sessionmaker
from storage.models import OutboxItem, RawMessage, Ticket
from tests.channels.conftest import PASSWORD_ENV
from tests.channels.dovecot import Dovecot, append, folder_counts, make_mail
from tests.conftest import PgCluster, free_port

EXE = Path(sys.executable).with_name("intake-bot")


@pytest.fixture
def cluster() -> Iterator[PgCluster]:
    own = PgCluster(durable=True)  # crashed below: what was committed must survive
    try:
        own.start()
        yield own
    finally:
        own.remove()


def _wait(
    check: Callable[[], bool], within: float, what: str, proc: subprocess.Popen[bytes]
) -> None:
    deadline = time.monotonic() + within
    while not check():
        assert proc.poll() is None, f"the bot exited while waiting for {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _health(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _send(port: int, n: int) -> None:
    raw = make_mail(n)
    with smtplib.SMTP("127.0.0.1", port, timeout=20) as client:
        client.sendmail(f"customer{n}@acme.example", ["support@desk.example"], raw)


def test_database_outage_refuses_then_recovers_everything(
    tmp_path: Path, cluster: PgCluster, dovecot: Dovecot, imap_user: str
) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(f"{cluster.url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('CREATE DATABASE "desk"'))
    admin.dispose()
    url = f"{cluster.url}/desk"
    smtp_port, ops_port = free_port(), free_port()
    (tmp_path / "config.toml").write_text(
        f'[storage]\nurl = "{url}"\nattachments_dir = "{tmp_path}/files"\n'
        f'[email.smtp]\nport = {smtp_port}\naccept = ["support@desk.example"]\n'
        f'[email.imap]\nenabled = true\nhost = "{dovecot.host}"\nport = {dovecot.port}\n'
        f'security = "none"\nusername = "{imap_user}"\npassword_env = "{PASSWORD_ENV}"\n'
        "poll_interval_seconds = 1.0\nreconnect_base_seconds = 0.2\nreconnect_max_seconds = 1.0\n"
        f'[email.outbound]\nmaildir = "{tmp_path}/outbox"\n'
        "[intake]\npending_sweep_seconds = 2.0\n"
        f"[ops]\nport = {ops_port}\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env[PASSWORD_ENV] = "pw"
    log = tmp_path / "bot.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(EXE), "run"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=out
        )
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)

    def count(model: type, *where: object) -> int:
        with sessions() as session:
            return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    def listening() -> bool:
        try:
            socket.create_connection(("127.0.0.1", smtp_port), timeout=1).close()
            return True
        except OSError:
            return False

    try:
        _wait(listening, 60, "the SMTP server", proc)
        for n in range(5):
            _send(smtp_port, n)
        append(dovecot, imap_user, [make_mail(n) for n in range(100, 105)])
        _wait(lambda: count(Ticket) == 10, 60, "the first ten tickets", proc)
        assert _health(ops_port) == 200

        cluster.stop()  # the outage
        with pytest.raises(smtplib.SMTPResponseException) as refused:
            _send(smtp_port, 5)
        assert refused.value.smtp_code == 451
        append(dovecot, imap_user, [make_mail(n) for n in range(105, 110)])
        time.sleep(3)  # the poller sees the new mail and cannot store it; the workers fail
        assert proc.poll() is None, log.read_text()[-3000:]
        assert folder_counts(dovecot, imap_user)[1] == 5  # left unread: nothing acknowledged
        assert _health(ops_port) == 503

        cluster.start()  # the database is back; the sender's MTA retries
        _send(smtp_port, 5)
        for n in range(6, 10):
            _send(smtp_port, n)
        _wait(lambda: count(Ticket) == 20, 90, "all twenty tickets", proc)
        _wait(
            lambda: count(OutboxItem, OutboxItem.status == "sent") == 20,
            60,
            "all twenty replies",
            proc,
        )
        _wait(lambda: folder_counts(dovecot, imap_user)[1] == 0, 30, "the mailbox read", proc)
        with sessions() as session:
            stored = session.execute(
                select(RawMessage.id, RawMessage.status, RawMessage.outcome, RawMessage.data)
            ).all()
        stored = [
            (i, st, out, re.search(rb"Message-ID: <([^>]+)>", data).group(1))  # type: ignore[union-attr]
            for i, st, out, data in stored
        ]
        assert [s for s in stored if s[1] != "processed"] == [], "\n".join(map(str, stored))
        assert len(stored) == 20  # each message stored once
        assert _health(ops_port) == 200
        assert len(list((tmp_path / "outbox" / "new").iterdir())) == 20
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        engine.dispose()
