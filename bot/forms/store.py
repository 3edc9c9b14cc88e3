"""Keeping a conversation's form in ``channel_state``, in the caller's transaction.

The database, not the chat library's persistence, is the source of truth: a restarted bot (or
another instance) carries on with the question it last asked.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime

from sqlalchemy.orm import Session

from bot.forms.engine import FormState
from storage import repositories as repo


def _key(conversation: str) -> str:
    return f"form:{conversation}"


def load_form(session: Session, channel: str, conversation: str) -> FormState | None:
    raw = repo.channel_value(session, channel, _key(conversation))
    if not raw:
        return None
    data = json.loads(raw)
    return FormState(
        ticket=data["ticket"],
        anchor=data["anchor"],
        asking=data.get("asking"),
        tries=int(data.get("tries", 0)),
        skipped=tuple(data.get("skipped", ())),
        optional=tuple(data.get("optional", ())),
        done=bool(data.get("done", False)),
    )


def save_form(
    session: Session, channel: str, conversation: str, state: FormState, now: datetime
) -> None:
    repo.set_channel_value(session, channel, _key(conversation), json.dumps(asdict(state)), now)


def clear_form(session: Session, channel: str, conversation: str, now: datetime) -> None:
    """No form in progress (an empty value: the row is kept, it is cheap and reused)."""
    if repo.channel_value(session, channel, _key(conversation)):
        repo.set_channel_value(session, channel, _key(conversation), "", now)
