"""Direct answers through PTB's ``Bot`` (commands, button presses): flood control honoured, long
texts split, sent as plain text (no parse mode, so nothing in them can be read as markup).

Anything about a ticket goes through the outbox instead (:mod:`bot.channels.telegram.outbox`).
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from typing import TypeVar

from telegram import InlineKeyboardMarkup, Message, ReplyParameters
from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.channels.telegram.text import split_plain

log = logging.getLogger(__name__)

T = TypeVar("T")
MAX_RETRY_AFTER = 30.0  # seconds; a longer flood wait fails the call (the customer can ask again)
ATTEMPTS = 3


def retry_seconds(exc: RetryAfter) -> float:
    """The wait Telegram asked for, in seconds (PTB 22 warns on reading it as an int)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def flood_safe(call: Callable[[], Awaitable[T]]) -> T:
    """``call()``, again after the wait a 429 (``RetryAfter``) asks for, up to :data:`ATTEMPTS`."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await call()
        except RetryAfter as exc:
            wait = retry_seconds(exc)
            if wait > MAX_RETRY_AFTER or attempt == ATTEMPTS:
                raise
            log.info("telegram flood control", extra={"retry_after": wait})
            await asyncio.sleep(wait)
    raise AssertionError("unreachable")


async def reply(
    message: Message,
    text: str,
    *,
    quote: bool = True,
    keyboard: InlineKeyboardMarkup | None = None,
) -> None:
    """Answer ``message`` in its chat: the first piece as a reply to it (when ``quote``), the
    keyboard under the last piece."""
    pieces = split_plain(text)
    for i, piece in enumerate(pieces):
        parameters = (
            ReplyParameters(message.message_id, allow_sending_without_reply=True)
            if quote and i == 0
            else None
        )
        markup = keyboard if i == len(pieces) - 1 else None

        send = partial(
            message.reply_text,
            piece,
            reply_parameters=parameters,
            reply_markup=markup,
            do_quote=False,
        )
        await flood_safe(send)
