"""The chat's handlers (PTB ``Application`` callbacks): commands, messages, button presses.

Handlers translate and route; the rules live in the intake (tickets, fields) and in
:mod:`bot.forms` (what to ask). Database work runs in a worker thread. Every handler first
marks the update as its own (:attr:`handled`), so the receiver can tell "no handler" (claimed as
ignored) from "a handler failed" (not claimed: fetched again later).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.channels.telegram import replies, wording
from bot.channels.telegram.buttons import HOLD_PREFIX, Buttons
from bot.channels.telegram.envelope import Envelope
from bot.channels.telegram.files import fetch_files
from bot.channels.telegram.inbox import Inbox
from bot.channels.telegram.intake import conversation_key, message_key
from bot.channels.telegram.tickets import own_ticket, own_tickets
from bot.fields import missing_fields
from bot.forms.questions import question_for
from bot.forms.store import clear_form, load_form
from bot.tickets.actions import TicketActionError
from storage import repositories as repo
from storage.models import Ticket

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

CHANNEL = "telegram"
Context = ContextTypes.DEFAULT_TYPE


@dataclass(frozen=True, slots=True)
class Routing:
    """Where a new message goes: the ticket it is about, the question it answers, or a hold."""

    about: str | None = None
    answers: str | None = None
    hold: Ticket | None = None


class Conversation:
    def __init__(self, app: App, raw_updates: dict[int, dict[str, Any]]) -> None:
        self.app = app
        self.inbox = Inbox(app)
        self.raw_updates = raw_updates  # the update's JSON as received, by update id
        self.handled: set[int] = set()
        self.buttons = Buttons(self)

    # -- commands ----------------------------------------------------------------------------

    async def start(self, update: Update, context: Context) -> None:
        if not await self._private(update):
            return
        user = update.effective_user
        name = user.first_name if user else "there"
        await self._command(update, wording.START.format(name=name, desk=self._desk))

    async def help(self, update: Update, context: Context) -> None:
        if await self._private(update):
            await self._command(update, wording.HELP.format(desk=self._desk))

    async def new(self, update: Update, context: Context) -> None:
        if not await self._private(update):
            return
        message = update.effective_message
        assert message is not None
        assert update.effective_chat is not None
        if context.args:  # "/new <the report>": the report itself, never an answer
            await self.message(update, context, fresh=True)
            return
        chat = update.effective_chat.id

        def effect(session: Session) -> str:
            now = self.app.clock()
            clear_form(session, CHANNEL, conversation_key(chat), now)
            repo.set_channel_value(session, CHANNEL, f"new:{chat}", "1", now)
            return "/new"

        self.handled.add(update.update_id)
        if await asyncio.to_thread(self.inbox.claim, update.update_id, effect):
            await self._reply(update, wording.NEW)

    async def cancel(self, update: Update, context: Context) -> None:
        if not await self._private(update):
            return
        message, chat = update.effective_message, update.effective_chat
        assert message is not None
        assert chat is not None
        cancelled: list[str] = []

        def effect(session: Session) -> str:
            form = load_form(session, CHANNEL, conversation_key(chat.id))
            if form is not None and not form.done:
                cancelled.append(form.ticket)
            clear_form(session, CHANNEL, conversation_key(chat.id), self.app.clock())
            repo.set_channel_value(session, CHANNEL, f"new:{chat.id}", "", self.app.clock())
            return "/cancel"

        self.handled.add(update.update_id)
        if await asyncio.to_thread(self.inbox.claim, update.update_id, effect):
            text = (
                wording.CANCELLED.format(ref=cancelled[0])
                if cancelled
                else wording.NOTHING_TO_CANCEL
            )
            await self._reply(update, text)

    async def status(self, update: Update, context: Context) -> None:
        if not await self._private(update):
            return
        user = update.effective_user
        assert user is not None
        asked = context.args[0] if context.args else None

        def answer(session: Session) -> str:
            if asked is None:
                tickets = own_tickets(session, user.id)
                if not tickets:
                    return wording.NO_TICKETS
                return "Your open tickets:\n" + "\n".join(wording.status_line(t) for t in tickets)
            shown = asked.strip().upper()
            try:
                reference = self.app.ticket_actions.normalise(asked)
            except TicketActionError:
                return wording.UNKNOWN_REFERENCE.format(ref=shown)
            ticket = own_ticket(session, user.id, reference)
            if ticket is None:  # someone else's answers exactly like an unknown one
                return wording.UNKNOWN_REFERENCE.format(ref=shown)
            return self._detail(session, ticket)

        self.handled.add(update.update_id)
        texts: list[str] = []

        def effect(session: Session) -> str:
            texts.append(answer(session))
            return "/status"

        if await asyncio.to_thread(self.inbox.claim, update.update_id, effect):
            await self._reply(update, texts[0])

    def _detail(self, session: Session, ticket: Ticket) -> str:
        values = {k: fv.value for k, fv in repo.current_field_values(session, ticket.id).items()}
        lines = [wording.status_line(ticket)]
        missing = missing_fields(values, ticket.fault_type)
        if missing and ticket.status == "waiting_customer":
            labels = ", ".join(question_for(k).text.rstrip("?").lower() for k in missing)
            lines.append(f"We are waiting for: {labels}.")
        if ticket.assignee:
            lines.append("An engineer is working on it.")
        return "\n".join(lines)

    async def unknown(self, update: Update, context: Context) -> None:
        if await self._private(update):
            await self._command(update, wording.HELP.format(desk=self._desk))

    # -- messages ----------------------------------------------------------------------------

    async def message(self, update: Update, context: Context, fresh: bool = False) -> None:
        """A free-text message, photo or document: to the intake (or held for a choice)."""
        if not await self._private(update):
            return
        message, user = update.effective_message, update.effective_user
        assert message is not None
        assert user is not None
        self.handled.add(update.update_id)
        if await asyncio.to_thread(self.inbox.seen, update.update_id):
            return
        routing = (
            Routing()
            if fresh
            else await asyncio.to_thread(self._route, message.chat_id, user.id, message)
        )
        files = await fetch_files(context.bot, message, self.app.config.telegram.max_file_bytes)
        envelope = Envelope(
            update=self.raw_updates[update.update_id],
            about=routing.about,
            answers=routing.answers,
            files=files,
        )
        held = routing.hold is not None
        raw_id = await asyncio.to_thread(self.inbox.store, update.update_id, envelope, held=held)
        if raw_id is None:
            return
        if routing.hold is not None:
            await self._ask_which(update, raw_id, routing.hold)
            return
        await self._process(raw_id)

    def _route(self, chat: int, user: int, message: Any) -> Routing:
        with self.app.sessions() as session:
            if repo.channel_value(session, CHANNEL, f"new:{chat}"):
                return Routing()  # after /new: a new report, whatever else is open
            form = load_form(session, CHANNEL, conversation_key(chat))
            replied = message.reply_to_message
            if form is not None and form.asking is not None:
                if replied is None:
                    return Routing(about=form.anchor, answers=form.asking)
                ticket = repo.ticket_of_message_ids(
                    session, CHANNEL, [message_key(chat, replied.message_id)]
                )
                if ticket is not None and ticket.reference == form.ticket:
                    return Routing(about=form.anchor, answers=form.asking)
            if replied is not None:
                return Routing()  # the intake finds the ticket of the message replied to
            tickets = own_tickets(session, user)
            if len(tickets) == 1:
                session.expunge(tickets[0])
                return Routing(hold=tickets[0])
            return Routing()

    async def _ask_which(self, update: Update, raw_id: int, ticket: Ticket) -> None:
        message = update.effective_message
        assert message is not None
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        f"About {ticket.reference}", callback_data=f"{HOLD_PREFIX}{raw_id}:t"
                    )
                ],
                [InlineKeyboardButton("A new report", callback_data=f"{HOLD_PREFIX}{raw_id}:n")],
            ]
        )
        subject = ticket.subject or "your open ticket"
        await replies.reply(
            message,
            wording.WHICH_TICKET.format(ref=ticket.reference, subject=subject),
            keyboard=keyboard,
        )

    async def _process(self, raw_id: int) -> None:
        await asyncio.to_thread(self.app.intake.process, raw_id)
        await self.flush_outbox()

    async def flush_outbox(self) -> None:
        """Deliver what was just queued now, not at the worker's next round (chat is live)."""
        try:
            await asyncio.to_thread(self.app.outbox.flush)
        except Exception:  # the outbox worker delivers it later
            log.exception("telegram: immediate outbox flush failed")

    # -- buttons -----------------------------------------------------------------------------

    async def button(self, update: Update, context: Context) -> None:
        self.handled.add(update.update_id)
        await self.buttons.pressed(update)

    # -- helpers -----------------------------------------------------------------------------

    @property
    def _desk(self) -> str:
        return self.app.config.intake.desk_name

    async def _private(self, update: Update) -> bool:
        """Only private chats: in a group, ticket content would reach other people."""
        chat = update.effective_chat
        if chat is not None and chat.type == "private":
            return True
        self.handled.add(update.update_id)
        claimed = await asyncio.to_thread(self.inbox.claim, update.update_id)
        message = update.effective_message
        if claimed and message is not None and update.callback_query is None:
            await replies.reply(message, wording.PRIVATE_ONLY)
        return False

    async def _command(self, update: Update, text: str) -> None:
        self.handled.add(update.update_id)
        if await asyncio.to_thread(self.inbox.claim, update.update_id):
            await self._reply(update, text)

    async def _reply(self, update: Update, text: str, *, quote: bool = True) -> None:
        """A direct answer (no ticket content of anyone else's): plain text, as a reply."""
        message = update.effective_message
        assert message is not None
        await replies.reply(message, text, quote=quote)
