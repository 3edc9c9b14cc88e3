"""What the bot says in the chat: short, plain text (escaped for HTML only when sent).

Kept in one module, like :mod:`bot.intake.wording`, so the desk can review the chat's voice in
one place.
"""

from __future__ import annotations

from bot.fields import field_label
from bot.forms.engine import Prompt
from bot.intake.context import IntakeContext, current_values
from bot.intake.steps.reply import first_name
from bot.intake.wording import (
    FAULT_NOUNS,
    PRIORITY_NAMES,
    display_phone,
    response_target,
    stated_note,
)
from storage.models import Ticket

_UNDERSTOOD = (
    "manufacturer",
    "model",
    "serial_number",
    "software_version",
    "company_name",
    "contact_name",
    "contact_phone",
    "contact_email",
    "location",
    "contract_number",
)

HELP = (
    "I log faults and questions for {desk}.\n\n"
    "Just tell me what is wrong in your own words — the product, its serial number and"
    " software version help — and send photos or log files if you have them. I'll open a"
    " ticket straight away and ask only for what is missing, one question at a time.\n\n"
    "/new — start a new report\n"
    "/status — your open tickets\n"
    "/status SR-… — one of your tickets\n"
    "/cancel — stop my questions\n"
    "/help — this message"
)
START = "Hello {name}! " + HELP
NEW = "OK — tell me about the new fault or question in one message."
CANCELLED = "OK, I've stopped asking. {ref} stays open; an engineer will work with what we have."
NOTHING_TO_CANCEL = "There is nothing in progress to cancel."
NO_TICKETS = "You have no open tickets. Just write to me to report a fault."
UNKNOWN_REFERENCE = "I can't find a ticket {ref} among yours. Send /status to list them."
PRIVATE_ONLY = "For your privacy I only handle reports in a private chat with me."
WHICH_TICKET = "Is this about {ref} ({subject}), or a new report?"
HELD_ABOUT = "Added to {ref}."
HELD_NEW = "Starting a new report."
ENGINEER = (
    "I've asked an engineer to contact you about {ref}. You can keep writing here; everything"
    " you send is added to the ticket."
)
STALE_BUTTON = "That question has already been answered."
CHOSEN = "{question}\n→ {answer}"
SKIPPED = "{question}\n→ skipped"
FILES_TOO_LARGE = (
    "{names} {verb} too large for me to fetch (the limit is {limit}), so I could not attach"
    " {it}. Please send a smaller file or compress it, or ask the engineer for another way to"
    " send it — your message itself is kept."
)
TELEGRAM_FILE_LIMIT = 20_000_000  # Bot API getFile: "files of up to 20MB"


def acknowledgement(ctx: IntakeContext, ticket: Ticket) -> str:
    """The first answer to a report: the reference, the priority, what was understood."""
    values = {k: fv.value for k, fv in current_values(ctx).items()}
    priority = ticket.priority or "P4"
    config = ctx.deps.config
    noun = FAULT_NOUNS.get(ticket.fault_type or "", "report")
    name = first_name(values.get("contact_name") or ctx.inbound.sender_name)
    lines = [
        f"Thanks {name}, I've opened {ticket.reference} for your {noun}.",
        f"Priority {priority} ({PRIORITY_NAMES.get(priority, '')}): we respond within"
        f" {response_target(priority, config.sla)}.",
    ]
    if priority == "P1" and config.intake.desk_phone:
        lines.append(f"As this is urgent, please also phone us on {config.intake.desk_phone}.")
    note = stated_note(ticket.stated_priority, priority)
    if note:
        lines.append(note)
    understood = [
        f"• {field_label(k)}: {_shown(k, values[k])}" for k in _UNDERSTOOD if values.get(k)
    ]
    if understood:
        lines.append("What I understood:\n" + "\n".join(understood))
    lines.extend(_extras(ctx))
    return "\n".join(lines)


def added_note(ctx: IntakeContext, ticket: Ticket, prompt_kind: str) -> str:
    """The first line of an answer to a follow-up: what it added to the ticket."""
    if ctx.new_fields:
        labels = [_object(k) for k in ctx.new_fields]
        joined = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
        text = f"Thanks — I've added {joined} to {ticket.reference}."
    elif prompt_kind in ("retry", "stuck"):
        text = ""
    else:
        text = f"Thanks — I've added that to {ticket.reference}."
    return "\n".join(p for p in (text, *_extras(ctx)) if p)


def _extras(ctx: IntakeContext) -> list[str]:
    found = []
    if ctx.attachments:
        n = len(ctx.attachments)
        found.append(f"{n} file{'s' if n != 1 else ''} attached to the ticket.")
    if ctx.inbound.decode_warnings:  # for Telegram: the files not fetched (too large)
        many = len(ctx.inbound.decode_warnings) > 1
        limit = min(ctx.deps.config.telegram.max_file_bytes, TELEGRAM_FILE_LIMIT)
        found.append(
            FILES_TOO_LARGE.format(
                names=", ".join(ctx.inbound.decode_warnings),
                verb="are" if many else "is",
                it="them" if many else "it",
                limit=file_size(limit),
            )
        )
    if ctx.escalated_to:
        found.append(f"I've passed it to {ctx.escalated_to}.")
    return found


def prompt_text(prompt: Prompt, reference: str) -> str:
    match prompt.kind:
        case "ask":
            assert prompt.question is not None
            return prompt.question.text
        case "retry":
            assert prompt.question is not None
            return f"{prompt.hint}\n\n{prompt.question.text}"
        case "stuck":
            return (
                "I still can't read that, sorry. You can skip this question, or ask an engineer"
                " to contact you."
            )
        case "done":
            return (
                f"That's everything we need for {reference}. An engineer will be in touch;"
                " send /status any time."
            )
        case _:
            return ""


def status_line(ticket: Ticket) -> str:
    status = ticket.status.replace("_", " ")
    subject = f" — {ticket.subject}" if ticket.subject else ""
    return f"{ticket.reference} · {ticket.priority or 'P?'} · {status}{subject}"


def file_size(size: int) -> str:
    """``20 MB``, ``1.5 MB``, ``300 KB``, ``100 bytes``: decimal units, as Telegram states them."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f}".removesuffix(".0") + " MB"
    if size >= 1_000:
        return f"{size // 1_000} KB"
    return f"{size} bytes"


def _object(key: str) -> str:
    """A field as the object of "I've added …": "the company", "what you have tried"."""
    label = field_label(key).lower()
    return label if label.startswith(("what ", "how ", "where ")) else f"the {label}"


def _shown(key: str, value: str) -> str:
    return display_phone(value) if key == "contact_phone" else " ".join(value.split())
