"""Composition root: builds the bot's parts from a :class:`Config`, once per process."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.classifier.types import Extractor
from bot.config import Config
from bot.intake.service import IntakeService
from bot.outbox.email import email_deliverer
from bot.outbox.worker import OutboxWorker
from bot.references import ReferenceFormat
from storage.db import ensure_schema, make_engine, make_sessionmaker


def utc_now() -> datetime:
    return datetime.now(UTC)


class App:
    def __init__(
        self,
        config: Config,
        clock: Callable[[], datetime] = utc_now,
        extractor_factory: Callable[[], Extractor] | None = None,
    ) -> None:
        self.config = config
        self.clock = clock
        self._extractor_factory = extractor_factory

    @cached_property
    def engine(self) -> Engine:
        engine = make_engine(self.config.storage.url)
        ensure_schema(engine)
        return engine

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return make_sessionmaker(self.engine)

    @cached_property
    def extractor(self) -> Extractor:
        if self._extractor_factory is not None:
            return self._extractor_factory()
        from bot.classifier import load_extractor  # spaCy import is slow: only when needed

        return load_extractor(self.config.classifier.model or None)

    @cached_property
    def intake(self) -> IntakeService:
        return IntakeService(self.config, self.sessions, self.extractor, self.clock)

    @cached_property
    def outbox(self) -> OutboxWorker:
        outbound = self.config.email.outbound
        return OutboxWorker(
            self.sessions,
            {"email": email_deliverer(outbound, self.clock)},
            self.clock,
            max_attempts=outbound.max_attempts,
            retry_base_seconds=outbound.retry_base_seconds,
        )

    @cached_property
    def references(self) -> ReferenceFormat:
        r = self.config.reference
        return ReferenceFormat(r.prefix, r.digits, r.include_year)

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
