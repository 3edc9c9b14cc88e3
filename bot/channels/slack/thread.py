"""What the ticket's thread says for each audit event and each customer follow-up.

Pure text (mrkdwn, user text escaped) from rows already read by the feed; ``None`` means the
event is not worth a line in the thread (it is shown on the card, or is bookkeeping).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from bot.channels.slack.text import escape
from bot.fields import field_label

# Shown on the card (updated in place) or bookkeeping: no thread line.
SILENT: Final = frozenset(
    {"created", "targets_set", "escalation_requested", "first_human_response"}
)
_CHANNEL_NAMES: Final = {"email": "email", "telegram": "Telegram", "slack": "Slack"}
_KIND_NAMES: Final = {"acknowledge": "acknowledgement", "remind": "reminder"}
_SNIPPET: Final = 12_000  # a whole reply or follow-up, within reason; split into sections


def actor_text(actor: str) -> str:
    """``slack:U123`` → a mention; anything else (an address, ``system``, a CLI name) escaped."""
    if actor.startswith("slack:"):
        return f"<@{actor.removeprefix('slack:')}>"
    return escape(actor)


def event_text(
    kind: str,
    actor: str,
    detail: Mapping[str, Any],
    sent_text: str | None,
    reply_kind: str | None = None,
) -> str | None:
    """The thread line for one event; ``sent_text`` is the text of a queued reply, and
    ``reply_kind`` what a delivered or failed message was (``engineer_reply``, ...), if known."""
    d = detail
    by = actor_text(actor)
    if kind in SILENT:
        return None
    match kind:
        case "assigned":
            who = str(d.get("assignee") or "")
            who_text = actor_text(f"slack:{who}") if _is_user_id(who) else escape(who)
            if f"slack:{who}" == actor:
                return f":raising_hand: Claimed by {who_text}"
            return f":bust_in_silhouette: Assigned to {who_text} by {by}"
        case "priority_changed":
            old, new = d.get("previous") or "-", d.get("priority")
            return f":arrows_counterclockwise: Priority {old} → *{new}* by {by}"
        case "escalated":
            line = f" to *{escape(str(d['to']))}*" if d.get("to") else ""
            reason = f": {escape(str(d['reason']))}" if d.get("reason") else ""
            return f":rotating_light: Escalated{line} by {by}{reason}"
        case "note_added":
            return (
                f":memo: Internal note by {by} (not sent to the customer):\n{_quote(d.get('text'))}"
            )
        case "reply_queued":
            what = _kind_name(str(d.get("reply_kind") or "reply"))
            to = escape(str(d.get("to") or "the customer"))
            line = f":outbox_tray: {what.capitalize()} queued to {to}"
            return line + (f":\n{_quote(sent_text)}" if sent_text else "")
        case "reply_sent":
            what = f" ({_kind_name(reply_kind)})" if reply_kind else ""
            return (
                f":heavy_check_mark: Sent to the customer by {_channel(d.get('channel'))} ✔{what}"
            )
        case "delivery_failed" if d.get("reason") == "bounce":
            failed = ", ".join(escape(str(a)) for a in d.get("failed_recipients") or [])
            whom = f" for {failed}" if failed else ""
            return (
                f":x: Delivery failed: our email{whom} bounced (a bounce came back); "
                "no automatic mail to that address for a while. Try another contact."
            )
        case "delivery_failed":
            to = f" to {escape(str(d['to']))}" if d.get("to") else ""
            how = f" by {_channel(d['channel'])}" if d.get("channel") else ""
            what = f"The {_kind_name(reply_kind)}" if reply_kind else "A message"
            error = escape(str(d.get("error") or d.get("reason") or "no reason given"))
            return f":x: {what}{to}{how} was not delivered: {error}"
        case "sla_warning":
            used = d.get("used")
            share = f" ({round(float(used) * 100)}% of the time used)" if used is not None else ""
            return f":alarm_clock: SLA warning: {escape(str(d.get('target') or ''))} target{share}"
        case "sla_breached":
            return f":fire: SLA breached: {escape(str(d.get('target') or ''))} target"
        case "status_changed":
            old = d.get("previous", d.get("from"))
            new = d.get("status", d.get("to"))
            return f":label: Status {escape(str(old))} → *{escape(str(new))}* ({by})"
        case "resolved":
            synopsis = _quote(d.get("synopsis"))
            return f":white_check_mark: Resolved by {by}; sent to the customer:\n{synopsis}"
        case "reopened":
            was = escape(str(d.get("previous_status")))
            return f":leftwards_arrow_with_hook: Reopened by {by} (was {was})"
        case "closed":
            return f":lock: Closed: {escape(str(d.get('reason') or ''))}"
        case "field_corrected":
            return (
                f":pencil2: {field_label(str(d.get('field')))} corrected by {by}: "
                f"{escape(str(d.get('old')))} → {escape(str(d.get('new')))}"
            )
        case "field_conflict":
            return (
                f":warning: Conflicting {field_label(str(d.get('field')))} from {by}: "
                f"{escape(str(d.get('stated')))} (kept {escape(str(d.get('current')))})"
            )
        case "oncall_notified":
            return f":pager: On-call notified: {escape(str(d.get('reason') or ''))}"
        case "reminder_sent":
            number = d.get("number")
            return f":envelope: Reminder {number} for the missing details sent to the customer"
        case "auto_reply_suppressed":
            return f":mute: Automatic reply not sent: {escape(str(d.get('reason') or ''))}"
        case "automatic_message":
            return f":robot_face: Automatic message received ({escape(str(d.get('reason') or ''))})"
        case "entitlement":
            contract = escape(str(d.get("contract") or "none"))
            problems = "; ".join(escape(str(p)) for p in d.get("problems") or [])
            return f":page_facing_up: Contract {contract}" + (f": {problems}" if problems else "")
    pairs = ", ".join(f"{escape(str(k))}={escape(str(v))}" for k, v in d.items())
    return f"{escape(kind)} by {by}" + (f" ({pairs})" if pairs else "")


def follow_up_text(
    channel: str, sender: str, text: str, new_fields: Sequence[tuple[str, str]], attachments: int
) -> str:
    """A customer's follow-up message, with the details extracted from it."""
    lines = [
        f":speech_balloon: Customer follow-up by {_channel(channel)} from {escape(sender)}:",
        _quote(text),
    ]
    if new_fields:
        lines.append(
            "*New details:* "
            + ", ".join(f"{field_label(key)}: {escape(value)}" for key, value in new_fields)
        )
    if attachments:
        lines.append(f"*Attachments:* {attachments}")
    return "\n".join(lines)


def _quote(text: object) -> str:
    body = str(text or "").strip()
    if len(body) > _SNIPPET:
        body = body[:_SNIPPET] + "…"
    return "\n".join("> " + escape(line) for line in body.splitlines() or [""])


def _kind_name(kind: str) -> str:
    """``engineer_reply`` → ``reply``; ``acknowledge`` → ``acknowledgement``."""
    kind = kind.removeprefix("engineer_")
    return escape(_KIND_NAMES.get(kind, kind.replace("_", " ")))


def _channel(name: object) -> str:
    return _CHANNEL_NAMES.get(str(name), escape(str(name)))


def _is_user_id(value: str) -> bool:
    return value[:1] in ("U", "W") and value.isalnum() and value.isupper()
