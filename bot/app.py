"""Composition root: builds the bot's parts from a :class:`Config`, once per process."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.channels.smtp import SmtpChannel
from bot.classifier.types import Extractor
from bot.config import Config, OutboundConfig
from bot.intake.processor import Processor
from bot.intake.service import IntakeService
from bot.outbox.email import email_deliverer
from bot.outbox.worker import Deliver, OutboxWorker
from bot.references import ReferenceFormat
from bot.sla.reminders import Reminders
from bot.sla.watcher import SlaWatcher
from bot.tickets.actions import TicketActions
from storage.db import ensure_schema, make_engine, make_sessionmaker


class Service(Protocol):
    """A channel listener or poller run by ``intake-bot run`` until ``stop`` is set."""

    name: str

    async def run(self, stop: asyncio.Event) -> None: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


def _lease(outbound: OutboundConfig) -> timedelta:
    """Longer than one delivery attempt can take: a local file write, or an SMTP session whose
    connect, TLS handshake and DATA may each take up to the timeout."""
    if outbound.transport == "maildir":
        return timedelta(seconds=10)
    return timedelta(seconds=3 * outbound.smtp_timeout_seconds + 10)


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
    def ticket_actions(self) -> TicketActions:
        return TicketActions(self.sessions, self.config, self.intake.deps.signer, self.clock)

    def deliverers(self) -> dict[str, Deliver]:
        """Outbox delivery per channel; rows of a channel not enabled here wait (another
        instance, or a later start with the channel on, delivers them)."""
        found: dict[str, Deliver] = {
            "email": email_deliverer(self.config.email.outbound, self.clock)
        }
        if self.config.telegram.enabled:
            from bot.channels.telegram.outbox import telegram_deliverer

            found["telegram"] = telegram_deliverer(self)
        return found

    @cached_property
    def outbox(self) -> OutboxWorker:
        outbound = self.config.email.outbound
        return OutboxWorker(
            self.sessions,
            self.deliverers(),
            self.clock,
            max_attempts=outbound.max_attempts,
            retry_base_seconds=outbound.retry_base_seconds,
            lease=_lease(outbound),
            suppress_for=timedelta(hours=self.config.intake.bounce_suppress_hours),
        )

    @cached_property
    def references(self) -> ReferenceFormat:
        r = self.config.reference
        return ReferenceFormat(r.prefix, r.digits, r.include_year)

    @cached_property
    def processor(self) -> Processor:
        return Processor(self.intake, self.config.intake.pending_sweep_seconds)

    def services(self) -> list[Service]:
        """The long-running services the config enables (``run`` starts them)."""
        found: list[Service] = [
            self.processor,
            SlaWatcher(
                self.sessions,
                self.config.sla,
                self.clock,
                reminders=Reminders(
                    self.sessions, self.config, self.intake.deps.signer, self.clock
                ),
            ),
        ]
        if self.config.email.smtp.enabled:
            found.append(SmtpChannel(self.config.email.smtp, self.intake, self.processor.submit))
        if self.config.ops.enabled:
            from bot.ops.http import OpsServer

            found.append(OpsServer(self.config.ops, self.sessions, self.clock))
        if self.config.email.imap.enabled:
            from bot.channels.imap import ImapPoller

            found.append(ImapPoller(self.config.email.imap, self.intake, self.sessions, self.clock))
        if self.config.slack.enabled:
            from bot.channels.slack import slack_service

            found.append(slack_service(self))
        if self.config.telegram.enabled:
            from bot.channels.telegram import telegram_service

            found.append(telegram_service(self))
        return found

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
