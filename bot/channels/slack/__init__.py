"""Slack: engineers see every ticket in a triage channel and work it from Slack (issue #5)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.channels.slack.service import SlackService

if TYPE_CHECKING:
    from bot.app import App, Service


def slack_service(app: App) -> Service:
    """The service ``intake-bot run`` starts when ``[slack] enabled``."""
    return SlackService(app)


__all__ = ["SlackService", "slack_service"]
