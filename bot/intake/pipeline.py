"""The intake pipeline: named steps, run in order over one context, in one transaction.

Order matters where commented. A step ends intake early by raising :class:`StopIntake`; only
:func:`run_pipeline` catches it.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.intake.context import IntakeContext, StopIntake
from bot.intake.steps.decide import decide
from bot.intake.steps.dedupe import dedupe
from bot.intake.steps.entitlement import check_entitlement
from bot.intake.steps.escalation import handle_escalation
from bot.intake.steps.extract import extract_fields
from bot.intake.steps.merge import merge_fields
from bot.intake.steps.record import record_message
from bot.intake.steps.reply import compose_reply
from bot.intake.steps.screen import screen
from bot.intake.steps.targets import set_targets
from bot.intake.steps.thread import match_thread
from bot.intake.steps.ticket import open_ticket

Step = Callable[[IntakeContext], None]

STEPS: tuple[tuple[str, Step], ...] = (
    ("dedupe", dedupe),  # first: a duplicate must have no effect at all, automatic or not
    ("screen", screen),  # classify automatic mail; decided now, acted on in record
    ("match_thread", match_thread),  # before record: screened mail attaches to its ticket
    ("record_message", record_message),  # store message + attachments; screened mail stops
    ("extract_fields", extract_fields),
    ("open_ticket", open_ticket),  # after extract: nothing to allocate for stopped mail
    ("merge_fields", merge_fields),
    ("check_entitlement", check_entitlement),  # after merge: reads the stated contract/serial
    ("set_targets", set_targets),  # needs the merged priority, and the contract's cover
    ("handle_escalation", handle_escalation),  # needs the priority; before decide (replies)
    ("decide", decide),  # needs merged fields: what is missing, whether to answer
    ("compose_reply", compose_reply),  # writes the reply into the outbox, same transaction
)


def run_pipeline(ctx: IntakeContext, steps: tuple[tuple[str, Step], ...] = STEPS) -> str:
    """Run every step; returns the raw message's final status and sets ``ctx.outcome``."""
    try:
        for _name, step in steps:
            step(ctx)
    except StopIntake as stop:
        ctx.outcome = stop.outcome
        return stop.status
    assert ctx.ticket is not None
    verb = "opened" if ctx.new_ticket else "updated"
    reply = f", reply queued ({ctx.reply_kind})" if ctx.replies else ", no reply"
    missing = f", missing: {', '.join(ctx.missing)}" if ctx.missing else ", complete"
    ctx.outcome = f"{verb} {ctx.ticket.reference} {ctx.ticket.priority or ''}{missing}{reply}"
    return "processed"
