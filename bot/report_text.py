"""What extraction reads: an inbound message (or a file) reduced to :class:`ReportText`.

Shared by the intake pipeline and ``intake-bot extract``, so both read a report the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.channels.email.parse import parse_email
from bot.classifier.types import ReportText, Sender
from bot.messages import InboundMessage


def report_from_inbound(message: InboundMessage) -> ReportText:
    sender = Sender(
        name=message.sender_name,
        email=message.sender_address if "@" in message.sender_address else None,
    )
    return ReportText(
        body=message.reply_text,
        subject=message.subject,
        quoted=message.quoted_text,
        sender=sender,
    )


def report_from_path(path: Path) -> ReportText:
    """``*.eml`` is parsed as RFC 5322 email; any other file is a plain-text chat message."""
    data = path.read_bytes()
    if path.suffix.lower() == ".eml":
        message = parse_email(data, mailbox="file", received_at=datetime.now(UTC))
        return report_from_inbound(message)
    return ReportText(body=data.decode("utf-8", errors="replace").strip())
