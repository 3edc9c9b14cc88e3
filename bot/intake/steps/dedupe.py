"""The same message delivered twice has effect once — and a different message is never lost.

A message is a duplicate when we already hold one with the same content hash (a re-delivery, an
IMAP re-fetch, one mail sent to support@ and cc'd to helpdesk@). A Message-ID seen before with
*different* content is not a duplicate: broken mailers and anonymisers reuse ids ("<xxx>"), and
dropping such a mail would lose a customer's report. It is kept under a disambiguated id.
"""

from __future__ import annotations

import dataclasses

from bot.intake.context import IntakeContext, StopIntake
from storage import repositories as repo


def dedupe(ctx: IntakeContext) -> None:
    msg = ctx.inbound
    same_content = repo.inbound_with_content_hash(ctx.session, msg.content_hash)
    if same_content is not None:
        raise StopIntake(f"duplicate of message {same_content.id}", status="duplicate")
    same_id = repo.message_by_external_id(ctx.session, msg.channel, msg.mailbox, msg.external_id)
    if same_id is not None:
        if not msg.content_hash:
            raise StopIntake(f"duplicate of message {same_id.id}", status="duplicate")
        unique = f"{msg.external_id}#{msg.content_hash[:16]}"
        ctx.inbound = dataclasses.replace(msg, external_id=unique)
        ctx.reused_message_id = msg.external_id
