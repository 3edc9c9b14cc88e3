"""Delivering the outbox's Telegram rows: ``sendMessage`` as a reply in the customer's chat.

Plain ``httpx`` (sync) rather than PTB's ``Bot``: the outbox worker calls deliverers from a
worker thread with no event loop, and PTB's ``Bot`` is async and bound to the loop its HTTP
client was made in. The Bot API is the same either way, at the configured ``base_url``.

Telegram has no idempotency key, so delivery is at-least-once at the edge: a crash between the
send and recording it sends that message again — never loses it.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy import select

from bot.channels.telegram.text import split_escaped
from bot.config import secret_from_env
from bot.errors import PermanentChannelError, TransientChannelError
from bot.outbox.worker import Deliver
from storage.models import Message, OutboxItem

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

MAX_RETRY_AFTER = 30.0  # a longer flood wait is left to the outbox's own back-off
_PERMANENT = ("chat not found", "bot was blocked", "user is deactivated", "have no rights")


class BotApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: float | None) -> None:
        super().__init__(f"Telegram {status}: {description}")
        self.status = status
        self.description = description
        self.retry_after = retry_after


class BotApi:
    """The few Bot API calls the deliverer makes, with flood control (429) honoured."""

    def __init__(self, base_url: str, token: str, timeout: float = 20.0) -> None:
        self._url = f"{base_url}{token}/"
        self._client = httpx.Client(timeout=timeout)

    def call(self, method: str, params: dict[str, Any], attempts: int = 3) -> dict[str, Any]:
        for attempt in range(attempts):
            try:
                return self._call(method, params)
            except BotApiError as exc:
                wait = exc.retry_after
                if wait is None or wait > MAX_RETRY_AFTER or attempt == attempts - 1:
                    raise
                log.info("telegram flood control", extra={"method": method, "retry_after": wait})
                time.sleep(wait)
        raise AssertionError("unreachable")

    def _call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self._client.post(self._url + method, json=params)
        except httpx.HTTPError as exc:  # the URL holds the token: never log the request
            raise TransientChannelError(f"telegram {method}: {type(exc).__name__}") from None
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code == 200 and body.get("ok"):
            return dict(body.get("result") or {})
        retry_after = (body.get("parameters") or {}).get("retry_after")
        raise BotApiError(
            response.status_code,
            str(body.get("description") or response.reason_phrase),
            float(retry_after) if retry_after is not None else None,
        )

    def __enter__(self) -> BotApi:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()


def telegram_deliverer(app: App) -> Deliver:
    """``(payload, key) -> None`` for the outbox worker; the token is read once, now."""
    config = app.config.telegram
    token = secret_from_env(config.token_env, "telegram.token_env")

    def deliver(payload: dict[str, Any], key: str) -> None:
        chat, reply_to = _target(payload)
        with BotApi(config.base_url, token) as api:  # one client per delivery: nothing left open
            sent_id = _send(api, chat, reply_to, payload)
        _record_sent(app, key, f"telegram:{chat}:{sent_id}")

    return deliver


def _send(api: BotApi, chat: int, reply_to: int | None, payload: dict[str, Any]) -> int:
    pieces = split_escaped(str(payload.get("text") or ""))
    sent_id = 0
    for i, piece in enumerate(pieces):
        params: dict[str, Any] = {"chat_id": chat, "text": piece, "parse_mode": "HTML"}
        if i == 0 and reply_to is not None:
            params["reply_parameters"] = {
                "message_id": reply_to,
                "allow_sending_without_reply": True,  # the customer may have deleted it
            }
        if i == len(pieces) - 1 and payload.get("buttons"):
            params["reply_markup"] = {
                "inline_keyboard": [
                    [{"text": label, "callback_data": data}] for label, data in payload["buttons"]
                ]
            }
        try:
            sent_id = int(api.call("sendMessage", params)["message_id"])
        except BotApiError as exc:
            text = exc.description.lower()
            if exc.status in (400, 403) and any(p in text for p in _PERMANENT):
                raise PermanentChannelError(f"telegram: {exc.description}") from None
            raise TransientChannelError(str(exc)) from None
    return sent_id


def _target(payload: dict[str, Any]) -> tuple[int, int | None]:
    """The chat to write to and the message to answer, from the row's thread and reply-to.

    Only ids of the same chat are used: no ticket content can be sent to another chat.
    """
    thread = str(payload.get("thread_key") or "")
    to = str(payload.get("to") or "")
    chat_text = thread.removeprefix("telegram:") if thread.startswith("telegram:") else ""
    if not chat_text and to.startswith("telegram:"):
        chat_text = to.removeprefix("telegram:")  # a private chat's id is its user's id
    try:
        chat = int(chat_text)
    except ValueError:
        raise PermanentChannelError(f"telegram: no chat to write to ({thread or to})") from None
    reply_to = None
    parts = str(payload.get("in_reply_to") or "").split(":")
    if len(parts) == 3 and parts[0] == "telegram" and parts[1] == str(chat) and parts[2].isdigit():
        reply_to = int(parts[2])
    return chat, reply_to


def _record_sent(app: App, key: str, external_id: str) -> None:
    """A reply to the message we sent finds the ticket (``match_thread`` looks ids up)."""
    with app.sessions.begin() as session:
        message_id = session.scalar(
            select(OutboxItem.message_id).where(OutboxItem.idempotency_key == key)
        )
        row = session.get(Message, message_id) if message_id is not None else None
        if row is not None:
            row.external_id = external_id
