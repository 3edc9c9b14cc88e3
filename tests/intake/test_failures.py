"""Bad input and broken parts lose nothing: failed processing is kept aside with its error, a
database outage is reported as such, and the per-sender reply limit stops loops."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from bot.app import App
from bot.classifier.types import Extraction, ReportText
from bot.errors import StorageError
from bot.intake.service import IntakeService
from storage.models import OutboxItem, RawMessage, Ticket
from tests.helpers import fixture_mail, ingest


class BrokenExtractor:
    def extract(self, report: ReportText) -> Extraction:
        raise RuntimeError("classifier exploded")


def test_a_failing_step_rolls_back_and_keeps_the_message(app: App) -> None:
    broken = IntakeService(app.config, app.sessions, BrokenExtractor(), app.clock)
    raw = fixture_mail("hardware-fault-no-serial.eml")
    raw_id = broken.store_raw(raw, channel="email", mailbox="support@desk.example")
    result = broken.process(raw_id)
    assert result.status == "failed"
    assert "classifier exploded" in result.outcome
    with app.sessions() as session:
        stored = session.get(RawMessage, raw_id)
        assert stored is not None
        assert stored.status == "failed"
        assert "classifier exploded" in (stored.error or "")
        assert stored.data == raw  # kept byte for byte, to replay
        assert session.scalars(select(Ticket)).all() == []  # nothing half-written
    # once the fault is fixed, the same stored message is processed normally
    replayed = app.intake.process(raw_id)
    assert replayed.status == "processed"


def test_storing_when_the_database_is_down_raises_storage_error(app: App) -> None:
    from tests.conftest import free_port

    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/gone"
    from storage.db import make_engine, make_sessionmaker

    engine = make_engine(url)
    service = object.__new__(IntakeService)  # the parts of an already-running service
    service.sessions, service.clock = make_sessionmaker(engine), app.clock
    with pytest.raises(StorageError, match="cannot store the message"):
        service.store_raw(b"Subject: x\r\n\r\nbody", channel="email", mailbox="m")
    engine.dispose()


def test_per_sender_reply_limit_stops_a_loop(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(intake={"auto_reply_limit": 3, "auto_reply_window_minutes": 60})
    template = fixture_mail("hardware-fault-no-serial.eml")
    for n in range(5):  # a robot that slipped through screening writes five new "reports"
        raw = template.replace(b"harbour-0001@", f"harbour-loop-{n}@".encode())
        raw = raw.replace(b"Core switch PSU failed", f"Core switch PSU failed #{n}".encode())
        assert ingest(app, raw).status == "processed"
    with app.sessions() as session:
        assert len(session.scalars(select(OutboxItem)).all()) == 3
        assert len(session.scalars(select(Ticket)).all()) == 5  # every report still a ticket


def test_message_without_any_sender_gets_a_ticket_but_no_reply(app: App) -> None:
    raw = b"Subject: switch dead\r\n\r\nOur Cisco C9300 switch is dead, no lights at all.\r\n"
    result = ingest(app, raw)
    assert result.status == "processed"
    with app.sessions() as session:
        assert session.scalars(select(OutboxItem)).all() == []


def test_config_is_frozen_and_app_uses_it() -> None:
    from bot.config import Config

    config = Config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.storage = config.storage  # type: ignore[misc]
