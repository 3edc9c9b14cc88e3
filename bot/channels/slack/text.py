"""Text for Slack: mrkdwn escaping, and splitting long text at Slack's limits.

Slack documents three escapes for text it renders as mrkdwn (``&``, ``<``, ``>``); anything a
customer or an engineer wrote is escaped, so ``<!channel>`` or ``<https://evil|bank>`` in a
report is shown as typed, never as a mention or a disguised link.
"""

from __future__ import annotations

import html
import re
from typing import Any, Final

SECTION_LIMIT: Final = 3000  # characters of a section block's text
MESSAGE_LIMIT: Final = 40_000  # characters of a message's top-level text
BLOCKS_LIMIT: Final = 50  # blocks in one message
HEADER_LIMIT: Final = 150  # characters of a header block's plain text
FIELD_LIMIT: Final = 2000  # characters of one section field

Block = dict[str, Any]


def escape(text: str) -> str:
    """Escape user text for mrkdwn (https://api.slack.com/reference/surfaces/formatting)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Slack's markup in text it sends us: <@U123|name>, <#C123|name>, <!here>, <url|label>, <url>.
_MARKUP: Final = re.compile(r"<([^<>]*)>")


def to_plain(text: str) -> str:
    """Text as Slack sends it (events, slash commands) → what the person typed and saw.

    Mentions become ``@name``, channels ``#name``, links their address (with the label when it
    differs), and ``&amp;``/``&lt;``/``&gt;`` are undone — so a customer reads
    ``https://kb.example/1``, not ``<https://kb.example/1>``.
    """

    def plain(found: re.Match[str]) -> str:
        target, _, label = found.group(1).partition("|")
        if target.startswith("@"):
            return "@" + (label or target[1:])
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!"):
            special = target[1:].split("^", 1)[0]
            if special == "date":
                return label or target
            if special == "subteam":
                return label or "@team"
            return label or "@" + special
        address = target.removeprefix("mailto:") if target.startswith("mailto:") else target
        if not label or label in (target, address, target.partition("://")[2]):
            return address
        return f"{label} ({address})"

    return html.unescape(_MARKUP.sub(plain, text)) if ("<" in text or "&" in text) else text


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at a line break or space when there is one.

    Escaping is done before splitting, so an entity such as ``&amp;`` may not be cut: a piece
    never ends inside one.
    """
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", limit // 2, limit + 1)
        if cut <= 0:
            cut = rest.rfind(" ", limit // 2, limit + 1)
        if cut <= 0:
            cut = limit
            amp = rest.rfind("&", cut - 5, cut)
            if amp != -1 and ";" not in rest[amp:cut]:
                cut = amp  # do not split an entity such as &amp;
        pieces.append(rest[:cut])
        rest = rest[cut:].lstrip("\n ") if rest[cut : cut + 1] in ("\n", " ") else rest[cut:]
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def section(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def messages_for(mrkdwn: str) -> list[tuple[str, list[Block]]]:
    """One or more ``(text, blocks)`` messages carrying ``mrkdwn`` within every limit.

    ``text`` is the notification fallback (clipped), ``blocks`` the sections that hold all of it.
    """
    sections = [section(piece) for piece in split_text(mrkdwn, SECTION_LIMIT)]
    found = []
    for start in range(0, len(sections), BLOCKS_LIMIT):
        chunk = sections[start : start + BLOCKS_LIMIT]
        fallback = clip(chunk[0]["text"]["text"], SECTION_LIMIT)
        found.append((fallback, chunk))
    return found
