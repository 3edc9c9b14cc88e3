"""What each customer channel plugs into the shared intake: how its stored bytes are read, and
how the reply is written.

Everything between (dedupe, screen, thread, extract, ticket, merge, targets, decide) is the same
for every channel. A channel's module is imported only when a message of that channel is
processed, so email-only installations never import the chat libraries.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, cast

from bot.channels.email.parse import parse_email
from bot.messages import InboundMessage

if TYPE_CHECKING:
    from bot.intake.context import IntakeContext
    from storage.models import RawMessage

ParseStored = Callable[["RawMessage"], InboundMessage]
ComposeReply = Callable[["IntakeContext"], None]

# channel → "module:function" reading a stored raw message of that channel.
_PARSERS = {
    "telegram": "bot.channels.telegram.intake:parse_stored",
}
# channel → "module:function" writing the reply for that channel (email: bot/intake/steps/reply).
_COMPOSERS = {
    "telegram": "bot.channels.telegram.intake:compose_reply",
}


def parse_stored(raw: RawMessage) -> InboundMessage:
    """The stored message as the pipeline reads it, whatever channel it came in on."""
    if raw.channel == "email":
        return parse_email(
            raw.data,
            mailbox=raw.mailbox,
            received_at=raw.received_at,
            envelope_from=raw.envelope_from,
        )
    target = _PARSERS.get(raw.channel)
    if target is None:
        raise ValueError(f"no parser for channel {raw.channel!r}")
    return cast(ParseStored, _load(target))(raw)


def reply_composer(channel: str) -> ComposeReply | None:
    """The channel's own reply writer, or None for the email reply."""
    target = _COMPOSERS.get(channel)
    return cast(ComposeReply, _load(target)) if target else None


@cache
def _load(target: str) -> object:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)
