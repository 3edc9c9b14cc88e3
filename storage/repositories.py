"""Queries the intake core needs, in one place, so steps read as business rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import (
    Attachment,
    ChannelState,
    Contact,
    Event,
    FieldValue,
    Message,
    Note,
    OutboxItem,
    Setting,
    Suppression,
    Ticket,
)


def message_by_external_id(
    session: Session, channel: str, mailbox: str, external_id: str
) -> Message | None:
    return session.scalars(
        select(Message).where(
            Message.channel == channel,
            Message.mailbox == mailbox,
            Message.external_id == external_id,
        )
    ).first()


def inbound_with_content_hash(session: Session, content_hash: str) -> Message | None:
    if not content_hash:
        return None
    return session.scalars(
        select(Message).where(Message.content_hash == content_hash, Message.direction == "in")
    ).first()


def ticket_of_message_ids(session: Session, channel: str, ids: Iterable[str]) -> Ticket | None:
    """The ticket of the first id (in the order given) that is a message we know on a ticket."""
    wanted = [i for i in ids if i]
    if not wanted:
        return None
    rows = session.execute(
        select(Message.external_id, Message.ticket_id).where(
            Message.channel == channel,
            Message.external_id.in_(wanted),
            Message.ticket_id.is_not(None),
        )
    ).all()
    by_id = {external_id: ticket_id for external_id, ticket_id in rows}
    for i in wanted:
        if i in by_id:
            return session.get(Ticket, by_id[i])
    return None


def ticket_by_reference(session: Session, reference: str) -> Ticket | None:
    return session.scalars(select(Ticket).where(Ticket.reference == reference)).first()


def contact_by_email(session: Session, email: str) -> Contact | None:
    return session.scalars(select(Contact).where(Contact.email == email)).first()


def field_values(session: Session, ticket_id: int) -> Sequence[FieldValue]:
    return session.scalars(
        select(FieldValue).where(FieldValue.ticket_id == ticket_id).order_by(FieldValue.id)
    ).all()


def current_field_values(session: Session, ticket_id: int) -> dict[str, FieldValue]:
    return {fv.key: fv for fv in field_values(session, ticket_id) if fv.status == "current"}


def automatic_replies_since(session: Session, address: str, since: datetime) -> int:
    return int(
        session.scalar(
            select(func.count(Message.id)).where(
                Message.direction == "out",
                Message.automatic.is_(True),
                Message.recipients == address,
                Message.at >= since,
            )
        )
        or 0
    )


def messages_of(session: Session, ticket_id: int) -> Sequence[Message]:
    return session.scalars(
        select(Message).where(Message.ticket_id == ticket_id).order_by(Message.at, Message.id)
    ).all()


def attachments_of(session: Session, ticket_id: int) -> Sequence[Attachment]:
    return session.scalars(
        select(Attachment).where(Attachment.ticket_id == ticket_id).order_by(Attachment.id)
    ).all()


def notes_of(session: Session, ticket_id: int) -> Sequence[Note]:
    return session.scalars(select(Note).where(Note.ticket_id == ticket_id).order_by(Note.id)).all()


def events_of(session: Session, ticket_id: int) -> Sequence[Event]:
    return session.scalars(
        select(Event).where(Event.ticket_id == ticket_id).order_by(Event.at, Event.id)
    ).all()


def outbox_of(session: Session, ticket_id: int) -> Sequence[OutboxItem]:
    return session.scalars(
        select(OutboxItem).where(OutboxItem.ticket_id == ticket_id).order_by(OutboxItem.id)
    ).all()


def all_tickets(session: Session) -> Sequence[Ticket]:
    return session.scalars(select(Ticket).order_by(Ticket.id)).all()


def get_setting(session: Session, key: str) -> str | None:
    row = session.get(Setting, key)
    return row.value if row else None


def add_setting_if_absent(session: Session, key: str, value: str) -> str:
    """Store ``value`` under ``key`` unless another process already did; return the winner.

    An insert that ignores a conflict, then a read: two instances starting together on a new
    database both get the same value, and neither fails.
    """
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(Setting).values(key=key, value=value).on_conflict_do_nothing())
    stored = session.scalar(select(Setting.value).where(Setting.key == key))
    assert stored is not None
    return stored


def suppress(session: Session, address: str, until: datetime, reason: str, now: datetime) -> None:
    """Stop automatic mail to ``address`` until ``until`` (extends, never shortens)."""
    row = session.get(Suppression, address)
    if row is None:
        session.add(Suppression(address=address, until=until, reason=reason, created_at=now))
    elif row.until < until:
        row.until, row.reason = until, reason


def unsuppress(session: Session, address: str) -> None:
    row = session.get(Suppression, address)
    if row is not None:
        session.delete(row)
        session.flush()  # a later get() in this transaction must not find it


def suppressed_until(session: Session, address: str, now: datetime) -> datetime | None:
    row = session.get(Suppression, address)
    return row.until if row is not None and row.until > now else None


def sender_wrote_on(session: Session, ticket_id: int, sender: str) -> bool:
    """Whether ``sender`` has written a (non-automatic) message on the ticket."""
    found = session.scalar(
        select(Message.id)
        .where(
            Message.ticket_id == ticket_id,
            Message.direction == "in",
            Message.sender == sender,
            Message.automatic.is_(False),
        )
        .limit(1)
    )
    return found is not None


def claim_once(session: Session, channel: str, key: str, now: datetime, value: str = "") -> bool:
    """Record ``key`` for ``channel``; True only for the first caller ever (any process).

    How a repeated delivery (a Slack event retried, a Telegram update fetched twice) is made to
    have effect once: the claim commits with the effect, so a rolled-back effect is no claim.
    """
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    result = session.execute(
        insert(ChannelState)
        .values(channel=channel, key=key, value=value, updated_at=now)
        .on_conflict_do_nothing()
        # RETURNING, not rowcount: psycopg reports rowcount -1 here, which read as "claimed".
        .returning(ChannelState.key)
    )
    return result.first() is not None


def channel_value(session: Session, channel: str, key: str) -> str | None:
    row = session.get(ChannelState, (channel, key))
    return row.value if row is not None else None


def set_channel_value(session: Session, channel: str, key: str, value: str, now: datetime) -> None:
    row = session.get(ChannelState, (channel, key))
    if row is None:
        session.add(ChannelState(channel=channel, key=key, value=value, updated_at=now))
    else:
        row.value, row.updated_at = value, now
