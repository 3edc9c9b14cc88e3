"""Setting the ticket's service-level due times from its priority (business time)."""

from __future__ import annotations

from bot.intake.context import IntakeContext
from bot.intake.events import add_event
from bot.sla.targets import due_times


def set_targets(ctx: IntakeContext) -> None:
    ticket = ctx.ticket
    if ticket is None or ticket.priority is None:
        return
    # Counted from when the ticket was opened; recomputed whenever the priority changes.
    due = due_times(ticket.priority, ticket.created_at, ctx.deps.config.sla)
    if (ticket.response_due_at, ticket.resolution_due_at) == (due.response, due.resolution):
        return
    ticket.response_due_at, ticket.resolution_due_at = due.response, due.resolution
    add_event(
        ctx.session,
        ticket,
        "targets_set",
        "system",
        ctx.now,
        priority=ticket.priority,
        response_due_at=due.response.isoformat(),
        resolution_due_at=due.resolution.isoformat(),
    )
