"""The triage card: one Block Kit message per ticket, rebuilt from the ticket's JSON on change.

A pure function of :func:`bot.ticket_view.ticket_json` (plus the assignee), so posting and
updating in place draw the same card, and tests can read it without Slack.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from bot.channels.slack.text import FIELD_LIMIT, HEADER_LIMIT, SECTION_LIMIT, Block, clip, escape
from bot.config import SlaConfig
from bot.fields import field_label
from bot.intake.wording import response_target, stated_level

PRIORITY_NAMES: Final = {"P1": "Urgent", "P2": "High", "P3": "Medium", "P4": "Low"}

# action_id of each control; the value of each is the ticket reference.
CLAIM: Final = "ticket_claim"
PRIORITY: Final = "ticket_priority"
ASK: Final = "ticket_ask"
REPLY: Final = "ticket_reply"
ESCALATE: Final = "ticket_escalate"
RESOLVE: Final = "ticket_resolve"


def card_blocks(
    data: dict[str, Any], assignee: str | None, sla: SlaConfig | None = None
) -> list[Block]:
    """The card of one ticket (``data`` is its :func:`ticket_json`; ``sla`` words the targets)."""
    reference = data["reference"]
    fields = data["fields"]
    header = f"{reference} · {data['subject'] or '(no subject)'}"
    facts = [
        ("Priority", _priority(data)),
        ("Response target", _target(data, sla)),
        ("Status", escape(data["status"]) + (f" · {mention(assignee)}" if assignee else "")),
        ("Company", _value(fields.get("company_name"))),
        ("Contact", _contact(fields)),
        ("Product", _value(_join(fields.get("manufacturer"), fields.get("model")))),
        ("Serial", _value(fields.get("serial_number"))),
        ("Version", _value(fields.get("software_version"))),
        ("Fault type", _value(data["fault_type"])),
        ("Channel", _value(data["channel"])),
    ]
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": clip(header, HEADER_LIMIT)}},
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": clip(f"*{name}*\n{value}", FIELD_LIMIT)}
                for name, value in facts
            ],
        },
        _section("*Fault*\n" + escape(fields.get("fault_summary") or data["subject"] or "-")),
    ]
    if fields.get("diagnosis_summary"):
        blocks.append(_section("*Already tried*\n" + escape(fields["diagnosis_summary"])))
    context = []
    if data["missing"]:
        context.append("*Still missing:* " + ", ".join(field_label(k) for k in data["missing"]))
    if data["attachments"]:
        names = ", ".join(escape(a["filename"]) for a in data["attachments"])
        context.append(f"*Attachments ({len(data['attachments'])}):* {names}")
    if data["conflicts"]:
        context.append(
            "*Conflicting values:* "
            + ", ".join(
                f"{field_label(c['key'])} {escape(str(c['value']))}" for c in data["conflicts"]
            )
        )
    if data["linked_ticket"]:
        context.append(f"*Linked to:* {escape(data['linked_ticket'])}")
    if context:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": clip(line, SECTION_LIMIT)} for line in context
                ],
            }
        )
    if data["status"] not in ("resolved", "closed"):
        blocks.append(_actions(reference, data["priority"]))
    return blocks


def card_text(data: dict[str, Any]) -> str:
    """Notification fallback of the card."""
    priority = data["priority"] or "-"
    return clip(f"New ticket {data['reference']} ({priority}): {data['subject'] or ''}", 300)


def _actions(reference: str, priority: str | None) -> Block:
    options = [
        {"text": {"type": "plain_text", "text": f"{p} {name}"}, "value": f"{reference} {p}"}
        for p, name in PRIORITY_NAMES.items()
    ]
    select: Block = {
        "type": "static_select",
        "action_id": PRIORITY,
        "placeholder": {"type": "plain_text", "text": "Priority"},
        "options": options,
    }
    if priority in PRIORITY_NAMES:
        select["initial_option"] = options[list(PRIORITY_NAMES).index(priority)]
    return {
        "type": "actions",
        "block_id": f"ticket:{reference}",
        "elements": [
            _button("Claim", CLAIM, reference, style="primary"),
            select,
            _button("Ask customer…", ASK, reference),
            _button("Reply to customer…", REPLY, reference),
            _button("Escalate", ESCALATE, reference, style="danger"),
            _button("Resolve…", RESOLVE, reference),
        ],
    }


def _button(label: str, action_id: str, reference: str, style: str | None = None) -> Block:
    button: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": action_id,
        "value": reference,
    }
    if style:
        button["style"] = style
    return button


def _section(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(mrkdwn, SECTION_LIMIT)}}


def stated_differs(stated: str | None, assessed: str | None) -> str | None:
    """The customer's own words for the priority, when they claim another level than the
    desk's assessment (or one we cannot place); None when they agree or said nothing."""
    if not stated or not stated.strip():
        return None
    level = stated_level(stated)
    return None if level is not None and level == assessed else stated.strip()


def _priority(data: dict[str, Any]) -> str:
    priority = data["priority"]
    text = f"{priority} {PRIORITY_NAMES.get(priority, '')}".strip() if priority else "-"
    stated = stated_differs(
        data["stated_priority"] or data["fields"].get("stated_severity"), priority
    )
    if stated:
        level = stated_level(stated)
        claimed = f" ({level} {PRIORITY_NAMES[level]})" if level else ""
        text += f" (assessed)\nCustomer stated: {escape(clip(stated, 64))}{claimed}"
    return text


def _target(data: dict[str, Any], sla: SlaConfig | None) -> str:
    """When the desk must respond: the assessed priority's target, and the stated one's when
    the customer claimed another level."""
    priority = data["priority"]
    due = when(data["response_due_at"])
    if sla is None or not priority:
        return due
    text = f"{response_target(priority, sla)} · by {due}" if data["response_due_at"] else due
    stated = stated_differs(
        data["stated_priority"] or data["fields"].get("stated_severity"), priority
    )
    level = stated_level(stated)
    if level is not None and level != priority:
        text += f"\n(stated {level}: {response_target(level, sla)})"
    return text


def when(iso: str | None) -> str:
    """A time every reader sees in their own zone (Slack's date formatting), UTC as fallback."""
    if not iso:
        return "-"
    at = datetime.fromisoformat(iso)
    fallback = at.strftime("%d %b %Y %H:%M UTC")
    return f"<!date^{int(at.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def _contact(fields: dict[str, Any]) -> str:
    parts = [fields.get("contact_name"), fields.get("contact_email"), fields.get("contact_phone")]
    return _value(" · ".join(p for p in parts if p) or None)


def _join(*parts: str | None) -> str | None:
    return " ".join(p for p in parts if p) or None


def _value(value: str | None) -> str:
    return escape(value) if value else "_unknown_"


def mention(user: str) -> str:
    """A Slack user id as a mention; any other name (from the CLI) as escaped text."""
    if user.startswith(("U", "W")) and user.isalnum() and user.isupper():
        return f"<@{user}>"
    return escape(user)
