"""Separating the customer's new text from quoted history, with a well-kept library.

``mail-parser-reply`` knows the "On … wrote:" / "-----Original Message-----" / "Von: … Gesendet:"
shapes of many mailers and languages. The signature stays with the reply on purpose: it is where
customers put their name, company and phone number.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from mailparser_reply import EmailReplyParser

# Languages whose reply headers we recognise. Customers are in the UK and South Africa, but they
# forward mail from vendors and partners abroad; each language costs ~0.02 ms a message.
LANGUAGES = ("en", "de", "fr", "nl", "es", "it")


@dataclass(frozen=True, slots=True)
class SplitText:
    reply: str
    quoted: str


@lru_cache(maxsize=1)
def _parser() -> EmailReplyParser:
    return EmailReplyParser(languages=list(LANGUAGES))


def split_reply(text: str) -> SplitText:
    """Split ``text`` into the newest reply and everything quoted below it."""
    if not text.strip():
        return SplitText(reply="", quoted="")
    try:
        replies = _parser().read(text).replies
    except Exception:  # a third-party regex edge case must never lose the text
        return SplitText(reply=text.strip(), quoted="")
    if not replies:
        return SplitText(reply=text.strip(), quoted="")
    reply = (replies[0].content or "").strip()
    quoted = "\n\n".join((r.content or "").strip() for r in replies[1:]).strip()
    if not reply and quoted:
        # Top-posted nothing: a bare forward. The history *is* the report.
        return SplitText(reply="", quoted=quoted)
    return SplitText(reply=reply, quoted=quoted)
