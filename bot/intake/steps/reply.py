"""Composing the reply a good desk engineer would write, and queueing it in the outbox.

The reply is written in the same transaction as the ticket change (transactional outbox), with
its Message-ID minted now: the customer's answer can be threaded even before delivery happens.
"""

from __future__ import annotations

import re

from bot.fields import field_label
from bot.intake.channels import reply_composer
from bot.intake.context import IntakeContext, current_values
from bot.intake.rendering import render
from bot.intake.wording import (
    FAULT_NOUNS,
    PRIORITY_NAMES,
    QUESTIONS,
    REPLACEMENT_QUESTION,
    display_phone,
    response_target,
    stated_note,
)
from bot.messages import OutboundMessage
from bot.outbox.queue import queue_outbound
from bot.sla.targets import local_text
from storage.models import Ticket

# Fields shown back to the customer as "what we understood", in reading order.
_SUMMARY_KEYS = (
    "company_name",
    "contact_name",
    "contact_phone",
    "contact_email",
    "contract_number",
    "manufacturer",
    "model",
    "serial_number",
    "software_version",
    "location",
    "fault_summary",
)
_REPLY_PREFIX = re.compile(r"^\s*((re|aw|sv|antw|vs|ref|r)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_MAX_REFERENCES = 10


def compose_reply(ctx: IntakeContext) -> None:
    ticket = ctx.ticket
    own = reply_composer(ctx.inbound.channel)
    if own is not None and ticket is not None:
        # A chat channel writes its own (shorter, one question at a time), also when nothing
        # was added: an answer the extractor could not read is asked again, with a hint.
        own(ctx)
        return
    if ctx.reply_kind is None or ticket is None:
        return
    text = render(f"{ctx.reply_kind}.txt.j2", **_template_vars(ctx, ticket))
    inbound = ctx.inbound
    # RFC 5322 §3.6.4: the parent's References (or, lacking them, its In-Reply-To) + its id.
    parent_thread = inbound.references or ((inbound.in_reply_to,) if inbound.in_reply_to else ())
    parent_id = ctx.reused_message_id or inbound.external_id  # the id the sender's client knows
    references = trim_references((*parent_thread, parent_id))
    reply = OutboundMessage(
        channel=inbound.channel,
        to_address=inbound.answer_address,
        subject=reply_subject(inbound.subject or ticket.subject, ticket.reference),
        text=text,
        ticket_reference=ticket.reference,
        message_id=ctx.deps.signer.mint(ticket.reference),
        in_reply_to=parent_id,
        references=references,
        thread_key=inbound.thread_key,
        to_name=inbound.sender_name,
    )
    ctx.replies.append(reply)
    queue_outbound(
        ctx.session,
        ticket,
        reply,
        key=f"reply:{ctx.message.id if ctx.message else 0}",
        from_address=ctx.deps.config.email.outbound.from_address,
        now=ctx.now,
        kind=ctx.reply_kind,
    )


def reply_subject(original: str, reference: str) -> str:
    """``Re: <original> [REF]`` without stacking prefixes or repeating the reference."""
    base = _REPLY_PREFIX.sub("", original).strip() or "Your support request"
    if reference not in base:
        base = f"{base} [{reference}]"
    return f"Re: {base}"


def trim_references(ids: tuple[str, ...]) -> tuple[str, ...]:
    """Keep the thread's root and the most recent ids; drop the middle (RFC 5322 §3.6.4)."""
    ids = tuple(dict.fromkeys(i for i in ids if i))
    if len(ids) <= _MAX_REFERENCES:
        return ids
    return (ids[0], *ids[-(_MAX_REFERENCES - 1) :])


def _template_vars(ctx: IntakeContext, ticket: Ticket) -> dict[str, object]:
    config = ctx.deps.config
    values = {k: fv.value for k, fv in current_values(ctx).items()}
    priority = ticket.priority or "P4"
    stated = ticket.stated_priority
    return {
        "greeting_name": first_name(values.get("contact_name") or ctx.inbound.sender_name),
        "desk_name": config.intake.desk_name,
        "desk_phone": config.intake.desk_phone,
        "reference": ticket.reference,
        "report_noun": FAULT_NOUNS.get(ticket.fault_type or "", "report"),
        "understood": [
            (field_label(k), _shown(k, values[k])) for k in _SUMMARY_KEYS if values.get(k)
        ],
        "priority": priority,
        "priority_name": PRIORITY_NAMES.get(priority, ""),
        "response_target": response_target(priority, config.sla),
        "response_due": local_text(ticket.response_due_at, config.sla)
        if ticket.response_due_at
        else None,
        "stated_note": stated_note(stated, priority),
        "questions": [
            _question(k, ctx) for k in (*ctx.missing, *ctx.asked_optional) if k in QUESTIONS
        ],
        "cover": ctx.entitlement.summary if ctx.entitlement else "",
        "contract_problems": list(ctx.entitlement.problems) if ctx.entitlement else [],
        "added": _join_labels(ctx.new_fields),
        "escalated_to": ctx.escalated_to,
    }


def _question(key: str, ctx: IntakeContext) -> str:
    contract = ctx.entitlement.contract if ctx.entitlement else None
    if key == "location" and contract is not None and contract.hardware_replacement:
        return REPLACEMENT_QUESTION  # the contract ships a replacement: we need where to
    return QUESTIONS[key]


def _shown(key: str, value: str) -> str:
    return display_phone(value) if key == "contact_phone" else " ".join(value.split())


def first_name(name: str | None) -> str:
    if not name:
        return "there"
    if "," in name:  # "Smith, John" as Outlook shows it
        name = name.split(",", 1)[1]
    parts = name.strip().strip('"').split()
    return parts[0] if parts else "there"


def _join_labels(keys: list[str]) -> str:
    labels = [field_label(k).lower() for k in keys]
    if not labels:
        return "your details"
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
