"""Telegram in the shared intake: reading a stored update, and writing the chat's reply.

The reply is short and asks for one thing at a time (the form in :mod:`bot.forms`); it is
queued in the outbox in the pipeline's transaction, with the form's new state, so a crash
either keeps both or neither.
"""

from __future__ import annotations

import hashlib
import re
from typing import Final

from bot.channels.telegram.envelope import Envelope, message_of, sender_of
from bot.channels.telegram.outgoing import queue_chat_message, ticket_anchor
from bot.channels.telegram.wording import acknowledgement, added_note, file_size, prompt_text
from bot.forms.engine import FormState, Prompt, advance, start
from bot.forms.questions import answer_line
from bot.forms.store import load_form, save_form
from bot.intake.context import IntakeContext
from bot.messages import InboundAttachment, InboundMessage, OutboundMessage
from storage.models import RawMessage, Ticket

CHANNEL: Final = "telegram"
_LABELLED = re.compile(r"^\s*[A-Za-z][A-Za-z ]{1,30}:\s*\S")
_COMMAND = re.compile(r"^/\w+(@\w+)?\s*")


def message_key(chat_id: int | str, message_id: int | str) -> str:
    """The external id of a chat message: what replies to it are matched by."""
    return f"telegram:{chat_id}:{message_id}"


def conversation_key(chat_id: int | str) -> str:
    return f"telegram:{chat_id}"


def parse_stored(raw: RawMessage) -> InboundMessage:
    """The stored update as the pipeline reads it (pure: everything needed is in the record)."""
    envelope = Envelope.from_bytes(raw.data)
    update = envelope.update
    message = message_of(update)
    user = sender_of(update)
    chat = message["chat"]["id"]
    written = str(message.get("text") or message.get("caption") or "")
    if "callback_query" in update:  # a button pressed: the answer it stands for
        external_id = f"telegram:{chat}:callback:{update['callback_query']['id']}"
        written = envelope.text or ""
    else:
        external_id = message_key(chat, message["message_id"])
        written = _COMMAND.sub("", written, count=1) if written.startswith("/") else written
    replied = message.get("reply_to_message") if "callback_query" not in update else None
    in_reply_to = message_key(chat, replied["message_id"]) if replied else envelope.about
    references = (envelope.about,) if envelope.about and envelope.about != in_reply_to else ()
    name = " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p) or None
    return InboundMessage(
        channel=CHANNEL,
        mailbox=CHANNEL,
        external_id=external_id,
        sender_address=f"telegram:{user['id']}",
        sender_name=name,
        subject=_subject(written) if not envelope.about and not replied else "",
        text=written,
        reply_text=_as_answer(envelope.answers, written),
        quoted_text="",
        received_at=raw.received_at,
        in_reply_to=in_reply_to,
        references=references,
        thread_key=conversation_key(chat),
        attachments=tuple(
            InboundAttachment(f.filename, f.content_type, f.data)
            for f in envelope.files
            if f.data is not None
        ),
        content_hash=hashlib.sha256(f"{external_id}\n{written}".encode()).hexdigest(),
        decode_warnings=tuple(
            f"{f.filename} ({file_size(f.size)})" if f.size else f.filename  # 0: size unknown
            for f in envelope.files
            if f.data is None
        ),
    )


def _as_answer(field: str | None, text: str) -> str:
    """A bare answer to the bot's question, labelled for the extractor ("Serial number: …").

    Only a one-line answer that is not already ``Label: value`` is labelled: a longer message
    is read as written, so whatever else it says is extracted too.
    """
    if field is None or not text.strip() or "\n" in text.strip() or _LABELLED.match(text):
        return text
    return answer_line(field, text)


def _subject(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= 80 else line[:77].rstrip() + "…"


def compose_reply(ctx: IntakeContext) -> None:
    """The chat's answer to a message: what was understood, then one question (or none)."""
    ticket = ctx.ticket
    if ticket is None:
        return
    inbound = ctx.inbound
    conversation = inbound.thread_key or ""
    state = load_form(ctx.session, CHANNEL, conversation)
    intro: list[str] = []
    if ctx.new_ticket:
        state = start(ticket.reference, inbound.external_id, ctx.asked_optional)
        state, prompt = advance(state, filled=set(), missing=ctx.missing)
        intro.append(acknowledgement(ctx, ticket))
    else:
        if state is None or state.ticket != ticket.reference:
            state = start(
                ticket.reference, ticket_anchor(ctx.session, ticket) or inbound.external_id, ()
            )
        if inbound.reply_text.strip():
            state, prompt = advance(state, filled=set(ctx.new_fields), missing=ctx.missing)
        else:  # a photo without a caption answers nothing: not a failed try
            prompt = Prompt("idle")
        intro.append(added_note(ctx, ticket, prompt.kind))
    _queue(ctx, ticket, state, prompt, intro)


def _queue(
    ctx: IntakeContext, ticket: Ticket, state: FormState, prompt: Prompt, intro: list[str]
) -> None:
    inbound = ctx.inbound
    text = "\n\n".join(p for p in (*intro, prompt_text(prompt, ticket.reference)) if p)
    if not text:
        return
    target = inbound.external_id if ":callback:" not in inbound.external_id else None
    reply = OutboundMessage(
        channel=CHANNEL,
        to_address=inbound.sender_address,
        subject="",
        text=text,
        ticket_reference=ticket.reference,
        in_reply_to=target or state.anchor,
        thread_key=inbound.thread_key,
        to_name=inbound.sender_name,
    )
    key = f"reply:{ctx.message.id if ctx.message else 0}"
    queue_chat_message(ctx.session, ticket, reply, prompt.buttons, key=key, now=ctx.now)
    ctx.replies.append(reply)
    save_form(ctx.session, CHANNEL, inbound.thread_key or "", state, ctx.now)
