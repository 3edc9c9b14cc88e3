"""Recording the inbound message and its attachments; automatic mail stops here.

Automatic mail is kept (with the reason it was screened) and attached to the ticket it concerns,
with an event engineers see; a bounce of our reply is a delivery failure on that ticket.
"""

from __future__ import annotations

from datetime import timedelta

from bot.intake.context import IntakeContext, StopIntake
from bot.intake.events import add_event
from storage import repositories as repo
from storage.models import Attachment, Message


def record_message(ctx: IntakeContext) -> None:
    msg = ctx.inbound
    row = Message(
        ticket_id=ctx.ticket.id if ctx.ticket else None,
        raw_message_id=ctx.raw.id if ctx.raw else None,
        direction="in",
        channel=msg.channel,
        mailbox=msg.mailbox,
        external_id=msg.external_id[:998],
        in_reply_to=msg.in_reply_to[:998] if msg.in_reply_to else None,
        references=" ".join(msg.references) or None,
        thread_key=msg.thread_key[:255] if msg.thread_key else None,
        subject=msg.subject,
        sender=msg.sender_address[:512],
        sender_name=msg.sender_name[:512] if msg.sender_name else None,
        recipients=", ".join(msg.recipients),
        at=ctx.now,
        text_full=msg.text,
        text_reply=msg.reply_text,
        text_quoted=msg.quoted_text,
        content_hash=msg.content_hash,
        screened_reason=ctx.screened_reason[:255] if ctx.screened_reason else None,
        automatic=ctx.screened_reason is not None,
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.message = row
    for attachment in msg.attachments:
        stored = ctx.deps.attachments.save(attachment.data)
        row_attachment = Attachment(
            ticket_id=row.ticket_id,
            message_id=row.id,
            filename=_display_name(attachment.filename),
            content_type=attachment.content_type[:255],
            size=stored.size,
            sha256=stored.sha256,
            stored_name=stored.stored_name,
            created_at=ctx.now,
        )
        ctx.session.add(row_attachment)
        ctx.attachments.append(row_attachment)
    if ctx.screened_reason is not None:
        _stop_screened(ctx, ctx.screened_reason)
    # A person writing from an address shows its mailbox works again.
    repo.unsuppress(ctx.session, msg.sender_address)


def _stop_screened(ctx: IntakeContext, reason: str) -> None:
    if ctx.ticket is None:
        raise StopIntake(f"screened ({reason}), no ticket concerned", status="screened")
    kind = "delivery_failed" if reason == "bounce" else "automatic_message"
    detail: dict[str, object] = {"reason": reason, "message_id": ctx.inbound.external_id}
    if reason == "bounce":
        detail |= _suppress_bounced(ctx)
    add_event(ctx.session, ctx.ticket, kind, "system", ctx.now, **detail)
    raise StopIntake(f"screened ({reason}), attached to {ctx.ticket.reference}", status="screened")


def _suppress_bounced(ctx: IntakeContext) -> dict[str, object]:
    """Our mail to these addresses bounced: no automatic mail to them for a while."""
    failed = list(ctx.inbound.signals.failed_recipients)
    if not failed and ctx.ticket is not None and ctx.ticket.contact and ctx.ticket.contact.email:
        failed = [ctx.ticket.contact.email]  # a bounce that does not say whom: the contact's
    hours = ctx.deps.config.intake.bounce_suppress_hours
    until = ctx.now + timedelta(hours=hours)
    for address in failed:
        repo.suppress(ctx.session, address, until, f"bounce {ctx.inbound.external_id}", ctx.now)
    return {"failed_recipients": failed, "suppressed_until": until.isoformat()}


def _display_name(name: str) -> str:
    """The sender's filename as harmless text: no path, no control characters, bounded."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".")
    return cleaned[:255] or "attachment"
