"""The IMAP poller through outages: the server restarted mid-run, the bot SIGKILLed mid-batch.

Either way every message becomes exactly one ticket: nothing lost, nothing duplicated.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.app import App
from bot.channels.imap import imap_health
from storage.db import ensure_schema, make_engine, make_sessionmaker
from storage.models import RawMessage
from tests.channels.conftest import (
    PASSWORD_ENV,
    imap_config,
    inbound_subjects,
    poller_for,
    raw_statuses,
    running,
    tickets,
    wait_until,
)
from tests.channels.dovecot import Dovecot, append, folder_counts, make_mail


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_dovecot_restarted_mid_run_loses_and_duplicates_nothing(
    make_app: Callable[..., App],
    own_dovecot: Dovecot,
    imap_user: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "pw")
    caplog.set_level(logging.INFO, logger="bot.channels.imap")
    append(own_dovecot, imap_user, [make_mail(n) for n in range(300)])
    app = make_app()
    store_raw = app.intake.store_raw

    def slow_store(*args: Any, **kwargs: Any) -> int:
        # 300 messages take at least 6 s, so stopping Dovecot at 50 always lands mid-run (a
        # fast machine once finished the backlog while the server was being stopped).
        raw_id = store_raw(*args, **kwargs)
        time.sleep(0.02)
        return raw_id

    app.intake.store_raw = slow_store  # type: ignore[method-assign]
    async with running(poller_for(app, imap_config(own_dovecot, imap_user))):
        await wait_until(lambda: _raw_count(app.sessions) >= 50, 30, "the backlog under way")
        own_dovecot.stop()
        stopped_at = _raw_count(app.sessions)
        await asyncio.sleep(1.0)  # the poller fails to reconnect meanwhile, backing off
        own_dovecot.start()
        append(own_dovecot, imap_user, [make_mail(n) for n in range(300, 320)])
        await wait_until(lambda: tickets(app.sessions) >= 320, 60, "everything after restart")
        await wait_until(lambda: folder_counts(own_dovecot, imap_user)[1] == 0, 10, "all read")
    assert stopped_at < 300, "the server was stopped after the backlog was done"
    assert tickets(app.sessions) == 320
    assert set(inbound_subjects(app.sessions).values()) == {1}
    statuses = raw_statuses(app.sessions)
    assert statuses["processed"] == 320
    assert set(statuses) <= {"processed", "duplicate"}
    assert any(r.getMessage() == "imap session failed; reconnecting" for r in caplog.records)
    assert any(r.getMessage() == "imap reconnected" for r in caplog.records)
    with app.sessions() as session:
        [health] = imap_health(session)
    assert health["last_error"] is not None


POLLER = """
import asyncio, logging, sys, time
from pathlib import Path
from typing import Any
from bot.app import App
from bot.channels.imap import ImapPoller
from bot.config import load_config
from bot.logs import setup_logging

setup_logging(logging.INFO)
app = App(load_config(Path(sys.argv[1])))
store_raw = app.intake.store_raw
if len(sys.argv) > 2:  # widen the store-to-acknowledge window so the test can kill inside it
    def slow_store(*args, **kwargs):
        raw_id = store_raw(*args, **kwargs)
        time.sleep(float(sys.argv[2]))
        return raw_id
    app.intake.store_raw = slow_store
poller = ImapPoller(app.config.email.imap, app.intake, app.sessions, app.clock)
asyncio.run(poller.run(asyncio.Event()))
"""


def test_bot_killed_mid_batch_loses_and_duplicates_nothing(
    tmp_path: Path, dovecot: Dovecot, imap_user: str
) -> None:
    count = 300
    append(dovecot, imap_user, [make_mail(n) for n in range(count)])
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path}/intake.db"\n'
        f'attachments_dir = "{tmp_path}/files"\n'
        f'[email.outbound]\nmaildir = "{tmp_path}/outbox"\n'
        f'[email.imap]\nenabled = true\nhost = "{dovecot.host}"\nport = {dovecot.port}\n'
        f'security = "none"\nusername = "{imap_user}"\npassword_env = "{PASSWORD_ENV}"\n'
        "reconnect_base_seconds = 0.2\nreconnect_max_seconds = 1.0\n"
    )
    engine = make_engine(f"sqlite:///{tmp_path}/intake.db")
    ensure_schema(engine)  # so the test can count before the poller is up
    sessions = make_sessionmaker(engine)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env[PASSWORD_ENV] = "pw"
    try:
        with _Poller(config, env, tmp_path / "first.log", "0.02") as first:
            # Kill while a batch is stored but not yet acknowledged: the window that matters.
            deadline = time.monotonic() + 60
            while True:
                assert first.poll() is None, (tmp_path / "first.log").read_text()[-3000:]
                stored = _raw_count(sessions)
                if stored >= 50 and stored > count - folder_counts(dovecot, imap_user)[1]:
                    break
                assert time.monotonic() < deadline, "never caught mid-batch"
                time.sleep(0.01)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        killed_at = (_raw_count(sessions), folder_counts(dovecot, imap_user)[1])
        assert killed_at[0] < count
        with _Poller(config, env, tmp_path / "second.log"):
            deadline = time.monotonic() + 90
            while not (
                tickets(sessions) >= count
                and raw_statuses(sessions)["pending"] == 0
                and folder_counts(dovecot, imap_user)[1] == 0
            ):
                assert time.monotonic() < deadline, (tmp_path / "second.log").read_text()[-3000:]
                time.sleep(0.1)
        print(f"killed with {killed_at[0]} stored, {count - killed_at[1]} acknowledged")
        assert tickets(sessions) == count
        assert set(inbound_subjects(sessions).values()) == {1}
        statuses = raw_statuses(sessions)
        assert statuses["processed"] == count
        assert set(statuses) <= {"processed", "duplicate"}
    finally:
        engine.dispose()


class _Poller:
    """The poller in a subprocess of its own (so it can be SIGKILLed); killed on exit."""

    def __init__(self, config: Path, env: dict[str, str], log: Path, *extra: str) -> None:
        self.args = [sys.executable, "-c", POLLER, str(config), *extra]
        self.env = env
        self.log = log

    def __enter__(self) -> subprocess.Popen[bytes]:
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                self.args, env=self.env, cwd=self.log.parent, stdout=out, stderr=out
            )
        return self.proc

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)


def _raw_count(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(RawMessage)) or 0)
