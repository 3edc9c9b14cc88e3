"""The Telegram channel: customers report and follow faults in a private chat with the bot."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

# PTB 22's opt-in to time periods as ``timedelta`` (the next major version's only behaviour).
# Without it, PTB warns from inside its own ``RetryAfter`` constructor on every 429, and our
# tests turn warnings into errors. Nothing of ours reads a PTB duration as an int.
os.environ.setdefault("PTB_TIMEDELTA", "true")

if TYPE_CHECKING:
    from bot.app import App, Service


def telegram_service(app: App) -> Service:
    """The channel's service (polling or webhook, as configured) for ``intake-bot run``."""
    from bot.channels.telegram.service import TelegramChannel

    return TelegramChannel(app)
