"""The only shapes the intake core sees: frozen messages in, frozen messages out.

Adapters translate their wire format to and from these; nothing else crosses from a channel into
the core, so the pipeline never needs to know about MIME, Slack payloads or Telegram updates.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Literal

Channel = Literal["email", "telegram", "slack"]


@dataclass(frozen=True, slots=True)
class InboundAttachment:
    filename: str  # as the sender named it: for display only, never a path on disk
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class AutomationSignals:
    """Header facts that tell automatic mail from a person (RFC 3834 and common practice).

    Collected by the adapter as facts; the screening step decides what they mean.
    """

    auto_submitted: str | None = None
    precedence: str | None = None
    list_id: bool = False
    list_unsubscribe: bool = False
    autoreply_headers: tuple[str, ...] = ()  # X-Autoreply, X-Autorespond, X-Auto-Response-Suppress…
    return_path_empty: bool = False
    delivery_report: bool = False  # multipart/report; report-type=delivery-status
    delivery_actions: tuple[str, ...] = ()  # per-recipient Action: failed | delayed | delivered…
    failed_recipients: tuple[str, ...] = ()
    loop_header: str | None = None  # our own X-Intake-Loop, seen on mail we sent
    # Message-ID of the message a bounce or auto-reply reports on (from the attached original).
    reported_message_id: str | None = None


@dataclass(frozen=True, slots=True)
class InboundMessage:
    channel: Channel
    mailbox: str  # where it arrived (SMTP recipient, IMAP folder, chat id): scopes dedupe
    external_id: str  # Message-ID / update id; deterministic when the sender gave none
    sender_address: str  # lower-case email, or the channel's user id
    sender_name: str | None
    subject: str
    text: str  # everything the person wrote, history included
    reply_text: str  # the new text only (signature kept: it carries contact details)
    quoted_text: str  # quoted history and forwarded parts
    received_at: datetime
    recipients: tuple[str, ...] = ()
    reply_to: str | None = None  # where the sender asked answers to go (portals, shared boxes)
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()  # oldest first, as in the header
    thread_key: str | None = None  # chat thread (Slack thread_ts, Telegram reply-to message)
    attachments: tuple[InboundAttachment, ...] = ()
    signals: AutomationSignals = field(default_factory=AutomationSignals)
    content_hash: str = ""  # identifies the same content delivered under another id
    decode_warnings: tuple[str, ...] = ()  # lossy charset decodes, unparsable parts

    def without_nul(self) -> InboundMessage:
        """This message with NUL characters removed from its text fields.

        NUL carries nothing a person wrote, and PostgreSQL text cannot hold it: a subject or a
        display name with one made the whole message fail to store there.
        """
        changes: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str) and "\0" in value:
                changes[f.name] = value.replace("\0", "")
            elif isinstance(value, tuple) and any(isinstance(v, str) and "\0" in v for v in value):
                changes[f.name] = tuple(v.replace("\0", "") for v in value)
        reported = self.signals.reported_message_id
        if reported and "\0" in reported:
            changes["signals"] = replace(
                self.signals, reported_message_id=reported.replace("\0", "")
            )
        files = self.attachments
        if any("\0" in a.filename or "\0" in a.content_type for a in files):
            changes["attachments"] = tuple(
                replace(
                    a,
                    filename=a.filename.replace("\0", ""),
                    content_type=a.content_type.replace("\0", ""),
                )
                for a in files
            )
        return replace(self, **changes) if changes else self  # type: ignore[arg-type]

    @property
    def answer_address(self) -> str:
        """Where a reply goes: Reply-To when the sender set one (RFC 5322 §3.6.2), else From."""
        return self.reply_to or self.sender_address


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    channel: Channel
    to_address: str
    subject: str
    text: str
    to_name: str | None = None
    ticket_reference: str | None = None
    message_id: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    thread_key: str | None = None
    auto_generated: bool = True
