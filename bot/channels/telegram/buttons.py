"""Button presses (callback queries): a form's choice, skip or "talk to an engineer", and the
"which ticket is this about?" choice for a held message.

Every press is answered (``answerCallbackQuery``, so the client stops its spinner); a press that
did something edits the bot's message to show what was chosen, which also removes its buttons.
A press on a question that is no longer being asked (an older message's buttons) changes
nothing and says so.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session
from telegram import Update

from bot.channels.telegram import wording
from bot.channels.telegram.envelope import Envelope
from bot.channels.telegram.inbox import replace_envelope
from bot.channels.telegram.intake import conversation_key
from bot.channels.telegram.outgoing import CALLBACK_PREFIX, queue_chat_message, ticket_anchor
from bot.channels.telegram.replies import flood_safe
from bot.channels.telegram.text import LIMIT
from bot.channels.telegram.tickets import own_tickets
from bot.fields import missing_fields
from bot.forms import engine
from bot.forms.questions import answer_line
from bot.forms.store import clear_form, load_form, save_form
from bot.intake.events import add_event
from bot.messages import OutboundMessage
from storage import repositories as repo
from storage.models import RawMessage

if TYPE_CHECKING:
    from bot.channels.telegram.conversation import Conversation

CHANNEL = "telegram"
HOLD_PREFIX = "h:"  # callback data of the "which ticket?" buttons: "h:<raw id>:t" | "h:<raw id>:n"

Outcome = tuple[str | None, str | None]  # (the bot's message edited to, a notice on the press)


class Buttons:
    def __init__(self, conversation: Conversation) -> None:
        self.c = conversation
        self.app = conversation.app
        self.inbox = conversation.inbox

    async def pressed(self, update: Update) -> None:
        query = update.callback_query
        assert query is not None
        assert query.message is not None
        data = query.data or ""
        chat = query.message.chat.id
        shown = getattr(query.message, "text", "") or ""
        edited: str | None = None
        notice: str | None = None
        if data.startswith(HOLD_PREFIX):
            edited = await self._choose_ticket(update, chat, data)
        elif data.startswith(CALLBACK_PREFIX):
            edited, notice = await self._form(
                update, chat, data.removeprefix(CALLBACK_PREFIX), shown
            )
        else:
            await asyncio.to_thread(self.inbox.claim, update.update_id)
        await flood_safe(lambda: query.answer(notice))
        if edited:
            text = edited if len(edited) <= LIMIT else edited[: LIMIT - 1] + "…"
            await flood_safe(lambda: query.edit_message_text(text))
        await self.c.flush_outbox()

    # -- the form's buttons ------------------------------------------------------------------

    async def _form(self, update: Update, chat: int, action: str, shown: str) -> Outcome:
        verb, key, value = engine.parse_action(action)
        form = await asyncio.to_thread(self._load, chat)
        current = form is not None and form.asking is not None and form.asking == key
        valid = verb in ("skip", "engineer") or (
            verb == "answer" and form is not None and engine.is_choice(form, key, value)
        )
        if form is None or not current or not valid:
            await asyncio.to_thread(self.inbox.claim, update.update_id)
            return None, wording.STALE_BUTTON
        if verb == "answer":
            return await self._choice(update, form, value, shown), None
        return await self._form_action(update, chat, verb, key, shown), None

    def _load(self, chat: int) -> engine.FormState | None:
        with self.app.sessions() as session:
            return load_form(session, CHANNEL, conversation_key(chat))

    async def _choice(
        self, update: Update, form: engine.FormState, value: str, shown: str
    ) -> str | None:
        """A choice is an answer like a typed one: through the intake, labelled for its field."""
        assert form.asking is not None
        envelope = Envelope(
            update=self.c.raw_updates[update.update_id],
            about=form.anchor,
            answers=form.asking,
            text=answer_line(form.asking, value),
        )
        raw_id = await asyncio.to_thread(self.inbox.store, update.update_id, envelope)
        if raw_id is None:
            return None
        await asyncio.to_thread(self.app.intake.process, raw_id)
        return wording.CHOSEN.format(question=shown, answer=value)

    async def _form_action(
        self, update: Update, chat: int, verb: str, key: str, shown: str
    ) -> str | None:
        user = update.effective_user
        assert user is not None
        done: list[str] = []

        def effect(session: Session) -> str:
            now = self.app.clock()
            form = load_form(session, CHANNEL, conversation_key(chat))
            ticket = repo.ticket_by_reference(session, form.ticket) if form else None
            if form is None or ticket is None or form.asking != key:
                return f"button {verb}: no such question pending"
            values = {k: v.value for k, v in repo.current_field_values(session, ticket.id).items()}
            missing = missing_fields(values, ticket.fault_type)
            actor = f"telegram:{user.id}"
            if verb == "skip":
                state, prompt = engine.skip(form, missing)
                text = wording.prompt_text(prompt, ticket.reference)
                save_form(session, CHANNEL, conversation_key(chat), state, now)
                add_event(session, ticket, "customer_skipped", actor, now, field=key)
                done.append(wording.SKIPPED.format(question=shown))
            else:
                # The customer cannot answer: the desk must act. Engineers see the event (the
                # Slack thread, the ticket's history); the ticket stops waiting for the customer,
                # so its response clock runs and no reminders chase the customer for details.
                add_event(session, ticket, "customer_asked_for_engineer", actor, now, field=key)
                if ticket.status == "waiting_customer":
                    add_event(
                        session,
                        ticket,
                        "status_changed",
                        actor,
                        now,
                        **{"from": ticket.status, "to": "open"},
                    )
                    ticket.status = "open"
                ticket.updated_at = now
                clear_form(session, CHANNEL, conversation_key(chat), now)
                text, prompt = wording.ENGINEER.format(ref=ticket.reference), engine.Prompt("done")
                done.append(wording.CHOSEN.format(question=shown, answer="talk to an engineer"))
            if text:
                reply = OutboundMessage(
                    channel="telegram",
                    to_address=f"telegram:{user.id}",
                    subject="",
                    text=text,
                    ticket_reference=ticket.reference,
                    in_reply_to=form.anchor,
                    thread_key=conversation_key(chat),
                )
                key_ = f"telegram:update:{update.update_id}"
                queue_chat_message(session, ticket, reply, prompt.buttons, key=key_, now=now)
            return f"button {verb} on {ticket.reference}"

        if not await asyncio.to_thread(self.inbox.claim, update.update_id, effect):
            return None
        return done[0] if done else None

    # -- "which ticket?" ---------------------------------------------------------------------

    async def _choose_ticket(self, update: Update, chat: int, data: str) -> str | None:
        raw_text, _, choice = data.removeprefix(HOLD_PREFIX).partition(":")
        chosen: list[tuple[int, str]] = []

        def effect(session: Session) -> str:
            raw = session.get(RawMessage, int(raw_text)) if raw_text.isdigit() else None
            if raw is None or raw.status != "held" or raw.channel != CHANNEL:
                return "choice for no held message"
            envelope = Envelope.from_bytes(raw.data)
            message = envelope.update.get("message") or {}
            if message.get("chat", {}).get("id") != chat:  # never another chat's message
                return "choice for another chat's message"
            about = None
            label = wording.HELD_NEW
            if choice == "t":
                user = int(message.get("from", {}).get("id", 0))
                tickets = own_tickets(session, user)
                if len(tickets) == 1:
                    about = ticket_anchor(session, tickets[0])
                    label = wording.HELD_ABOUT.format(ref=tickets[0].reference)
            replace_envelope(raw, Envelope(envelope.update, about, None, None, envelope.files))
            raw.status, raw.outcome = "pending", None
            chosen.append((raw.id, label))
            return f"held message {raw.id}: {'ticket' if about else 'new report'}"

        if not await asyncio.to_thread(self.inbox.claim, update.update_id, effect) or not chosen:
            return None
        raw_id, label = chosen[0]
        await asyncio.to_thread(self.app.intake.process, raw_id)
        return label
