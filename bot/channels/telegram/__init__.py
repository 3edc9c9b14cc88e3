"""The Telegram channel: customers report and follow faults in a private chat with the bot."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import App, Service


def telegram_service(app: App) -> Service:
    """The channel's service (polling or webhook, as configured) for ``intake-bot run``."""
    from bot.channels.telegram.service import TelegramChannel

    return TelegramChannel(app)
