"""``/ticket``: parsing the command's text (pure) and running it against :class:`TicketActions`.

Grammar (DESIGN.md): ``/ticket REF [action] [text]``, ``/ticket list``, ``/ticket help``; a
reference alone shows the ticket's summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from bot.channels.slack.card import PRIORITY_NAMES, mention, stated_differs, when
from bot.channels.slack.text import clip, escape, to_plain
from bot.fields import field_label
from bot.ticket_view import ticket_json
from bot.tickets.actions import TicketActionError, TicketActions
from storage import repositories as repo

HELP: Final = "\n".join(
    [
        "*/ticket* — work support tickets from Slack",
        "`/ticket list` — open tickets, most urgent first",
        "`/ticket REF` — the ticket's summary",
        "`/ticket REF assign @user` (or `assign me`, `claim`)",
        "`/ticket REF priority P2`",
        "`/ticket REF escalate <reason>`",
        "`/ticket REF note <text>` — internal, never sent to the customer",
        "`/ticket REF ask <question>` — to the customer; the ticket waits for their answer",
        "`/ticket REF reply <text>` — to the customer, on their email or Telegram thread",
        "`/ticket REF resolve <synopsis>` — issue, steps taken, resolution; sent to the customer",
    ]
)
ACTIONS: Final = (
    "assign",
    "claim",
    "priority",
    "escalate",
    "note",
    "ask",
    "reply",
    "resolve",
)
# Slack writes a mentioned user as <@U123|name> (or <@U123>) in command text.
_MENTION: Final = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")


@dataclass(frozen=True, slots=True)
class Command:
    action: str  # "help", "list", "show", or one of ACTIONS
    reference: str = ""
    text: str = ""


def parse(text: str) -> Command:
    """The command in ``text`` (as Slack sends it: ``&``, ``<``, ``>`` escaped)."""
    words = text.strip().split(None, 2)
    if not words or words[0].lower() == "help":
        return Command("help")
    if words[0].lower() == "list" and len(words) == 1:
        return Command("list")
    reference = words[0]
    if len(words) == 1:
        return Command("show", reference)
    action = words[1].lower()
    if action not in ACTIONS:
        raise TicketActionError(
            f"unknown action {escape(words[1])!r}: use one of {', '.join(ACTIONS)} (`/ticket help`)"
        )
    rest = words[2] if len(words) > 2 else ""
    return Command(action, reference, rest if action == "assign" else unescape(rest))


def unescape(text: str) -> str:
    """Slack's escapes and markup undone (:func:`to_plain`): the customer reads what was typed."""
    return to_plain(text)


def assignee(text: str, user: str) -> str:
    """``<@U123|ann>`` → ``U123``; ``me`` or nothing → the engineer themself."""
    wanted = text.strip()
    if wanted.lower() in ("", "me"):
        return user
    found = _MENTION.match(wanted)
    if found:
        return found.group(1)
    raise TicketActionError(
        f"assign to whom? mention a user, e.g. `assign @ann` (got {escape(wanted)!r})"
    )


class CommandRunner:
    """Runs a parsed command as one engineer; every answer is one line of mrkdwn (or a list)."""

    def __init__(self, actions: TicketActions) -> None:
        self.actions = actions

    def run(self, command: Command, user: str, engineer: str) -> str:
        actor = f"slack:{user}"
        a = self.actions
        ref = command.reference
        match command.action:
            case "help":
                return HELP
            case "list":
                return self._list()
            case "show":
                return self._show(ref)
            case "assign" | "claim":
                who = assignee(command.text, user) if command.action == "assign" else user
                return a.assign(ref, who, actor=actor).summary
            case "priority":
                return a.set_priority(ref, command.text, actor=actor).summary
            case "escalate":
                reason = command.text or f"escalated from Slack by {engineer}"
                return a.escalate(ref, reason, actor=actor).summary
            case "note":
                return a.add_note(ref, command.text, actor=actor).summary
            case "ask":
                return a.ask(ref, command.text, actor=actor, engineer=engineer).summary
            case "reply":
                return a.reply(ref, command.text, actor=actor, engineer=engineer).summary
            case "resolve":
                return a.resolve(ref, command.text, actor=actor, engineer=engineer).summary
        raise TicketActionError(f"unknown action {command.action!r}")

    def _list(self) -> str:
        tickets = self.actions.open_tickets()
        if not tickets:
            return "No open tickets."
        now = self.actions.clock()
        lines = [f"*Open tickets* ({len(tickets)}, most urgent first, then oldest first)"]
        for t in tickets:
            who = f" · {mention(t.assignee)}" if t.assignee else " · unassigned"
            lines.append(
                f"• *{t.reference}* {t.priority or '-'} · {age(now - t.created_at)} old"
                f" · {escape(t.status)}{who} · {escape(clip(t.subject or '', 80))}"
            )
        return "\n".join(lines)

    def _show(self, reference: str) -> str:
        wanted = self.actions.normalise(reference)
        with self.actions.sessions() as session:
            ticket = repo.ticket_by_reference(session, wanted)
            if ticket is None:
                raise TicketActionError(f"no ticket {wanted}")
            data = ticket_json(session, ticket)
            owner = ticket.assignee
        fields = data["fields"]
        contact = fields.get("contact_name") or fields.get("contact_email")
        priority = data["priority"] or "-"
        lines = [
            f"*{data['reference']}* · {priority} {PRIORITY_NAMES.get(priority, '')}"
            f" · {escape(data['status'])}" + (f" · {mention(owner)}" if owner else " · unassigned"),
            f"*Subject:* {escape(data['subject'] or '-')}",
            f"*Company:* {escape(fields.get('company_name') or '-')}"
            f" · *Contact:* {escape(contact or '-')}",
            f"*Fault:* {escape(fields.get('fault_summary') or '-')}",
        ]
        stated = stated_differs(data["stated_priority"], data["priority"])
        if stated:
            lines.append(f"*Customer stated:* {escape(stated)} (assessed {priority})")
        if data["missing"]:
            lines.append("*Still missing:* " + ", ".join(field_label(k) for k in data["missing"]))
        if data["attachments"]:
            names = ", ".join(escape(a["filename"]) for a in data["attachments"])
            lines.append(f"*Attachments:* {names}")
        if data["response_due_at"]:
            lines.append(f"*Response due:* {when(data['response_due_at'])}")
        return "\n".join(lines)


def age(elapsed: timedelta) -> str:
    """``timedelta(hours=26)`` → ``1d 2h``: how long a ticket has been open, at a glance."""
    minutes = max(0, int(elapsed.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m"
