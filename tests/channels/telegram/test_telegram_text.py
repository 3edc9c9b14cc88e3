"""Texts for the Bot API's HTML mode: escaped, split under 4,096 characters."""

from __future__ import annotations

from bot.channels.telegram.text import LIMIT, escape, split_escaped


def test_escaped_for_html() -> None:
    assert escape("a <b> & c") == "a &lt;b&gt; &amp; c"


def test_split_at_the_limit_without_breaking_entities() -> None:
    text = ("line with <tags> & more\n" * 400).strip()
    pieces = split_escaped(text)
    assert len(pieces) > 1
    assert all(len(p) <= LIMIT for p in pieces)
    joined = "\n".join(pieces)
    assert joined.count("&lt;tags&gt;") == 400
    assert "&am\n" not in joined


def test_short_text_is_one_piece() -> None:
    assert split_escaped("hello") == ["hello"]
