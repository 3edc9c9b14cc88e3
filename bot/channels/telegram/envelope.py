"""What is stored for a Telegram message: the update exactly as received, plus what the adapter
knew when it arrived.

Telegram sends a message's files as ids to be fetched later; its text may answer a question
the bot asked in a form. Both are resolved *before* the record is stored, so the stored record
is complete on its own: :func:`bot.channels.telegram.intake.parse_stored` is a pure function of
it, and a replay (after a crash, or by an operator) reads it the same way — even when Telegram's
file links have expired (they last about an hour) or the form has moved on.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class StoredFile:
    filename: str
    content_type: str
    size: int
    data: bytes | None  # None: not fetched (over the size limit); the customer was told


@dataclass(frozen=True, slots=True)
class Envelope:
    update: dict[str, Any]  # the Bot API update, as received
    about: str | None = None  # external id of the ticket's anchor message, when known
    answers: str | None = None  # the field the bot's pending question asked for
    text: str | None = None  # the answer a button stands for ("Stated priority: P1")
    files: tuple[StoredFile, ...] = field(default=())

    def to_bytes(self) -> bytes:
        files = [
            {
                "filename": f.filename,
                "content_type": f.content_type,
                "size": f.size,
                "data": base64.b64encode(f.data).decode() if f.data is not None else None,
            }
            for f in self.files
        ]
        body = {
            "update": self.update,
            "about": self.about,
            "answers": self.answers,
            "text": self.text,
            "files": files,
        }
        return json.dumps(body, ensure_ascii=False).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Envelope:
        body = json.loads(data)
        files = tuple(
            StoredFile(
                f["filename"],
                f["content_type"],
                int(f["size"]),
                base64.b64decode(f["data"]) if f.get("data") is not None else None,
            )
            for f in body.get("files", ())
        )
        return cls(
            update=body["update"],
            about=body.get("about"),
            answers=body.get("answers"),
            text=body.get("text"),
            files=files,
        )


def message_of(update: dict[str, Any]) -> dict[str, Any]:
    """The message an update carries (a callback's is the bot's message with the buttons)."""
    for key in ("message", "edited_message"):
        if key in update:
            return dict(update[key])
    if "callback_query" in update:
        return dict(update["callback_query"].get("message") or {})
    return {}


def sender_of(update: dict[str, Any]) -> dict[str, Any]:
    if "callback_query" in update:
        return dict(update["callback_query"]["from"])
    return dict(message_of(update).get("from") or {})
