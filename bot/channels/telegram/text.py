"""Text for the Bot API's HTML parse mode: escaped, and split under the 4,096-character limit."""

from __future__ import annotations

import html

LIMIT = 4096  # characters per message, after entities are parsed (Bot API sendMessage)


def escape(text: str) -> str:
    """Plain text as HTML the Bot API accepts: only ``<``, ``>`` and ``&`` are special."""
    return html.escape(text, quote=False)


def split_escaped(text: str, limit: int = LIMIT) -> list[str]:
    """``text`` escaped, in pieces of at most ``limit`` characters (escaped length counts, to be
    safe), cut at a paragraph or line break when there is one, never inside an entity."""
    pieces: list[str] = []
    rest = text.strip()
    while rest:
        cut = _cut(rest, limit)
        pieces.append(escape(rest[:cut].rstrip()))
        rest = rest[cut:].lstrip("\n ")
    return [p for p in pieces if p] or [""]


def _cut(text: str, limit: int) -> int:
    """The longest prefix whose escaped form fits, ending at a break when possible."""
    if len(escape(text)) <= limit:
        return len(text)
    fits, used = 0, 0
    for i, ch in enumerate(text):
        used += len(escape(ch))
        if used > limit:
            break
        fits = i + 1
    head = text[:fits]
    for sep in ("\n\n", "\n", " "):
        at = head.rfind(sep)
        if at > fits // 2:
            return at + len(sep)
    return max(fits, 1)
