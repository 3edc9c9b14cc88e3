"""A crash never loses or duplicates mail: the bot is SIGKILLed in the middle of a burst from 8
concurrent clients that retry like real MTAs (on a dropped connection or a refusal), and is
restarted at once. Every message ends as exactly one ticket with exactly one reply."""

from __future__ import annotations

import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

from storage.db import make_engine, make_sessionmaker
from storage.models import OutboxItem, RawMessage, Ticket
from tests.conftest import free_port
from tests.helpers import fixture_mail

EXE = Path(sys.executable).with_name("intake-bot")
WORKERS, PER_WORKER = 8, 250  # 2,000 messages, as issue #8 asks
TOTAL = WORKERS * PER_WORKER


def _start(workdir: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    with (workdir / "bot.log").open("ab") as log:  # a file, never a pipe nobody reads
        return subprocess.Popen(
            [str(EXE), "run"], cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=log
        )


def _wait_listening(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            assert proc.poll() is None, log.read_text()[-2000:]
            assert time.monotonic() < deadline, "the bot did not start listening"
            time.sleep(0.1)


def _messages() -> list[list[tuple[str, bytes]]]:
    template = fixture_mail("hardware-fault-no-serial.eml")
    batches = []
    for worker in range(WORKERS):
        batch = []
        for n in range(PER_WORKER):
            sender = f"user{worker}-{n}@harbourfreight.example"  # one reply each: no rate limit
            raw = template.replace(b"sarah.collins@harbourfreight.example", sender.encode())
            batch.append((sender, raw.replace(b"harbour-0001@", f"crash-{worker}-{n}@".encode())))
        batches.append(batch)
    return batches


def _send_with_retries(port: int, batch: list[tuple[str, bytes]], deadline: float) -> int:
    """Deliver every message, retrying each until it gets 250 — what a sending MTA does."""
    retries = 0
    pending = list(batch)
    client: smtplib.SMTP | None = None
    while pending:
        assert time.monotonic() < deadline, f"{len(pending)} messages never accepted"
        try:
            if client is None:
                client = smtplib.SMTP("127.0.0.1", port, timeout=20)
            sender, raw = pending[0]
            client.sendmail(sender, ["support@desk.example"], raw)
            pending.pop(0)
        except (OSError, smtplib.SMTPException):
            retries += 1
            client = None
            time.sleep(0.2)
    if client is not None:
        client.quit()
    return retries


def test_sigkill_mid_burst_then_restart_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    port = free_port()
    (tmp_path / "config.toml").write_text(
        f'[email.smtp]\nport = {port}\naccept = ["support@desk.example"]\n'
        '[email.outbound]\nfrom_address = "support@desk.example"\n'
    )
    engine = make_engine(f"sqlite:///{tmp_path / 'intake.db'}")
    sessions = make_sessionmaker(engine)

    def count(model: type, *where: object) -> int:
        with sessions() as session:
            return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    proc = _start(tmp_path)
    _wait_listening(port, proc, tmp_path / "bot.log")  # the schema exists from here on
    deadline = time.monotonic() + 400
    killed_at = pending_at_kill = -1
    try:
        with ThreadPoolExecutor(WORKERS) as pool:
            futures = [pool.submit(_send_with_retries, port, b, deadline) for b in _messages()]
            while count(RawMessage) < TOTAL // 3:  # a third of the burst is in: pull the plug
                assert time.monotonic() < deadline
                assert proc.poll() is None, (tmp_path / "bot.log").read_text()[-2000:]
                time.sleep(0.02)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            killed_at = count(RawMessage)
            pending_at_kill = count(RawMessage, RawMessage.status == "pending")
            proc = _start(tmp_path)  # the clients keep retrying until it is back
            retries = sum(f.result() for f in futures)
        while (
            count(RawMessage, RawMessage.status == "pending")
            or count(OutboxItem, OutboxItem.status == "sent") < TOTAL
        ):
            assert time.monotonic() < deadline, (tmp_path / "bot.log").read_text()[-3000:]
            assert proc.poll() is None, (tmp_path / "bot.log").read_text()[-3000:]
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    assert count(Ticket) == TOTAL  # none lost, none opened twice
    assert count(OutboxItem) == TOTAL  # one reply each
    assert count(RawMessage, RawMessage.status == "failed") == 0
    assert len(list((tmp_path / "outbox" / "new").iterdir())) == TOTAL
    engine.dispose()
    print(
        f"\nkilled with {killed_at} of {TOTAL} stored ({pending_at_kill} not yet processed);"
        f" clients retried {retries} times; {count(RawMessage) - TOTAL} re-deliveries deduplicated"
    )
