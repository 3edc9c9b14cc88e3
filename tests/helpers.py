"""Small helpers the tests share: feeding mail in, reading replies out."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path

from bot.app import App
from bot.intake.service import IntakeResult

MAIL = Path(__file__).parent / "fixtures" / "mail"


def fixture_mail(name: str, **values: str) -> bytes:
    """A fixture message, with ``{placeholders}`` filled in (e.g. the id of our reply)."""
    text = (MAIL / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def ingest(app: App, raw: bytes, mailbox: str = "support@desk.example") -> IntakeResult:
    raw_id = app.intake.store_raw(raw, channel="email", mailbox=mailbox)
    return app.intake.process(raw_id)


def delivered(app: App) -> list[EmailMessage]:
    """Replies delivered to the maildir outbox so far, oldest first."""
    new = Path(app.config.email.outbound.maildir) / "new"
    if not new.exists():
        return []
    files = sorted(new.iterdir(), key=lambda p: p.stat().st_mtime_ns)
    return [
        email.message_from_bytes(f.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
        for f in files
    ]


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def bare(message_id: str | None) -> str:
    return (message_id or "").strip().strip("<>")
