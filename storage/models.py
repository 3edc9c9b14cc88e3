"""The database schema as typed SQLAlchemy 2.x models.

Nothing is deleted or overwritten in place where history matters: raw inbound messages are kept,
field values keep every statement with its provenance (superseded and conflicting ones too), and
every change to a ticket leaves an event.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
Id = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """Timestamps are stored and returned as UTC-aware datetimes on every backend.

    SQLite keeps no zone, so a value read back would be naive and compare wrongly with "now".
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use UTC-aware values")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime(), dict[str, Any]: JSON}


class RawMessage(Base):
    """Exactly what arrived, stored before anything else happens to it (never dropped)."""

    __tablename__ = "raw_messages"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    mailbox: Mapped[str] = mapped_column(String(255))
    received_at: Mapped[datetime]
    envelope_from: Mapped[str | None] = mapped_column(String(512))
    envelope_to: Mapped[str | None] = mapped_column(Text)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    # pending → processed | screened | duplicate | failed (kept aside with its error, replayable)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    outcome: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    processed_at: Mapped[datetime | None]


class Contact(Base):
    __tablename__ = "contacts"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    name: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(64))
    company: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime]


class Ticket(Base):
    __tablename__ = "tickets"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    # new → waiting_customer (details missing) | open → resolved → closed
    status: Mapped[str] = mapped_column(String(24), index=True)
    priority: Mapped[str | None] = mapped_column(String(4))
    stated_priority: Mapped[str | None] = mapped_column(String(64))
    fault_type: Mapped[str | None] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(Text, default="")
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    linked_ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    assignee: Mapped[str | None] = mapped_column(String(255))  # the engineer who claimed it
    # Service-level due times for the current priority, in business time (bot/sla).
    response_due_at: Mapped[datetime | None]
    resolution_due_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    contact: Mapped[Contact | None] = relationship()


class Message(Base):
    """One message in or out, on any channel, with the text views extraction and people need."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("channel", "mailbox", "external_id", name="uq_messages_external"),
        Index("ix_messages_external_id", "external_id"),
        Index("ix_messages_content_hash", "content_hash"),
        # The per-sender automatic-reply limit counts recent replies to one address. Partial:
        # inbound rows' recipient lists can be longer than a PostgreSQL btree entry allows.
        Index(
            "ix_messages_outbound_recipient_at",
            "recipients",
            "at",
            postgresql_where=text("direction = 'out'"),
            sqlite_where=text("direction = 'out'"),
        ),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    raw_message_id: Mapped[int | None] = mapped_column(ForeignKey("raw_messages.id"))
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    channel: Mapped[str] = mapped_column(String(16))
    mailbox: Mapped[str] = mapped_column(String(255))
    external_id: Mapped[str] = mapped_column(String(998))
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    references: Mapped[str | None] = mapped_column(Text)  # space-separated, oldest first
    thread_key: Mapped[str | None] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(Text, default="")
    sender: Mapped[str] = mapped_column(String(512))
    sender_name: Mapped[str | None] = mapped_column(String(512))
    recipients: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime]
    text_full: Mapped[str] = mapped_column(Text, default="")
    text_reply: Mapped[str] = mapped_column(Text, default="")
    text_quoted: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    # Why intake did not treat it as a person's report (auto-reply, bounce, list…), if it didn't.
    screened_reason: Mapped[str | None] = mapped_column(String(255))
    automatic: Mapped[bool] = mapped_column(default=False)


class FieldValue(Base):
    """One statement of one field's value, with where it came from. Never updated in place
    except for its ``status``: current | superseded | conflict."""

    __tablename__ = "field_values"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    key: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))  # customer | extraction | sender | engineer
    status: Mapped[str] = mapped_column(String(16))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    evidence_source: Mapped[str | None] = mapped_column(String(16))
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    evidence_text: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    created_at: Mapped[datetime]


class Attachment(Base):
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"))
    filename: Mapped[str] = mapped_column(String(255))  # display only; never a path
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_name: Mapped[str] = mapped_column(String(80))  # content-addressed name in the store
    created_at: Mapped[datetime]


class Event(Base):
    """Audit trail: every change to a ticket, and everything that happened to it."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(48))
    actor: Mapped[str] = mapped_column(String(255))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Note(Base):
    """Internal notes: engineers only, never sent to the customer."""

    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    at: Mapped[datetime]
    author: Mapped[str] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text)


class OutboxItem(Base):
    """A reply waiting to leave, written in the same transaction as the change that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    channel: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class Counter(Base):
    """Named sequences (reference numbers per year), incremented with the row locked, so two
    processes never get the same number and a number once handed out is never handed out again."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class Setting(Base):
    """Installation-wide values made once (e.g. the Message-ID signing key)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Contract(Base):
    """A customer's support contract: who is covered, for what, and until when."""

    __tablename__ = "contracts"
    number: Mapped[str] = mapped_column(String(64), primary_key=True)  # upper-case
    company: Mapped[str] = mapped_column(String(255))
    domains: Mapped[str] = mapped_column(Text, default="")  # e.g. "acme.co.uk acme.example"
    cover: Mapped[str] = mapped_column(String(255))  # as the desk names it: "NBD", "4-hour"…
    hardware_replacement: Mapped[bool] = mapped_column(default=False)
    around_the_clock: Mapped[bool] = mapped_column(default=False)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    updated_at: Mapped[datetime]


class CoveredAsset(Base):
    """A serial number covered by a contract."""

    __tablename__ = "covered_assets"
    serial: Mapped[str] = mapped_column(String(64), primary_key=True)  # upper-case, no spaces
    contract_number: Mapped[str] = mapped_column(ForeignKey("contracts.number"), index=True)
    product: Mapped[str] = mapped_column(String(255), default="")


class Suppression(Base):
    """An address automatic mail must not go to until ``until``: our mail to it bounced."""

    __tablename__ = "suppressions"
    address: Mapped[str] = mapped_column(String(320), primary_key=True)
    until: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class ChannelState(Base):
    """Checkpoints of channels (IMAP UIDVALIDITY/UID, Telegram offsets, health)."""

    __tablename__ = "channel_state"
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]
