"""The outbox worker: exactly one maildir file per reply, SMTP delivery with STARTTLS and AUTH,
retries with back-off on temporary failures, and permanent failures shown on the ticket."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

from bot.app import App
from bot.outbox.worker import OutboxWorker
from storage.models import Event, OutboxItem, Ticket
from tests.conftest import Clock

PAYLOAD = {
    "to": "jane@acme.example",
    "to_name": "Jane Doe",
    "subject": "Re: Firewall down [SR-2026-000001-B]",
    "text": "Hello Jane,\n\nWe have logged your report.\n",
    "message_id": "SR-2026-000001-B.0011223344556677.0123456789abcdef@desk.example",
    "in_reply_to": "abc@acme.example",
    "references": ["abc@acme.example"],
    "auto_generated": True,
}


def _queue(app: App, clock: Clock, key: str = "reply:1", **payload: object) -> int:
    now = clock()
    with app.sessions.begin() as session:
        ticket = Ticket(
            reference="SR-2026-000001-B",
            status="new",
            channel="email",
            subject="x",
            created_at=now,
            updated_at=now,
        )
        session.add(ticket)
        session.flush()
        item = OutboxItem(
            idempotency_key=key,
            ticket_id=ticket.id,
            channel="email",
            payload=PAYLOAD | payload,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        session.add(item)
        session.flush()
        return item.id


def _item(app: App, item_id: int) -> OutboxItem:
    with app.sessions() as session:
        item = session.get(OutboxItem, item_id)
        assert item is not None
        return item


def _events(app: App) -> list[Event]:
    with app.sessions() as session:
        return list(session.query(Event).order_by(Event.id))


def test_maildir_gets_one_file_per_reply_even_when_delivered_twice(app: App, clock: Clock) -> None:
    item_id = _queue(app, clock)
    assert app.outbox.flush().sent == 1
    assert app.outbox.flush().sent == 0  # nothing due any more
    new = Path(app.config.email.outbound.maildir) / "new"
    (file,) = list(new.iterdir())
    # a crash after writing but before marking sent: the row is delivered again after the lease
    with app.sessions.begin() as session:
        row = session.get(OutboxItem, item_id)
        assert row is not None
        row.status = "pending"
    clock.advance(seconds=app.outbox.lease.total_seconds() + 1)
    assert app.outbox.flush().sent == 1
    assert list(new.iterdir()) == [file]  # still exactly one file
    msg = email.message_from_bytes(file.read_bytes(), policy=email.policy.default)
    assert msg["Message-ID"] == f"<{PAYLOAD['message_id']}>"
    assert msg["In-Reply-To"] == "<abc@acme.example>"
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg["X-Intake-Loop"]


def test_header_injection_in_customer_values_is_neutralised(app: App, clock: Clock) -> None:
    _queue(
        app, clock, subject="Re: hi\r\nBcc: victim@evil.example", to_name="Eve\nBcc: x@evil.example"
    )
    app.outbox.flush()
    new = Path(app.config.email.outbound.maildir) / "new"
    raw = next(new.iterdir()).read_bytes()
    headers = raw.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in raw else raw.split(b"\n\n", 1)[0]
    assert b"\nBcc:" not in headers
    assert b"\r\nBcc:" not in headers


def test_smtp_smarthost_with_starttls_and_auth(
    make_app, clock: Clock, tls_smarthost, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TEST_SMARTHOST_PASSWORD", "s3cret")
    outbound = {
        "transport": "smtp",
        "smtp_host": tls_smarthost.host,
        "smtp_port": tls_smarthost.port,
        "smtp_security": "starttls",
        "smtp_username": "desk",
        "smtp_password_env": "TEST_SMARTHOST_PASSWORD",
        "smtp_ca_file": tls_smarthost.cafile,
        "from_address": "support@desk.example",
    }
    app = _with_outbound(make_app, outbound)
    _queue(app, clock)
    result = app.outbox.flush()
    assert (result.sent, result.failed, result.errors) == (1, 0, [])
    (envelope,) = tls_smarthost.recorder.messages
    assert envelope.rcpt_tos == ["jane@acme.example"]
    assert envelope.mail_from == "support@desk.example"
    assert b"In-Reply-To: <abc@acme.example>" in envelope.content


def test_wrong_smarthost_password_is_retried_not_lost(
    make_app, clock: Clock, tls_smarthost, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TEST_SMARTHOST_PASSWORD", "wrong")
    app = _with_outbound(
        make_app,
        {
            "transport": "smtp",
            "smtp_host": tls_smarthost.host,
            "smtp_port": tls_smarthost.port,
            "smtp_security": "starttls",
            "smtp_username": "desk",
            "smtp_password_env": "TEST_SMARTHOST_PASSWORD",
            "smtp_ca_file": tls_smarthost.cafile,
            "smtp_timeout_seconds": 5,
        },
    )
    item_id = _queue(app, clock)
    result = app.outbox.flush()
    assert result.sent == 0
    assert result.retrying == 1  # a configuration mistake must not lose the reply
    assert tls_smarthost.recorder.messages == []
    assert "535" in (_item(app, item_id).last_error or "")


def test_temporary_failure_is_retried_with_backoff(make_app, clock: Clock, smarthost) -> None:  # type: ignore[no-untyped-def]
    app = _with_outbound(
        make_app,
        {
            "transport": "smtp",
            "smtp_host": smarthost.host,
            "smtp_port": smarthost.port,
            "retry_base_seconds": 60,
        },
    )
    item_id = _queue(app, clock)
    smarthost.recorder.answer = "451 4.3.0 try later"
    result = app.outbox.flush()
    assert (result.sent, result.retrying) == (0, 1)
    item = _item(app, item_id)
    assert item.status == "pending"
    assert item.attempts == 1
    assert "451" in (item.last_error or "")
    wait = (item.next_attempt_at - clock()).total_seconds()
    assert 30 <= wait <= 60
    assert app.outbox.flush().sent == 0  # not due yet
    smarthost.recorder.answer = "250 OK"
    clock.advance(seconds=61)
    assert app.outbox.flush().sent == 1
    assert _item(app, item_id).status == "sent"
    assert len(smarthost.recorder.messages) == 1


def test_permanent_failure_is_recorded_on_the_ticket(make_app, clock: Clock, smarthost) -> None:  # type: ignore[no-untyped-def]
    app = _with_outbound(
        make_app, {"transport": "smtp", "smtp_host": smarthost.host, "smtp_port": smarthost.port}
    )
    item_id = _queue(app, clock)
    smarthost.recorder.answer = "550 5.1.1 no such user"
    result = app.outbox.flush()
    assert result.failed == 1
    assert _item(app, item_id).status == "failed"
    failures = [e for e in _events(app) if e.kind == "delivery_failed"]
    assert len(failures) == 1
    assert "550" in str(failures[0].detail["error"])
    from storage import repositories as repo

    with app.sessions() as session:  # no more automatic mail to an address that refused ours
        assert repo.suppressed_until(session, "jane@acme.example", clock()) is not None


def test_unreachable_smarthost_gives_up_after_max_attempts(make_app, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import free_port

    app = _with_outbound(
        make_app,
        {
            "transport": "smtp",
            "smtp_host": "127.0.0.1",
            "smtp_port": free_port(),
            "max_attempts": 3,
            "retry_base_seconds": 1,
            "smtp_timeout_seconds": 2,
        },
    )
    item_id = _queue(app, clock)
    for _ in range(3):
        app.outbox.flush()
        clock.advance(hours=1)
    item = _item(app, item_id)
    assert item.status == "failed"
    assert item.attempts == 3
    assert "gave up" in (item.last_error or "")


def test_claimed_rows_are_not_claimed_twice(app: App, clock: Clock) -> None:
    _queue(app, clock)
    calls: list[str] = []
    worker = OutboxWorker(app.sessions, {"email": lambda p, k: calls.append(k)}, clock)
    inner = OutboxWorker(app.sessions, {"email": lambda p, k: calls.append("inner:" + k)}, clock)

    def deliver_and_race(payload: dict, key: str) -> None:  # type: ignore[type-arg]
        calls.append(key)
        inner.flush()  # a second worker running meanwhile finds nothing to claim

    worker.deliverers = {"email": deliver_and_race}  # type: ignore[misc]
    worker.flush()
    assert calls == ["reply:1"]


def _with_outbound(make_app, values: dict) -> App:  # type: ignore[no-untyped-def,type-arg]
    from bot.config import OutboundConfig

    base = OutboundConfig()
    merged = {"maildir": base.maildir, "from_address": "support@desk.example"} | values
    app = make_app()
    import dataclasses

    outbound = dataclasses.replace(app.config.email.outbound, **merged)
    config = dataclasses.replace(
        app.config, email=dataclasses.replace(app.config.email, outbound=outbound)
    )
    app.config = config
    app.__dict__.pop("outbox", None)
    return app


def test_one_undeliverable_address_does_not_hold_up_the_others(app: App, clock: Clock) -> None:
    bad = _queue(app, clock, key="reply:bad", to="pieter@acme..example")
    with app.sessions.begin() as session:  # a second ticket's reply, queued after the bad one
        session.add(
            OutboxItem(
                idempotency_key="reply:good",
                ticket_id=None,
                channel="email",
                payload=PAYLOAD | {"message_id": "good@desk.example"},
                status="pending",
                attempts=0,
                next_attempt_at=clock(),
                created_at=clock(),
            )
        )
    result = app.outbox.flush()
    assert (result.sent, result.failed) == (1, 1)
    assert _item(app, bad).status == "failed"
    assert "not a deliverable address" in (_item(app, bad).last_error or "")


def test_two_installations_sharing_a_maildir_never_overwrite(
    make_app, clock: Clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    first = make_app()
    _queue(first, clock, key="reply:1")
    first.outbox.flush()
    import dataclasses

    other_db = f"sqlite:///{tmp_path / 'other.db'}"
    second = make_app()
    second.config = dataclasses.replace(
        second.config, storage=dataclasses.replace(second.config.storage, url=other_db)
    )
    second.__dict__.pop("engine", None)
    second.__dict__.pop("sessions", None)
    _queue(
        second, clock, key="reply:1", message_id="SR-2026-000001-B.99.0123456789abcdef@desk.example"
    )
    assert second.outbox.flush().sent == 1
    new = Path(first.config.email.outbound.maildir) / "new"
    assert len(list(new.iterdir())) == 2  # same outbox key, two replies, two files
