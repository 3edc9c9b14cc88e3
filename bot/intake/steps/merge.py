"""Merging what this message says into the ticket's fields, keeping who said what.

Rules (DESIGN.md "values the customer states are never silently overwritten"):
- a field with no value takes the new one;
- the same value again changes nothing;
- a value the customer wrote explicitly ("Serial: X") replaces one we only guessed (extraction or
  the sender's address), and the guess is kept as superseded;
- any other disagreement is recorded as a conflict for engineers, and the current value stays;
- the assessed fields (severity, fault type, summaries) come from the first report; later
  messages do not re-assess them (escalation is its own rule).
"""

from __future__ import annotations

from bot.classifier.types import Finding
from bot.fields import missing_fields
from bot.intake.context import IntakeContext, current_values
from bot.intake.events import add_event
from storage.models import FieldValue, Ticket

_ASSESSED: frozenset[str] = frozenset(
    {"severity", "fault_type", "fault_summary", "diagnosis_summary", "stated_severity"}
)
_GUESSED_SOURCES = frozenset({"extraction", "sender"})


def merge_fields(ctx: IntakeContext) -> None:
    ticket, extraction = ctx.ticket, ctx.extraction
    assert ticket is not None
    assert extraction is not None
    current = current_values(ctx)  # updated in place below: later steps read the same dict
    ctx.missing_before = missing_fields(_values(current), ticket.fault_type)
    for finding in _with_sender_fallbacks(ctx, list(extraction.findings.values()), current):
        _merge_one(ctx, ticket, current, finding)
    _apply_to_ticket(ctx, ticket, current)


def _merge_one(
    ctx: IntakeContext, ticket: Ticket, current: dict[str, FieldValue], finding: Finding
) -> None:
    existing = current.get(finding.key)
    if existing is not None:
        if _same(existing.value, finding.value) or finding.key in _ASSESSED:
            return
        if finding.explicit and existing.source in _GUESSED_SOURCES:
            existing.status = "superseded"
            current[finding.key] = _add(ctx, ticket, finding, "current")
            add_event(
                ctx.session,
                ticket,
                "field_corrected",
                ctx.inbound.sender_address,
                ctx.now,
                field=finding.key,
                old=existing.value,
                new=finding.value,
            )
            ctx.new_fields.append(finding.key)
            return
        _add(ctx, ticket, finding, "conflict")
        ctx.conflicts.append(finding.key)
        add_event(
            ctx.session,
            ticket,
            "field_conflict",
            ctx.inbound.sender_address,
            ctx.now,
            field=finding.key,
            current=existing.value,
            stated=finding.value,
        )
        return
    current[finding.key] = _add(ctx, ticket, finding, "current")
    ctx.new_fields.append(finding.key)


def _with_sender_fallbacks(
    ctx: IntakeContext, findings: list[Finding], current: dict[str, FieldValue]
) -> list[Finding]:
    """The sender's own address is a contact route even when the text gives none."""
    keys = {f.key for f in findings}
    address = ctx.inbound.sender_address
    if (
        ctx.inbound.channel == "email"
        and "@" in address
        and "contact_email" not in keys
        and "contact_email" not in current
    ):
        findings.append(Finding("contact_email", address, 0.9, None))
    return findings


def _add(ctx: IntakeContext, ticket: Ticket, finding: Finding, status: str) -> FieldValue:
    evidence = finding.evidence
    source = "customer" if finding.explicit else "extraction"
    if (evidence is not None and evidence.source == "sender") or (
        evidence is None and finding.key == "contact_email"
    ):
        source = "sender"
    row = FieldValue(
        ticket_id=ticket.id,
        key=finding.key,
        value=finding.value,
        source=source,
        status=status,
        message_id=ctx.message.id if ctx.message else None,
        evidence_source=evidence.source if evidence else None,
        span_start=evidence.start if evidence else None,
        span_end=evidence.end if evidence else None,
        evidence_text=evidence.text[:2000] if evidence else None,
        confidence=finding.confidence,
        created_at=ctx.now,
    )
    ctx.session.add(row)
    return row


def _apply_to_ticket(ctx: IntakeContext, ticket: Ticket, current: dict[str, FieldValue]) -> None:
    values = _values(current)
    ticket.priority = values.get("severity") or ticket.priority
    ticket.fault_type = values.get("fault_type") or ticket.fault_type
    ticket.stated_priority = (values.get("stated_severity") or ticket.stated_priority or "")[
        :64
    ] or None
    contact = ticket.contact
    if contact is not None:  # column sizes: a customer's text never fails the transaction
        contact.name = contact.name or _cut(values.get("contact_name"), 255)
        contact.phone = contact.phone or _cut(values.get("contact_phone"), 64)
        contact.company = contact.company or _cut(values.get("company_name"), 255)
    ticket.updated_at = ctx.now


def _cut(value: str | None, size: int) -> str | None:
    return value[:size] if value else None


def _values(current: dict[str, FieldValue]) -> dict[str, str]:
    return {key: fv.value for key, fv in current.items()}


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
