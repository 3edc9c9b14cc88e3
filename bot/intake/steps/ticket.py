"""Opening a ticket for a new report (reference allocated in this transaction), or reopening
a resolved one the customer writes about again."""

from __future__ import annotations

from bot.intake.context import IntakeContext
from bot.intake.events import add_event
from storage import repositories as repo
from storage.counters import next_value
from storage.models import Contact, Ticket


def open_ticket(ctx: IntakeContext) -> None:
    if ctx.ticket is not None:
        _reopen_if_closed(ctx, ctx.ticket)
        return
    msg = ctx.inbound
    fmt = ctx.deps.references
    year = ctx.now.year
    reference = fmt.format(year, next_value(ctx.session, fmt.counter_name(year)))
    ticket = Ticket(
        reference=reference,
        status="new",
        channel=msg.channel,
        subject=msg.subject,
        contact=_contact_for(ctx),
        linked_ticket_id=ctx.linked_ticket.id if ctx.linked_ticket else None,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    ctx.session.add(ticket)
    ctx.session.flush()
    ctx.ticket, ctx.new_ticket = ticket, True
    assert ctx.message is not None
    ctx.message.ticket_id = ticket.id
    for attachment in ctx.attachments:
        attachment.ticket_id = ticket.id
    detail: dict[str, object] = {"channel": msg.channel, "from": msg.sender_address}
    if ctx.linked_ticket is not None:
        detail["linked_to"] = ctx.linked_ticket.reference
    add_event(ctx.session, ticket, "created", msg.sender_address or "customer", ctx.now, **detail)


def _contact_for(ctx: IntakeContext) -> Contact | None:
    address = ctx.inbound.sender_address
    if "@" not in address:
        return None
    contact = repo.contact_by_email(ctx.session, address)
    if contact is None:
        name = ctx.inbound.sender_name[:255] if ctx.inbound.sender_name else None
        contact = Contact(email=address[:320], name=name, created_at=ctx.now)
        ctx.session.add(contact)
    return contact


def _reopen_if_closed(ctx: IntakeContext, ticket: Ticket) -> None:
    if ticket.status in ("resolved", "closed"):
        add_event(
            ctx.session,
            ticket,
            "reopened",
            ctx.inbound.sender_address,
            ctx.now,
            previous_status=ticket.status,
        )
        ticket.status = "open"
    ticket.updated_at = ctx.now
