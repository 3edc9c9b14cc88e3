"""Telling automatic mail from a person, so the bot never answers a machine.

Automatic mail is stored and attached to the ticket it concerns, but opens no ticket and gets no
reply: answering an out-of-office or a bounce is how mail loops start (RFC 3834 §2, §5).
"""

from __future__ import annotations

from bot.intake.context import IntakeContext
from bot.messages import InboundMessage

_BULK_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
_DAEMON_LOCALPARTS = {"mailer-daemon", "postmaster", "mail-daemon", "noreply-dsn"}


def screen(ctx: IntakeContext) -> None:
    ctx.screened_reason = automatic_reason(ctx.inbound, _own_addresses(ctx))


def automatic_reason(msg: InboundMessage, own_addresses: set[str]) -> str | None:
    """Why ``msg`` is automatic mail, or None when a person sent it."""
    if msg.channel != "email":
        return None
    s = msg.signals
    local = msg.sender_address.split("@")[0]
    if s.loop_header is not None or msg.sender_address in own_addresses:
        return "loop: our own mail came back"
    if s.delivery_report and s.delivery_actions and not s.failed_recipients:
        # RFC 3464: "delayed", "delivered", "relayed" reports are news, not a failure.
        return f"delivery report: {', '.join(sorted(set(s.delivery_actions)))}"
    if s.delivery_report or s.failed_recipients or local in _DAEMON_LOCALPARTS:
        return "bounce"
    if s.return_path_empty:
        return "bounce" if s.reported_message_id else "null return path"
    if s.auto_submitted and s.auto_submitted != "no":  # RFC 3834 §5
        return f"auto-submitted: {s.auto_submitted}"
    if s.precedence in _BULK_PRECEDENCE:
        return f"precedence: {s.precedence}"
    if s.autoreply_headers:
        # X-Auto-Response-Suppress alone is what Outlook puts on *requests* too; it is a signal
        # only together with another autoreply header.
        strong = [h for h in s.autoreply_headers if h != "X-Auto-Response-Suppress"]
        if strong:
            return f"auto-reply header: {strong[0]}"
    if s.list_id or s.list_unsubscribe:
        return "mailing list"
    return None


def _own_addresses(ctx: IntakeContext) -> set[str]:
    config = ctx.deps.config
    own = {a.lower() for a in config.intake.own_addresses}
    own.add(config.email.outbound.from_address.lower())
    return own
