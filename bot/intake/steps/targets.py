"""Setting the ticket's service-level due times from its priority (business time)."""

from __future__ import annotations

import dataclasses

from bot.intake.context import IntakeContext
from bot.intake.events import add_event
from bot.sla.targets import due_times


def set_targets(ctx: IntakeContext) -> None:
    ticket = ctx.ticket
    if ticket is None or ticket.priority is None:
        return
    # Counted from when the ticket was opened; recomputed whenever the priority changes.
    sla = ctx.deps.config.sla
    contract = ctx.entitlement.contract if ctx.entitlement else None
    if contract is not None and contract.around_the_clock and not sla.around_the_clock:
        sla = dataclasses.replace(sla, around_the_clock=True)  # 24x7 cover: every hour counts
    due = due_times(ticket.priority, ticket.created_at, sla)
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
