"""`intake-bot run`: starts, delivers the outbox continuously, stops cleanly on SIGTERM, and
refuses to start on an outdated schema."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from storage.db import head_revision, make_engine
from tests.helpers import MAIL

EXE = Path(sys.executable).with_name("intake-bot")


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}


def test_run_delivers_replies_and_stops_on_sigterm(tmp_path: Path) -> None:
    ingest = subprocess.run(
        [str(EXE), "ingest", str(MAIL / "hardware-fault-no-serial.eml")],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ingest.returncode == 0, ingest.stderr
    proc = subprocess.Popen(
        [str(EXE), "run"],
        cwd=tmp_path,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        new = tmp_path / "outbox" / "new"
        while not (new.exists() and any(new.iterdir())):
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline, "no reply delivered within 60 s"
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert '"event": "running"' in err
    assert '"event": "stopped"' in err
    assert len(list(new.iterdir())) == 1


def test_run_refuses_an_outdated_schema(tmp_path: Path) -> None:
    db = tmp_path / "intake.db"
    subprocess.run(
        [str(EXE), "db", "upgrade"],
        cwd=tmp_path,
        env=_env(),
        check=True,
        capture_output=True,
        timeout=60,
    )
    engine = make_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    engine.dispose()
    done = subprocess.run(
        [str(EXE), "run"], cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    head = head_revision(make_engine("sqlite://"))
    assert done.stderr.strip().splitlines() == [
        f"intake-bot: error: database schema is at 0000, this version needs {head}:"
        " run 'intake-bot db upgrade'"
    ]
