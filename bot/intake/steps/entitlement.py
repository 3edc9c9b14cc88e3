"""Checking the report against our contracts: a known serial or domain fills in the contract and
company; a stated contract that does not add up is recorded for engineers and the customer is
asked, politely, to confirm it."""

from __future__ import annotations

from bot.contracts.entitlement import assess
from bot.intake.context import IntakeContext, current_values
from bot.intake.events import add_event
from storage.models import FieldValue


def check_entitlement(ctx: IntakeContext) -> None:
    ticket = ctx.ticket
    assert ticket is not None
    current = current_values(ctx)
    value = {k: fv.value for k, fv in current.items()}
    sender = ctx.inbound.sender_address
    found = assess(
        ctx.session,
        stated=value.get("contract_number"),
        serial=value.get("serial_number"),
        domain=sender.rpartition("@")[2] if "@" in sender else None,
        today=ctx.now.date(),
    )
    ctx.entitlement = found
    contract = found.contract
    if contract is not None:
        for key, filled in (
            ("contract_number", contract.number),
            ("company_name", contract.company),
        ):
            if key not in current:
                row = FieldValue(
                    ticket_id=ticket.id,
                    key=key,
                    value=filled,
                    source="contract",
                    status="current",
                    message_id=ctx.message.id if ctx.message else None,
                    evidence_source=None,
                    evidence_text=f"{found.found_by}: {contract.number}",
                    confidence=1.0 if found.found_by == "serial" else 0.7,
                    created_at=ctx.now,
                )
                ctx.session.add(row)
                current[key] = row  # later steps read the same current values
                ctx.new_fields.append(key)
    if contract is not None or found.problems:
        add_event(
            ctx.session,
            ticket,
            "entitlement",
            "system",
            ctx.now,
            contract=contract.number if contract else None,
            found_by=found.found_by,
            cover=contract.cover if contract else None,
            problems=list(found.problems),
        )
