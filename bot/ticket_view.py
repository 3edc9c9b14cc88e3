"""A ticket as JSON (the contract other tools read) and as text for people."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.fields import FIELD_KEYS, field_label, missing_fields
from storage import repositories as repo
from storage.models import FieldValue, Ticket


def ticket_json(session: Session, ticket: Ticket) -> dict[str, Any]:
    values = repo.field_values(session, ticket.id)
    current = {fv.key: fv for fv in values if fv.status == "current"}
    plain = {k: fv.value for k, fv in current.items()}
    linked = session.get(Ticket, ticket.linked_ticket_id) if ticket.linked_ticket_id else None
    return {
        "reference": ticket.reference,
        "status": ticket.status,
        "priority": ticket.priority,
        "stated_priority": ticket.stated_priority,
        "fault_type": ticket.fault_type,
        "channel": ticket.channel,
        "subject": ticket.subject,
        "created_at": _iso(ticket.created_at),
        "response_due_at": _iso(ticket.response_due_at),
        "resolution_due_at": _iso(ticket.resolution_due_at),
        "updated_at": _iso(ticket.updated_at),
        "linked_ticket": linked.reference if linked else None,
        "fields": {key: plain.get(key) for key in FIELD_KEYS},
        "provenance": {k: _provenance(fv) for k, fv in current.items()},
        "conflicts": [
            _provenance(fv) | {"key": fv.key} for fv in values if fv.status == "conflict"
        ],
        "missing": missing_fields(plain, ticket.fault_type),
        "messages": [_message(m) for m in repo.messages_of(session, ticket.id)],
        "attachments": [
            {
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "stored_name": a.stored_name,
            }
            for a in repo.attachments_of(session, ticket.id)
        ],
        "notes": [
            {"author": n.author, "at": _iso(n.at), "text": n.text}
            for n in repo.notes_of(session, ticket.id)
        ],
        "events": [
            {"at": _iso(e.at), "kind": e.kind, "actor": e.actor, "detail": e.detail}
            for e in repo.events_of(session, ticket.id)
        ],
    }


def ticket_text(data: dict[str, Any]) -> str:
    lines = [
        f"{data['reference']}  {data['status']}  {data['priority'] or '-'}"
        f"  {data['fault_type'] or '-'}  {data['subject']}",
    ]
    if data["stated_priority"]:
        lines.append(f"  stated priority: {data['stated_priority']}")
    if data["linked_ticket"]:
        lines.append(f"  linked to: {data['linked_ticket']}")
    lines.append("fields:")
    for key, value in data["fields"].items():
        if value:
            source = data["provenance"][key]["source"]
            lines.append(f"  {field_label(key)}: {value}  ({source})")
    if data["missing"]:
        lines.append("missing: " + ", ".join(data["missing"]))
    for c in data["conflicts"]:
        lines.append(f"conflict: {c['key']} also stated as {c['value']!r} ({c['source']})")
    lines.append("messages:")
    for m in data["messages"]:
        arrow = "<-" if m["direction"] == "in" else "->"
        who = m.get("from") if m["direction"] == "in" else m.get("to")
        lines.append(f"  {m['at']} {arrow} {who}: {m.get('subject') or ''}")
    for a in data["attachments"]:
        lines.append(f"attachment: {a['filename']} ({a['content_type']}, {a['size']} bytes)")
    for n in data["notes"]:
        lines.append(f"note by {n['author']} at {n['at']}: {n['text']}")
    return "\n".join(lines)


def _provenance(fv: FieldValue) -> dict[str, Any]:
    return {
        "value": fv.value,
        "source": fv.source,
        "confidence": fv.confidence,
        "message_id": fv.message_id,
        "evidence": (
            {
                "source": fv.evidence_source,
                "start": fv.span_start,
                "end": fv.span_end,
                "text": fv.evidence_text,
            }
            if fv.evidence_text is not None
            else None
        ),
    }


def _message(m: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "direction": m.direction,
        "channel": m.channel,
        "at": _iso(m.at),
        "text": m.text_full,
        "reply_text": m.text_reply,
        "screened_reason": m.screened_reason,
    }
    if m.channel == "email":
        data |= {
            "message_id": m.external_id,
            "in_reply_to": m.in_reply_to,
            "subject": m.subject,
            "from": m.sender,
            "to": m.recipients,
        }
    return data


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
