"""The ticket feed: tails the audit trail and customer messages, and posts them to Slack.

New tickets become triage cards; every later event and customer follow-up goes into the card's
thread, and the card is redrawn in place (``chat.update``) when its ticket changed.

Several ``intake-bot run`` instances may share one PostgreSQL. Only the instance holding the
**feed lease** (a row in ``channel_state``, taken under ``SELECT … FOR UPDATE`` and renewed on
every pass) posts; it reads in id order from two cursors (events, inbound messages) and advances
a cursor, in a transaction that checks the lease is still its own, right after each post.

Trade-off: **at-least-once**. A post is sent before its cursor moves, so a crash (or a lost
lease) between the two makes the next holder post that one item again — a duplicated line in a
thread. The other order (claim, then post) would instead lose the line for good, and a lost
"delivery failed" is worse for the desk than a repeated one. With the lease held by one instance
at a time, a duplicate needs a crash or a pass that outlives the lease, not mere concurrency; and
the lease keeps the thread in order, which per-item claims by racing instances would not.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot import leases
from bot.channels.slack import state
from bot.channels.slack.card import card_blocks, card_text
from bot.channels.slack.text import messages_for
from bot.channels.slack.thread import event_text, follow_up_text
from bot.config import SlaConfig
from bot.ticket_view import ticket_json
from storage import repositories as repo
from storage.models import Attachment, Event, FieldValue, Message, Ticket

log = logging.getLogger(__name__)

EVENTS_CURSOR = "feed:events"
MESSAGES_CURSOR = "feed:messages"
LEASE_NAME = "slack:feed"
_BATCH = 50
# Slack answers these for a message that can never be posted: skip it rather than stall the feed.
_PERMANENT = frozenset({"invalid_blocks", "msg_too_long", "no_text", "invalid_arguments"})
_DELIVERY = frozenset({"reply_sent", "delivery_failed"})


@dataclass(frozen=True, slots=True)
class _Item:
    cursor: str  # which cursor this item advances
    id: int
    at: datetime
    ticket_id: int
    reference: str
    text: str | None  # the thread line; None: only the card changes


class LeaseLostError(Exception):
    """Another instance holds the feed now: this one stops posting."""


class SlackFeed:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        client: AsyncWebClient,
        channel: str,
        clock: Callable[[], datetime],
        *,
        lease: timedelta = timedelta(seconds=60),
        poll_seconds: float = 2.0,
        owner: str | None = None,
        sla: SlaConfig | None = None,
    ) -> None:
        self.sessions = sessions
        self.sla = sla
        self.client = client
        self.channel = channel
        self.clock = clock
        self.lease = lease
        self.poll_seconds = poll_seconds
        self.owner = owner or leases.holder_name()

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.step()
            except Exception:  # the feed must outlive Slack outages and database blips
                log.exception("slack feed pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.poll_seconds)

    async def step(self) -> int:
        """One pass: post what is new (if this instance holds the lease); returns items done."""
        if not await asyncio.to_thread(self._hold_lease):
            return 0
        items = await asyncio.to_thread(self._read)
        touched: dict[int, str] = {}
        carded: set[int] = set()
        done = 0
        try:
            for item in items:
                ts = await self._card(item, carded)
                if item.text is not None:
                    try:
                        await self._post(item.text, ts)
                    except SlackApiError as exc:
                        if exc.response.get("error") not in _PERMANENT:
                            raise
                        log.warning("slack feed: item skipped", extra={"error": str(exc)})
                await asyncio.to_thread(self._advance, item)
                touched[item.ticket_id] = item.reference
                done += 1
        except LeaseLostError:
            log.info("slack feed lease lost", extra={"owner": self.owner})
        except SlackApiError as exc:
            log.warning("slack feed: will retry", extra={"error": str(exc)})
        for ticket_id, reference in touched.items():
            if ticket_id not in carded:
                await self._update_card(ticket_id, reference)
        return done

    # -- Slack ---------------------------------------------------------------------------------

    async def _card(self, item: _Item, carded: set[int]) -> str:
        """The ts of the ticket's card, posting the card first if it has none yet."""
        ts = await asyncio.to_thread(self._card_ts, item.reference)
        if ts is not None:
            return ts
        data, assignee = await asyncio.to_thread(self._render, item.ticket_id)
        try:
            response = await self.client.chat_postMessage(
                channel=self.channel,
                text=card_text(data),
                blocks=card_blocks(data, assignee, self.sla),
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            if exc.response.get("error") not in _PERMANENT:
                raise
            # Blocks Slack will never take: a plain card still gives the ticket its thread.
            log.warning("slack card without blocks", extra={"error": str(exc)})
            response = await self.client.chat_postMessage(
                channel=self.channel, text=card_text(data), unfurl_links=False, unfurl_media=False
            )
        ts = str(response["ts"])
        channel = str(response.get("channel") or self.channel)
        await asyncio.to_thread(self._remember, item.reference, channel, ts)
        carded.add(item.ticket_id)
        return ts

    async def _post(self, text: str, thread_ts: str) -> None:
        for fallback, blocks in messages_for(text):
            await self.client.chat_postMessage(
                channel=self.channel,
                thread_ts=thread_ts,
                text=fallback,
                blocks=blocks,
                unfurl_links=False,
                unfurl_media=False,
            )

    async def _update_card(self, ticket_id: int, reference: str) -> None:
        ts = await asyncio.to_thread(self._card_ts, reference)
        if ts is None:
            return
        data, assignee = await asyncio.to_thread(self._render, ticket_id)
        try:
            await self.client.chat_update(
                channel=self.channel,
                ts=ts,
                text=card_text(data),
                blocks=card_blocks(data, assignee, self.sla),
            )
        except SlackApiError as exc:  # the card is redrawn again on the ticket's next change
            log.warning("slack card not updated", extra={"reference": reference, "error": str(exc)})

    # -- database (run in a worker thread) -----------------------------------------------------

    def _hold_lease(self, session: Session | None = None) -> bool:
        """Take or renew the lease; False while another live instance holds it."""
        if session is None:
            with self.sessions.begin() as own:
                return self._hold_lease(own)
        return leases.hold(
            session, LEASE_NAME, self.owner, self.clock(), self.lease.total_seconds()
        )

    def _read(self) -> list[_Item]:
        with self.sessions() as session:
            after_event = int(repo.channel_value(session, state.CHANNEL, EVENTS_CURSOR) or 0)
            after_message = int(repo.channel_value(session, state.CHANNEL, MESSAGES_CURSOR) or 0)
            events = self._events(session, after_event)
            messages = self._follow_ups(session, after_message)
        # A full batch may have more behind it: the other stream waits for it past its last time,
        # so a later pass cannot post an earlier item after a later one.
        for full, other in ((events, messages), (messages, events)):
            if len(full) == _BATCH:
                other[:] = [i for i in other if i.at <= full[-1].at]
        # Interleave the two streams by time; a follow-up goes before the events it caused.
        return sorted(events + messages, key=lambda i: (i.at, i.cursor != MESSAGES_CURSOR, i.id))

    def _events(self, session: Session, after: int) -> list[_Item]:
        rows = session.execute(
            select(Event, Ticket.reference)
            .join(Ticket, Ticket.id == Event.ticket_id)
            .where(Event.id > after)
            .order_by(Event.id)
            .limit(_BATCH)
        ).all()
        items = []
        for event, reference in rows:
            sent = _sent_text(session, event) if event.kind == "reply_queued" else None
            kind = _reply_kind(session, event) if event.kind in _DELIVERY else None
            text = event_text(event.kind, event.actor, event.detail or {}, sent, kind)
            if event.kind == "note_added" and _quiet(session, reference, event.detail):
                text = None
            assert event.ticket_id is not None
            items.append(_Item(EVENTS_CURSOR, event.id, event.at, event.ticket_id, reference, text))
        return items

    def _follow_ups(self, session: Session, after: int) -> list[_Item]:
        rows = session.execute(
            select(Message, Ticket.reference)
            .join(Ticket, Ticket.id == Message.ticket_id)
            .where(Message.id > after, Message.direction == "in")
            .order_by(Message.id)
            .limit(_BATCH)
        ).all()
        items = []
        for message, reference in rows:
            assert message.ticket_id is not None
            first = session.scalar(
                select(func.min(Message.id)).where(
                    Message.ticket_id == message.ticket_id, Message.direction == "in"
                )
            )
            text = None
            if message.id != first and not message.automatic:  # the first is the card itself
                text = _follow_up(session, message)
            items.append(
                _Item(MESSAGES_CURSOR, message.id, message.at, message.ticket_id, reference, text)
            )
        return items

    def _advance(self, item: _Item) -> None:
        with self.sessions.begin() as session:
            if not self._hold_lease(session):
                raise LeaseLostError
            repo.set_channel_value(session, state.CHANNEL, item.cursor, str(item.id), self.clock())

    def _card_ts(self, reference: str) -> str | None:
        with self.sessions() as session:
            return state.card_ts(session, reference)

    def _remember(self, reference: str, channel: str, ts: str) -> None:
        with self.sessions.begin() as session:
            state.remember_card(session, reference, channel, ts, self.clock())

    def _render(self, ticket_id: int) -> tuple[dict[str, Any], str | None]:
        with self.sessions() as session:
            ticket = session.get(Ticket, ticket_id)
            assert ticket is not None
            return ticket_json(session, ticket), ticket.assignee


def quiet_note_key(reference: str, text: str) -> str:
    """Marks a note typed in the ticket's thread: it is there already, so the feed does not
    repeat it (notes from the CLI or ``/ticket … note`` are posted)."""
    digest = hashlib.sha256(text.strip()[:500].encode()).hexdigest()[:24]
    return f"quiet-note:{reference}:{digest}"


def _quiet(session: Session, reference: str, detail: dict[str, Any] | None) -> bool:
    text = str((detail or {}).get("text") or "")
    key = quiet_note_key(reference, text)
    return repo.channel_value(session, state.CHANNEL, key) is not None


def _reply_kind(session: Session, event: Event) -> str | None:
    """What a delivered (or failed) message was: the ``reply_kind`` it was queued with."""
    message_id = (event.detail or {}).get("message_id")
    if not message_id:
        return None
    queued = session.scalars(
        select(Event)
        .where(
            Event.ticket_id == event.ticket_id, Event.kind == "reply_queued", Event.id < event.id
        )
        .order_by(Event.id.desc())
    )
    for row in queued:
        if (row.detail or {}).get("message_id") == message_id:
            return str((row.detail or {}).get("reply_kind") or "") or None
    return None


def _sent_text(session: Session, event: Event) -> str | None:
    """The words an engineer sent (automatic replies are not repeated in the thread)."""
    detail = event.detail or {}
    if not str(detail.get("reply_kind") or "").startswith("engineer_"):
        return None
    message_id = detail.get("message_id")
    if not message_id:
        return None
    message = session.scalars(
        select(Message).where(Message.direction == "out", Message.external_id == str(message_id))
    ).first()
    return message.text_full if message is not None else None


def _follow_up(session: Session, message: Message) -> str:
    fields = session.scalars(
        select(FieldValue)
        .where(FieldValue.message_id == message.id, FieldValue.status == "current")
        .order_by(FieldValue.id)
    ).all()
    attachments = session.scalar(
        select(func.count(Attachment.id)).where(Attachment.message_id == message.id)
    )
    return follow_up_text(
        message.channel,
        message.sender_name or message.sender,
        message.text_reply or message.text_full or "",
        [(fv.key, fv.value) for fv in fields],
        int(attachments or 0),
    )
