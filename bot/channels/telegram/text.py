"""Text for the Bot API: escaped for the HTML parse mode, and split under the 4,096-character limit.

Two kinds of text leave the bot. The outbox's messages (anything about a ticket) are sent with
``parse_mode=HTML``, so ``<``, ``>`` and ``&`` are escaped (:func:`split_escaped`). Direct answers
to commands and buttons are sent with no parse mode at all, so they need no escaping, only the
length limit (:func:`split_plain`).
"""

from __future__ import annotations

import html
from collections.abc import Callable

LIMIT = 4096  # characters per message, after entities are parsed (Bot API sendMessage)


def escape(text: str) -> str:
    """Plain text as HTML the Bot API accepts: only ``<``, ``>`` and ``&`` are special."""
    return html.escape(text, quote=False)


def split_escaped(text: str, limit: int = LIMIT) -> list[str]:
    """``text`` escaped, in pieces of at most ``limit`` characters (escaped length counts, to be
    safe), cut at a paragraph or line break when there is one, never inside an entity."""
    return _split(text, limit, escape)


def split_plain(text: str, limit: int = LIMIT) -> list[str]:
    """``text`` as it is (no parse mode), in pieces of at most ``limit`` characters."""
    return _split(text, limit, lambda s: s)


def _split(text: str, limit: int, render: Callable[[str], str]) -> list[str]:
    pieces: list[str] = []
    rest = text.strip()
    while rest:
        cut = _cut(rest, limit, render)
        pieces.append(render(rest[:cut].rstrip()))
        rest = rest[cut:].lstrip("\n ")
    return [p for p in pieces if p] or [""]


def _cut(text: str, limit: int, render: Callable[[str], str]) -> int:
    """The longest prefix whose rendered form fits, ending at a break when possible."""
    if len(render(text)) <= limit:
        return len(text)
    fits, used = 0, 0
    for i, ch in enumerate(text):
        used += len(render(ch))
        if used > limit:
            break
        fits = i + 1
    head = text[:fits]
    for sep in ("\n\n", "\n", " "):
        at = head.rfind(sep)
        if at > fits // 2:
            return at + len(sep)
    return max(fits, 1)
