"""Outbound email: a queued reply payload → an RFC 5322 message with threading headers.

Built with ``policy.SMTP`` from the stdlib, which folds and encodes headers and refuses CR/LF in
header values; we also flatten any line breaks in customer-controlled text first, so a subject
like "x\\r\\nBcc: victim@…" can never add a header.
"""

from __future__ import annotations

from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Any

from bot.channels.email.parse import LOOP_HEADER
from bot.config import OutboundConfig
from bot.errors import PermanentChannelError


def build_email(payload: dict[str, Any], outbound: OutboundConfig, now_header: str) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    msg["From"] = Address(display_name=_flat(outbound.from_name), addr_spec=outbound.from_address)
    msg["To"] = _to_header(payload)
    msg["Subject"] = _flat(payload["subject"])
    msg["Date"] = now_header
    if payload.get("message_id"):
        msg["Message-ID"] = f"<{_flat(payload['message_id'])}>"
    if payload.get("in_reply_to"):
        msg["In-Reply-To"] = f"<{_flat(payload['in_reply_to'])}>"
    if payload.get("references"):
        msg["References"] = " ".join(f"<{_flat(r)}>" for r in payload["references"])
    if payload.get("auto_generated", True):
        msg["Auto-Submitted"] = "auto-replied"  # RFC 3834 §5: tells robots not to answer
        msg["X-Auto-Response-Suppress"] = "All"  # Exchange/Outlook: no OOF or read receipts
    msg[LOOP_HEADER] = outbound.from_address
    text = payload["text"]
    # 8bit keeps the reply readable as a file; quoted-printable only where SMTP's 998-octet
    # line limit (RFC 5322 §2.1.1) would otherwise be broken.
    long_lines = any(len(line.encode()) > 900 for line in text.splitlines())
    msg.set_content(text, cte="quoted-printable" if long_lines else "8bit")
    return msg


def date_header(now: Any) -> str:
    return format_datetime(now)


def _to_header(payload: dict[str, Any]) -> Address:
    address = _flat(payload["to"])
    name = _flat(payload.get("to_name") or "")
    try:
        return Address(display_name=name, addr_spec=address)
    except (ValueError, IndexError, HeaderParseError):
        try:
            return Address(addr_spec=address)  # a display name we cannot encode: drop it
        except (ValueError, IndexError, HeaderParseError):
            raise PermanentChannelError(f"not a deliverable address: {address!r}") from None


def _flat(value: object) -> str:
    return " ".join(str(value).replace("\r", " ").replace("\n", " ").split())
