"""The command line, as a user meets it: the contract's commands, and one clear line per mistake."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Config, load_config
from tests.conftest import free_port
from tests.helpers import MAIL

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory: the built-in defaults put everything here."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_error(code: int, err: str) -> None:
    assert code != 0
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("intake-bot: error:"), err
    assert "Traceback" not in err


def test_missing_config_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--config", "nope.toml", "tickets", "list")
    _one_line_error(code, err)
    assert "nope.toml" in err


def test_unknown_config_key_is_named(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "config.toml").write_text("[email.smtp]\nprot = 25\n")
    code, _, err = run(capsys, "tickets", "list")
    _one_line_error(code, err)
    assert "email.smtp.prot" in err


def test_bad_toml(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "config.toml").write_text("[storage\n")
    code, _, err = run(capsys, "tickets", "list")
    _one_line_error(code, err)


def test_usage_mistake_is_one_line(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1


def test_missing_input_path(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "ingest", "no-such-dir")
    _one_line_error(code, err)
    assert "no-such-dir" in err


def test_unreachable_database(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/intake"
    (workdir / "config.toml").write_text(f'[storage]\nurl = "{url}"\n')
    code, _, err = run(capsys, "tickets", "list")
    _one_line_error(code, err)
    assert "database unavailable" in err


def test_invalid_and_unknown_references(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "tickets", "show", "SR-2026-000001-Z")
    _one_line_error(code, err)
    assert "not a valid reference" in err
    from bot.references import ReferenceFormat

    code, _, err = run(capsys, "tickets", "show", ReferenceFormat().format(2026, 999))
    _one_line_error(code, err)
    assert "no ticket" in err


def test_db_upgrade(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0
    assert "upgraded from empty" in out
    code, out, _ = run(capsys, "db", "upgrade")
    assert "already at" in out


def test_ingest_show_flush(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "ingest", str(MAIL / "hardware-fault-no-serial.eml"))
    assert code == 0, err
    assert "processed: opened SR-" in out
    code, out, _ = run(capsys, "tickets", "list", "--json")
    (ticket,) = json.loads(out)
    reference = ticket["reference"]
    code, out, _ = run(capsys, "tickets", "show", reference.lower())  # case does not matter
    assert code == 0
    assert "missing: serial_number" in out
    code, out, _ = run(capsys, "outbox", "flush")
    assert out.strip() == "outbox: 1 sent, 0 to retry, 0 failed"
    (reply,) = (workdir / "outbox" / "new").iterdir()
    assert reference in reply.read_text()


def test_directory_ingest_shows_progress(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inbox = workdir / "inbox"
    inbox.mkdir()
    for name in ("hardware-fault-no-serial.eml", "out-of-office.eml", "bounce.eml"):
        shutil.copy(MAIL / name, inbox / name)
    (inbox / "notes.md").write_text("not mail")
    code, out, err = run(capsys, "ingest", str(inbox))
    assert code == 0
    assert len(out.splitlines()) == 3  # one line per message; notes.md is not mail
    assert "ingest: 3/3 (100%)" in err
    assert "ingest: 3 file(s)" in err


def test_extract_prints_every_key_with_evidence(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chat = workdir / "chat.txt"
    chat.write_text(
        "fw down!! fortigate 60f sn FGT60FTK20012345 on fortios 7.2.5, whole office offline"
    )
    code, out, _ = run(capsys, "extract", str(MAIL / "hardware-fault-no-serial.eml"), str(chat))
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["source"] for r in rows] == [str(MAIL / "hardware-fault-no-serial.eml"), str(chat)]
    from bot.fields import FIELD_KEYS

    for row in rows:
        assert set(FIELD_KEYS) <= set(row)
        assert isinstance(row["evidence"], dict)
    assert rows[1]["serial_number"] == "FGT60FTK20012345"
    assert "FGT60FTK20012345" in rows[1]["evidence"]["serial_number"]["text"]
    assert not list(workdir.glob("*.db"))  # extract writes nothing


def test_config_example_documents_every_key_and_loads() -> None:
    config = load_config(ROOT / "config.example.toml")
    assert config == Config()  # the example shows the defaults
    text = (ROOT / "config.example.toml").read_text()
    import dataclasses

    def keys(obj: object, prefix: str = "") -> list[str]:
        out = []
        for f in dataclasses.fields(obj):  # type: ignore[arg-type]
            value = getattr(obj, f.name)
            if dataclasses.is_dataclass(value):
                out += keys(value, f"{prefix}{f.name}.")
            else:
                out.append(f"{prefix}{f.name}")
        return out

    for key in keys(Config()):
        assert f"\n{key.rsplit('.', 1)[-1]} = " in text, f"{key} is not documented"


def test_console_script_in_a_subprocess(tmp_path: Path) -> None:
    """The installed `intake-bot` as the README's try-it runs it."""
    exe = Path(sys.executable).with_name("intake-bot")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    done = subprocess.run(
        [str(exe), "ingest", str(MAIL / "hardware-fault-no-serial.eml")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "opened SR-" in done.stdout
    assert (tmp_path / "intake.db").exists()


def test_replay_and_status(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A message whose processing failed is listed by status and processed by replay."""
    import bot.intake.steps.extract as extract_step

    def explode(ctx: object) -> None:
        raise RuntimeError("extractor unavailable")

    monkeypatch.setattr(extract_step, "extract_fields", explode)
    import bot.intake.pipeline as pipeline

    steps = tuple((n, explode if n == "extract_fields" else f) for n, f in pipeline.STEPS)
    monkeypatch.setattr(pipeline, "STEPS", steps)
    monkeypatch.setattr(pipeline.run_pipeline, "__defaults__", (steps,))
    code, out, _ = run(capsys, "ingest", str(MAIL / "hardware-fault-no-serial.eml"))
    assert code == 1
    assert ": failed: RuntimeError: extractor unavailable" in out
    code, out, _ = run(capsys, "status")
    assert code == 0
    assert "messages: 1 failed" in out
    assert "extractor unavailable" in out
    assert "intake-bot replay 1" in out

    monkeypatch.undo()  # the fault is fixed
    monkeypatch.chdir(workdir)
    code, out, _ = run(capsys, "replay")
    assert code == 0
    assert out.startswith("1: processed: opened SR-")
    code, out, _ = run(capsys, "replay")
    assert out.strip() == "replay: no failed messages"
    code, _, err = run(capsys, "replay", "999")
    _one_line_error(code, err)


def test_a_file_that_is_not_a_database(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "intake.db").write_text("not a database")
    code, _, err = run(capsys, "tickets", "list")
    _one_line_error(code, err)
    assert "not a database" in err


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[reference]\ndigits = 2\n", "reference.digits must be 4 to 12"),
        ("[email.smtp]\nmax_message_bytes = 0\n", "max_message_bytes must be > 0"),
        ("[email.smtp]\nport = 70000\n", "port must be 1 to 65535"),
    ],
)
def test_values_that_would_break_quietly_are_refused(
    workdir: Path, capsys: pytest.CaptureFixture[str], toml: str, message: str
) -> None:
    (workdir / "config.toml").write_text(toml)
    code, _, err = run(capsys, "tickets", "list")
    _one_line_error(code, err)
    assert message in err


def test_a_missing_tls_certificate_stops_run(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "config.toml").write_text('[email.smtp]\nport = 2599\ntls_cert_file = "nope.pem"\n')
    code, _, err = run(capsys, "run")
    _one_line_error(code, err)
    assert "tls_cert_file" in err
