"""Storing what arrives, once per update, before anything acts on it.

An update counts as dealt with (and the polling offset may pass it) once it is *claimed* in
``channel_state`` (``update:<id>``). A message for the intake is stored raw first and claimed
in the next transaction; should a crash fall between the two, the stored message is still
processed (the processor's sweep) and its re-delivery is a duplicate by content for the intake's
own dedupe step — no effect twice, nothing lost. A command or a button press is claimed in the
same transaction as its effect.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from bot.channels.telegram.envelope import Envelope
from storage import repositories as repo
from storage.models import RawMessage

if TYPE_CHECKING:
    from bot.app import App

CHANNEL = "telegram"


def update_key(update_id: int) -> str:
    return f"update:{update_id}"


class Inbox:
    def __init__(self, app: App) -> None:
        self.app = app

    def seen(self, update_id: int) -> bool:
        with self.app.sessions() as session:
            return repo.channel_value(session, CHANNEL, update_key(update_id)) is not None

    def store(self, update_id: int, envelope: Envelope, *, held: bool = False) -> int | None:
        """Store a message for the intake; its raw id, or None when the update was seen."""
        raw_id = self.app.intake.store_raw(envelope.to_bytes(), channel=CHANNEL, mailbox=CHANNEL)
        with self.app.sessions.begin() as session:
            now = self.app.clock()
            raw = session.get(RawMessage, raw_id)
            assert raw is not None
            if not repo.claim_once(session, CHANNEL, update_key(update_id), now, str(raw_id)):
                raw.status, raw.outcome = "duplicate", f"telegram update {update_id} seen before"
                return None
            if held:  # waits for the customer to say which ticket it is about
                raw.status, raw.outcome = "held", "waiting for the customer's choice of ticket"
            # a new-report request is used up by the message it was for
            if repo.channel_value(session, CHANNEL, f"new:{_chat_of(envelope)}"):
                repo.set_channel_value(session, CHANNEL, f"new:{_chat_of(envelope)}", "", now)
        return raw_id

    def claim(self, update_id: int, effect: Callable[[Session], str] | None = None) -> bool:
        """Claim an update with its effect, in one transaction; False when seen before."""
        with self.app.sessions.begin() as session:
            now = self.app.clock()
            if not repo.claim_once(session, CHANNEL, update_key(update_id), now):
                return False
            if effect is not None:
                repo.set_channel_value(
                    session, CHANNEL, update_key(update_id), effect(session), now
                )
            return True


def replace_envelope(raw: RawMessage, envelope: Envelope) -> None:
    """Record the customer's later decision (which ticket a held message is about)."""
    raw.data = envelope.to_bytes()
    raw.sha256 = hashlib.sha256(raw.data).hexdigest()


def _chat_of(envelope: Envelope) -> str:
    from bot.channels.telegram.envelope import message_of

    return str(message_of(envelope.update).get("chat", {}).get("id", ""))
