"""The SMTP server with real clients (smtplib, swaks) on loopback, inside the real `run` loop:
contract answers, STARTTLS, concurrency, every corpus mail, and a database outage."""

from __future__ import annotations

import shutil
import smtplib
import ssl
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import App
from storage.db import make_engine, make_sessionmaker
from storage.models import RawMessage, Ticket
from tests.channels.smtp_bot import running, wait_until
from tests.conftest import free_port
from tests.helpers import delivered, fixture_mail

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
SUPPORT = "support@desk.example"


@pytest.fixture
def smtp_app(make_app: Callable[..., App]) -> App:
    return _app(make_app)


def _app(make_app: Callable[..., App], **smtp: object) -> App:
    import dataclasses

    app = make_app()
    values = {"host": "127.0.0.1", "port": free_port(), "accept": (SUPPORT, "@help.example")} | smtp
    config = app.config
    email_cfg = dataclasses.replace(
        config.email, smtp=dataclasses.replace(config.email.smtp, **values)
    )
    app.config = dataclasses.replace(config, email=email_cfg)
    return app


def _count(app: App, model: type, *where: object) -> int:
    with app.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _client(app: App) -> smtplib.SMTP:
    smtp = app.config.email.smtp
    return smtplib.SMTP(smtp.host, smtp.port, timeout=30)


def test_mail_in_reply_out(smtp_app: App) -> None:
    with running(smtp_app) as app, _client(app) as client:
        refused = client.sendmail(
            "sarah.collins@harbourfreight.example",
            [SUPPORT],
            fixture_mail("hardware-fault-no-serial.eml"),
        )
        assert refused == {}
        wait_until(lambda: len(delivered(app)) == 1)  # processed and the reply delivered
    (reply,) = delivered(smtp_app)
    assert reply["In-Reply-To"] == "<CAF3x9-harbour-0001@mail.harbourfreight.example>"
    assert _count(smtp_app, Ticket) == 1


def test_unknown_recipient_is_refused_and_never_relayed(smtp_app: App) -> None:
    with running(smtp_app) as app, _client(app) as client:
        for rcpt in ("someone@elsewhere.example", "sales@desk.example"):
            client.ehlo()
            client.mail("spammer@bad.example")
            code, text = client.rcpt(rcpt)
            assert code == 550
            assert text.startswith(b"5.1.1")
            client.rset()
        code, _ = client.mail("a@b.example")
        assert client.rcpt("anyone@help.example")[0] == 250  # a whole accepted domain
    assert _count(smtp_app, RawMessage) == 0


def test_oversized_message_gets_552_5_3_4(make_app: Callable[..., App]) -> None:
    app = _app(make_app, max_message_bytes=10_000)
    big = fixture_mail("hardware-fault-no-serial.eml") + b"x" * 20_000 + b"\r\n"
    with running(app), _client(app) as client:
        with pytest.raises(smtplib.SMTPSenderRefused) as declared:  # smtplib sends SIZE=
            client.sendmail("a@b.example", [SUPPORT], big)
        assert declared.value.smtp_code == 552
        assert declared.value.smtp_error.startswith(b"5.3.4")
        client.rset()
        client.ehlo()
        assert client.mail("a@b.example")[0] == 250  # no SIZE declared: found out during DATA
        assert client.rcpt(SUPPORT)[0] == 250
        code, text = client.data(big)
        assert code == 552
        assert text.startswith(b"5.3.4")
    assert _count(app, RawMessage) == 0


def test_database_down_answers_451_and_nothing_is_half_written(smtp_app: App) -> None:
    raw = fixture_mail("hardware-fault-no-serial.eml")
    with running(smtp_app) as app, _client(app) as client:
        working = app.intake.sessions
        dead = make_engine(f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/gone")
        app.intake.sessions = make_sessionmaker(dead)
        with pytest.raises(smtplib.SMTPDataError) as failure:
            client.sendmail("sarah.collins@harbourfreight.example", [SUPPORT], raw)
        assert failure.value.smtp_code == 451
        assert failure.value.smtp_error.startswith(b"4.3.0")
        app.intake.sessions = working  # the database is back: the sender's MTA retries
        dead.dispose()
        client.rset()
        assert client.sendmail("sarah.collins@harbourfreight.example", [SUPPORT], raw) == {}
        wait_until(lambda: _count(app, Ticket) == 1)
    assert _count(smtp_app, RawMessage) == 1


def test_concurrent_sessions(smtp_app: App) -> None:
    template = fixture_mail("hardware-fault-no-serial.eml")

    def send(worker: int) -> int:
        with _client(smtp_app) as client:
            for n in range(10):
                raw = template.replace(b"harbour-0001@", f"w{worker}-{n}@".encode())
                raw = raw.replace(b"PSU failed -", f"PSU failed #{worker}.{n} -".encode())
                client.sendmail("sarah.collins@harbourfreight.example", [SUPPORT], raw)
        return 10

    with running(smtp_app) as app:
        with ThreadPoolExecutor(8) as pool:
            assert sum(pool.map(send, range(8))) == 80
        wait_until(lambda: _count(app, RawMessage, RawMessage.status == "pending") == 0, 120)
    assert _count(smtp_app, Ticket) == 80


@pytest.mark.skipif(not shutil.which("swaks"), reason="swaks not installed (.ci/run installs it)")
def test_swaks_with_starttls(make_app: Callable[..., App], tls_cert: tuple[Path, Path]) -> None:
    cert, key = tls_cert
    app = _app(make_app, tls_cert_file=str(cert), tls_key_file=str(key))
    smtp = app.config.email.smtp
    with running(app):
        done = subprocess.run(
            [
                "swaks",
                "--server",
                smtp.host,
                "--port",
                str(smtp.port),
                "--tls",
                "--from",
                "pieter@karoo-logistics.example",
                "--to",
                SUPPORT,
                "--header",
                "Subject: FortiGate 200F rebooting",
                "--body",
                "Our FortiGate 200F at the Cape Town branch reboots every hour.",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stdout[-2000:]
        assert "TLS started" in done.stdout
        wait_until(lambda: _count(app, Ticket) == 1)
        with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as client:  # and smtplib, verified
            client.starttls(context=ssl.create_default_context(cafile=str(cert)))
            assert client.sendmail("a@b.example", [SUPPORT], b"Subject: hi\r\n\r\nx\r\n") == {}


def test_every_corpus_mail_gets_250_and_an_outcome(smtp_app: App) -> None:
    files = sorted(p for p in CORPORA.rglob("*") if p.is_file() and p.suffix not in {".yml", ".md"})
    with running(smtp_app) as app, _client(app) as client:
        for path in files:
            # the SMTP sender is whoever the relay says; null for bounces is in their headers
            assert client.sendmail("relay@mx.example", [SUPPORT], path.read_bytes()) == {}, path
        wait_until(lambda: _count(app, RawMessage, RawMessage.status == "pending") == 0, 300)
    with smtp_app.sessions() as session:
        statuses = dict(
            session.execute(
                select(RawMessage.status, func.count()).group_by(RawMessage.status)
            ).all()
        )
    print("\ncorpora via SMTP:", statuses)
    assert sum(statuses.values()) == len(files)  # none lost
    assert set(statuses) <= {"processed", "screened", "duplicate"}  # none failed
