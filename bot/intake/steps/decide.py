"""Deciding what is still missing, the ticket's status, and whether to answer at all.

A new report is always acknowledged (the acknowledgement is the desk's response). A follow-up is
answered only when it changed something: "thank you, we now have everything" when it completed
the ticket, "we still need …" when something is still missing; a follow-up that adds nothing gets
no reply. A per-sender limit on automatic replies guards against loops with mail robots that slip
through screening.
"""

from __future__ import annotations

from datetime import timedelta

from bot.fields import missing_fields, optional_asked_fields
from bot.intake.context import IntakeContext, current_values
from bot.intake.events import add_event
from storage import repositories as repo


def decide(ctx: IntakeContext) -> None:
    ticket = ctx.ticket
    assert ticket is not None
    values = {k: fv.value for k, fv in current_values(ctx).items()}
    ctx.missing = missing_fields(values, ticket.fault_type)
    if ticket.status in ("new", "waiting_customer", "open"):
        status = "waiting_customer" if ctx.missing else "open"
        if status != ticket.status:
            # The audit trail of statuses is also the SLA clock: waiting for the customer pauses it.
            add_event(
                ctx.session,
                ticket,
                "status_changed",
                "system",
                ctx.now,
                **{"from": ticket.status, "to": status},
            )
            ticket.status = status
    if ctx.new_ticket:
        ctx.reply_kind = "acknowledge"
        ctx.asked_optional = [
            k for k in optional_asked_fields(ticket.fault_type) if k not in values
        ]
    elif ctx.escalated_to:
        ctx.reply_kind = "escalated"  # always answered, even when nothing else is new
    elif not ctx.new_fields:
        ctx.reply_kind = None
    elif ctx.missing_before and not ctx.missing:
        ctx.reply_kind = "complete"
    elif ctx.missing:
        ctx.reply_kind = "progress"
    if ctx.reply_kind:
        reason = _reason_not_to_answer(ctx)
        if reason is not None:
            add_event(
                ctx.session,
                ticket,
                "auto_reply_suppressed",
                "system",
                ctx.now,
                to=ctx.inbound.answer_address,
                reason=reason,
            )
            ctx.reply_kind = None


def _reason_not_to_answer(ctx: IntakeContext) -> str | None:
    """Why no automatic reply may go to this sender now, or None."""
    address = ctx.inbound.answer_address
    if ctx.inbound.channel != "email":
        return None  # a person in a chat: no mail robots to loop with, no bounces
    if "@" not in address:
        return "the message has no sender address to answer"
    blocked = repo.suppressed_until(ctx.session, address, ctx.now)
    if blocked is not None:
        return f"address bounced: no automatic mail until {blocked.isoformat()}"
    if _over_reply_limit(ctx):
        return "per-sender limit reached"
    return None


def _over_reply_limit(ctx: IntakeContext) -> bool:
    cfg = ctx.deps.config.intake
    since = ctx.now - timedelta(minutes=cfg.auto_reply_window_minutes)
    sent = repo.automatic_replies_since(ctx.session, ctx.inbound.answer_address, since)
    return sent >= cfg.auto_reply_limit
