"""Outbound email: a queued reply payload → an RFC 5322 message with threading headers.

Built with ``policy.SMTP`` from the stdlib, which folds and encodes headers and refuses CR/LF in
header values; we also flatten any line breaks in customer-controlled text first, so a subject
like "x\\r\\nBcc: victim@…" can never add a header, and drop control characters (NUL, ESC), which
the stdlib would write raw. Text that *looks like* an RFC 2047 encoded word is defused too: the
stdlib decodes such words when a header is set and, before Python 3.11.10 (CVE-2024-6923),
writes a decoded CR/LF raw, so a subject "=?utf-8?q?=0D=0ABcc:_v@evil?=" became a Bcc header.
Last, the finished header block is checked to hold exactly the headers we set.
"""

from __future__ import annotations

import re
from email.errors import HeaderParseError
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr
from typing import Any

from bot.channels.email.parse import LOOP_HEADER
from bot.config import OutboundConfig
from bot.errors import PermanentChannelError

# ``refold_source="none"``: headers we set raw (the msg-id lists below) are written exactly as
# we folded them; every other header is a header object and is folded by the policy as before.
_POLICY = SMTP.clone(refold_source="none")
# A msg-id we can repeat (RFC 5322 §3.6.4): visible ASCII, no angle brackets, and short enough
# for one line (§2.1.1: 998 octets). The stdlib would RFC 2047-encode anything longer than 78
# or non-ASCII, which no mail client can thread on, so an id that is not this is left out.
_MSG_ID = re.compile(r"[!-;=?-~]{1,900}")
# Display names are shown, never parsed: bounded so a one-word 5,000-character name, which the
# stdlib cannot fold, cannot make a To line longer than 998 octets.
_MAX_NAME = 200
_HEADERS = HeaderRegistry()
# U+2060 WORD JOINER: invisible, and splits "=?" so no parser sees an encoded word there.
_DEFUSED = "=\u2060?"


def build_email(payload: dict[str, Any], outbound: OutboundConfig, now_header: str) -> EmailMessage:
    msg = EmailMessage(policy=_POLICY)
    msg["From"] = Address(display_name=_flat(outbound.from_name), addr_spec=outbound.from_address)
    msg.set_raw("To", _to_header(payload))
    msg["Subject"] = _flat(payload["subject"])
    msg["Date"] = now_header
    if payload.get("message_id"):
        msg["Message-ID"] = f"<{_flat(payload['message_id'])}>"
    _set_ids(msg, "In-Reply-To", [payload.get("in_reply_to")])
    _set_ids(msg, "References", payload.get("references") or [])
    if payload.get("auto_generated", True):
        msg["Auto-Submitted"] = "auto-replied"  # RFC 3834 §5: tells robots not to answer
        msg["X-Auto-Response-Suppress"] = "All"  # Exchange/Outlook: no OOF or read receipts
    msg[LOOP_HEADER] = outbound.from_address
    text = payload["text"]
    # 8bit keeps the reply readable as a file; quoted-printable only where SMTP's 998-octet
    # line limit (RFC 5322 §2.1.1) would otherwise be broken.
    long_lines = any(len(line.encode()) > 900 for line in text.splitlines())
    msg.set_content(text, cte="quoted-printable" if long_lines else "8bit")
    _check_headers(msg)
    return msg


def _check_headers(msg: EmailMessage) -> None:
    """Refuse to send a message whose written header block is not the headers we set: the last
    line of defence against a header injection through a stdlib bug we did not defuse."""
    head = msg.as_bytes().split(b"\r\n\r\n", 1)[0]
    written = [line.split(b":", 1)[0].decode("ascii", "replace").lower()
               for line in head.split(b"\r\n") if line[:1] not in (b" ", b"\t")]  # fmt: skip
    if written != [name.lower() for name in msg]:
        raise PermanentChannelError(f"refusing to send: the headers would be {written}")


def date_header(now: Any) -> str:
    return format_datetime(now)


def _set_ids(msg: EmailMessage, header: str, ids: list[Any]) -> None:
    """``header`` with the well-formed ids among ``ids``, folded between ids (RFC 5322 §3.2.2)."""
    kept = [f"<{i}>" for i in (str(i or "").strip() for i in ids) if _MSG_ID.fullmatch(i)]
    if kept:
        msg.set_raw(header, "\n ".join(kept))


def _to_header(payload: dict[str, Any]) -> str:
    """The To line, written by us rather than folded by the stdlib: its folder drops the quotes
    of a long display name, so "Smith, Jane …" became several recipients (and a ":" a group).
    ``formataddr`` quotes the name, or RFC 2047-encodes it; what we write must parse back as
    exactly this one address, else the name is left out."""
    address = _flat(payload["to"])
    try:
        Address(addr_spec=address)
    except (ValueError, IndexError, HeaderParseError):
        raise PermanentChannelError(f"not a deliverable address: {address!r}") from None
    if "@" not in address or not address.isascii():
        raise PermanentChannelError(f"not a deliverable address: {address!r}")
    name = _flat(payload.get("to_name") or "")[:_MAX_NAME]
    if name:
        try:
            line = formataddr((name, address), charset="utf-8")
        except (ValueError, UnicodeError):
            line = ""
        if line and _parses_as(line, address):
            return line
    return address


def _parses_as(line: str, address: str) -> bool:
    try:
        header = _HEADERS("To", line)
        (only,) = header.addresses  # type: ignore[attr-defined]
        return bool(only.addr_spec == address and not header.defects)
    except (ValueError, IndexError, HeaderParseError):
        return False


def _flat(value: object) -> str:
    """One line of printable text: every kind of line break (CR, LF, U+0085, U+2028, U+2029…)
    and other whitespace becomes one space; other control and format characters (NUL, ESC,
    U+202E) are dropped, since the stdlib would write them into the header raw; "=?" is
    defused (see the module docstring)."""
    text = "".join(ch for ch in str(value) if ch.isprintable() or ch.isspace())
    return " ".join(text.split()).replace("=?", _DEFUSED)
