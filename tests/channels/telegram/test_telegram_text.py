"""Texts for the Bot API's HTML mode: escaped, split under 4,096 characters."""

from __future__ import annotations

from bot.channels.telegram.text import LIMIT, escape, split_escaped, split_plain


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


def test_plain_text_is_split_but_not_escaped() -> None:
    lines = [
        f"SR-2026-{n:06d}-K · P3 · waiting customer — a <long> & winding subject" for n in range(90)
    ]
    pieces = split_plain("\n".join(lines))
    assert len(pieces) == 2
    assert all(len(p) <= LIMIT for p in pieces)
    assert "\n".join(pieces).splitlines() == lines  # cut between lines, nothing lost or changed


def test_a_text_without_breaks_is_cut_hard() -> None:
    pieces = split_escaped("&" * 5000)
    # whole entities only: 819 "&amp;" (4,095 characters) a piece, the last 86 in the seventh
    assert [len(p) for p in pieces] == [4095] * 6 + [430]
    assert "".join(pieces) == "&amp;" * 5000
