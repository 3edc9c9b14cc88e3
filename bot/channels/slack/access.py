"""Who may act on tickets from Slack: the configured engineers, and optionally the triage
channel's members. Everyone else is refused politely and nothing changes."""

from __future__ import annotations

import logging
from typing import Final

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import SlackConfig

log = logging.getLogger(__name__)

REFUSAL: Final = (
    "Sorry — only the support desk's engineers can work tickets from Slack, so nothing was "
    "changed. If you should be one, ask the desk's admin to add your Slack user id."
)


class Access:
    def __init__(self, config: SlackConfig) -> None:
        self.engineers = frozenset(config.engineers)
        self.channel = config.triage_channel
        self.members_may_act = config.triage_members_may_act

    async def may_act(self, client: AsyncWebClient, user: str) -> bool:
        if user in self.engineers:
            return True
        if not self.members_may_act or not user:
            return False
        return user in await self._members(client)

    async def _members(self, client: AsyncWebClient) -> set[str]:
        """Asked each time rather than cached: someone removed from the channel loses access at
        once (the call is cheap next to the click that caused it)."""
        members: set[str] = set()
        cursor: str | None = None
        try:
            while True:
                page = await client.conversations_members(
                    channel=self.channel, cursor=cursor, limit=200
                )
                members.update(str(m) for m in page.get("members") or [])
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    return members
        except SlackApiError as exc:  # cannot tell: refuse (fail closed)
            log.warning("slack: channel members unknown", extra={"error": str(exc)})
            return set()
