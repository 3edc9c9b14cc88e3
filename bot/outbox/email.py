"""The email deliverer: outbox payload → RFC 5322 message → the configured transport."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.channels.email.compose import build_email, date_header
from bot.config import OutboundConfig
from bot.outbox.transports import EmailTransport, email_transport


def email_deliverer(
    config: OutboundConfig, clock: Callable[[], datetime], transport: EmailTransport | None = None
) -> Callable[[dict[str, Any], str], None]:
    chosen = transport or email_transport(config)

    def deliver(payload: dict[str, Any], key: str) -> None:
        chosen.send(build_email(payload, config, date_header(clock())), key)

    return deliver
