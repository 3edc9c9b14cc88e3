"""Escalation the customer asks for, and P1 reports that engineers must hear about at once.

"Please escalate", "immediate escalation required", or a bare "escalate" in the customer's new
text flags the ticket, moves it up a line, and gets an answer that says so — even when the
message adds no other detail. A P1 report notifies the on-call engineers immediately, whatever
is still missing. (Until the Slack channel lands, both are events engineers see on the ticket.)
"""

from __future__ import annotations

import re

from bot.intake.context import IntakeContext
from bot.intake.events import add_event
from bot.sla.watcher import LINES
from storage import repositories as repo

_ASKS = re.compile(
    r"\b(please\s+escalate|escalate\s+(this|it|the\s+(ticket|case|call|issue))|"
    r"(immediate|urgent|need\s+an?|request(ing)?\s+an?)\s+escalation|^\s*escalate\b)",
    re.IGNORECASE | re.MULTILINE,
)
_NEGATED = re.compile(r"\b(no\s+need\s+to|don'?t|do\s+not|not)\s+(yet\s+)?escalat", re.I)


def asks_for_escalation(text: str) -> bool:
    return bool(_ASKS.search(text)) and not _NEGATED.search(text)


def handle_escalation(ctx: IntakeContext) -> None:
    ticket = ctx.ticket
    assert ticket is not None
    if ctx.new_ticket and ticket.priority == "P1":
        add_event(
            ctx.session,
            ticket,
            "oncall_notified",
            "system",
            ctx.now,
            reason="new P1 report",
            missing=list(ctx.missing),
        )
    if asks_for_escalation(ctx.inbound.reply_text):
        done = [e for e in repo.events_of(ctx.session, ticket.id) if e.kind == "escalated"]
        line = LINES[min(len(done) + 1, len(LINES) - 1)]
        add_event(ctx.session, ticket, "escalation_requested", ctx.inbound.sender_address, ctx.now)
        add_event(
            ctx.session,
            ticket,
            "escalated",
            ctx.inbound.sender_address,
            ctx.now,
            to=line,
            reason="the customer asked",
        )
        ctx.escalated_to = line
