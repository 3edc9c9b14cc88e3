"""Writing to a ticket's customer on the channel and in the thread they used.

An engineer's reply, question or resolution goes where the customer last wrote from: an email in
their email thread (threaded by In-Reply-To/References, with one of our signed Message-IDs, so
their answer finds the ticket), or a Telegram message as a reply to the ticket's first message.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.channels.email.message_id import MessageIdSigner
from bot.intake.rendering import render
from bot.intake.steps.reply import first_name, reply_subject, trim_references
from bot.messages import OutboundMessage
from storage.models import Message, Ticket

# Chat channels answer in the ticket's first message's thread; email answers the latest mail.
_ANCHOR_FIRST = {"telegram"}


def customer_messages(session: Session, ticket: Ticket) -> list[Message]:
    """The customer's own (not automatic, not screened) messages on the ticket, oldest first."""
    return list(
        session.scalars(
            select(Message)
            .where(
                Message.ticket_id == ticket.id,
                Message.direction == "in",
                Message.automatic.is_(False),
                Message.screened_reason.is_(None),
            )
            .order_by(Message.at, Message.id)
        )
    )


def to_customer(
    session: Session,
    ticket: Ticket,
    text: str,
    *,
    kind: str,
    engineer: str,
    desk_name: str,
    signer: MessageIdSigner,
) -> OutboundMessage | None:
    """The message ``text`` becomes for the customer, or None when nobody can be written to."""
    found = customer_messages(session, ticket)
    if not found:
        return None
    latest = found[-1]
    anchor = found[0] if latest.channel in _ANCHOR_FIRST else latest
    body = render(
        "engineer.txt.j2",
        kind=kind,
        text=text.strip(),
        engineer=engineer,
        desk_name=desk_name,
        reference=ticket.reference,
        greeting_name=first_name(ticket.contact.name if ticket.contact else anchor.sender_name),
        email=latest.channel == "email",
    )
    email = latest.channel == "email"
    parent_thread = tuple((anchor.references or "").split()) or (
        (anchor.in_reply_to,) if anchor.in_reply_to else ()
    )
    return OutboundMessage(
        channel=latest.channel,  # type: ignore[arg-type]
        to_address=_answer_address(session, ticket, latest),
        subject=reply_subject(ticket.subject, ticket.reference) if email else "",
        text=body,
        ticket_reference=ticket.reference,
        message_id=signer.mint(ticket.reference) if email else None,
        in_reply_to=anchor.external_id,
        references=trim_references((*parent_thread, anchor.external_id)) if email else (),
        thread_key=anchor.thread_key,
        to_name=anchor.sender_name,
        auto_generated=False,  # a person wrote it: no Auto-Submitted, counts as a response
    )


def _answer_address(session: Session, ticket: Ticket, latest: Message) -> str:
    """Where our last message on that channel went (it honoured Reply-To), else the sender."""
    previous = session.scalar(
        select(Message.recipients)
        .where(
            Message.ticket_id == ticket.id,
            Message.direction == "out",
            Message.channel == latest.channel,
            Message.at >= latest.at,
        )
        .order_by(Message.at.desc(), Message.id.desc())
        .limit(1)
    )
    return previous or latest.sender
