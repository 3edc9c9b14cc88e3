"""Intake as a service: store the raw message durably, then process it from the store.

Two transactions on purpose. The first only stores the bytes (what a channel acknowledges:
SMTP 250, IMAP \\Seen); the second runs the pipeline. If processing fails, it is rolled back and
the raw message is marked failed with its error, to be replayed — never dropped.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.channels.email.message_id import MessageIdSigner
from bot.classifier.types import Extractor
from bot.config import Config, secret_from_env
from bot.errors import StorageError
from bot.intake.channels import parse_stored
from bot.intake.context import IntakeContext, IntakeDeps
from bot.intake.pipeline import run_pipeline
from bot.ops.metrics import LATENCY, MESSAGES, RECEIVED
from bot.references import ReferenceFormat
from storage import repositories as repo
from storage.attachments import AttachmentStore
from storage.models import RawMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IntakeResult:
    raw_id: int
    status: str  # processed | screened | duplicate | failed
    outcome: str
    reference: str | None = None


class IntakeService:
    def __init__(
        self,
        config: Config,
        sessions: sessionmaker[Session],
        extractor: Extractor,
        clock: Callable[[], datetime],
    ) -> None:
        self.config = config
        self.sessions = sessions
        self.clock = clock
        with sessions.begin() as session:
            key = _signing_key(config, session)
        self.deps = IntakeDeps(
            config=config,
            extractor=extractor,
            attachments=AttachmentStore(config.attachments_path()),
            signer=MessageIdSigner(key, config.email.outbound.from_address.rpartition("@")[2]),
            references=ReferenceFormat(
                config.reference.prefix, config.reference.digits, config.reference.include_year
            ),
            clock=clock,
        )

    def store_raw(
        self,
        data: bytes,
        *,
        channel: str,
        mailbox: str,
        envelope_from: str | None = None,
        envelope_to: tuple[str, ...] = (),
    ) -> int:
        """Durably store the bytes as received; returns the raw message id."""
        try:
            with self.sessions.begin() as session:
                raw = RawMessage(
                    channel=channel,
                    mailbox=mailbox,
                    received_at=self.clock(),
                    envelope_from=envelope_from,
                    envelope_to=", ".join(envelope_to) or None,
                    data=data,
                    sha256=hashlib.sha256(data).hexdigest(),
                    status="pending",
                    attempts=0,
                )
                session.add(raw)
                session.flush()
                raw_id = raw.id
            RECEIVED.labels(channel).inc()
            return raw_id
        except SQLAlchemyError as exc:  # any database trouble: the sender must retry (451)
            raise StorageError(f"cannot store the message: {_first_line(exc)}") from None

    def process(self, raw_id: int, *, again: bool = False) -> IntakeResult:
        """Run the pipeline for one stored raw message, in one transaction.

        A message already done is left alone (so a message handed over twice is processed once),
        except a failed one, or any one when ``again`` (an operator's replay).
        """
        started = time.perf_counter()
        try:
            with self.sessions.begin() as session:
                # Locked: two workers (or instances) given the same id process it once.
                raw = session.get(RawMessage, raw_id, with_for_update=True)
                if raw is None:
                    raise StorageError(f"no stored message with id {raw_id}")
                if raw.status not in ("pending", "failed") and not again:
                    return IntakeResult(raw_id, raw.status, raw.outcome or "")
                now = self.clock()
                inbound = parse_stored(raw).without_nul()
                # Steps flush where they need ids; flushing before every query cost a third of
                # intake time. Everything pending is flushed at commit.
                session.autoflush = False
                ctx = IntakeContext(deps=self.deps, session=session, inbound=inbound, raw=raw)
                ctx.now = now
                status = run_pipeline(ctx)
                raw.status, raw.outcome, raw.error = status, ctx.outcome, None
                raw.attempts += 1
                raw.processed_at = now
                reference = ctx.ticket.reference if ctx.ticket else None
            log.info("intake", extra={"raw_id": raw_id, "status": status, "reference": reference})
            MESSAGES.labels(inbound.channel, status).inc()
            LATENCY.observe(time.perf_counter() - started)
            return IntakeResult(raw_id, status, ctx.outcome, reference)
        except StorageError:
            raise
        except OperationalError as exc:
            raise StorageError(f"database unavailable: {_first_line(exc)}") from None
        except Exception as exc:  # a bug or a message we cannot handle: keep it aside
            log.exception("intake failed", extra={"raw_id": raw_id})
            channel = self._mark_failed(raw_id, exc)
            MESSAGES.labels(channel, "failed").inc()
            return IntakeResult(raw_id, "failed", f"{type(exc).__name__}: {exc}")

    def _mark_failed(self, raw_id: int, exc: Exception) -> str:
        """Keep the message aside for replay; returns its channel (for the metrics)."""
        with self.sessions.begin() as session:
            raw = session.get(RawMessage, raw_id)
            if raw is None:
                return "unknown"
            raw.status = "failed"
            raw.error = f"{type(exc).__name__}: {exc}"[:4000]
            raw.attempts += 1
            return raw.channel


def _signing_key(config: Config, session: Session) -> bytes:
    variable = config.intake.signing_key_env
    if variable:
        return secret_from_env(variable, "intake.signing_key_env").encode()
    stored = repo.get_setting(session, "message_id_key")
    if stored is None:  # first start of a new installation (maybe several instances at once)
        stored = repo.add_setting_if_absent(session, "message_id_key", secrets.token_hex(32))
    return bytes.fromhex(stored)


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
