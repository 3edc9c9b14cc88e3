"""Pure parts: mrkdwn escaping, splitting at Slack's limits, and ``/ticket``'s grammar."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.slack.command import Command, age, assignee, parse
from bot.channels.slack.text import (
    BLOCKS_LIMIT,
    SECTION_LIMIT,
    escape,
    messages_for,
    split_text,
    to_plain,
)
from bot.tickets.actions import TicketActionError


def test_escape_the_three_characters_slack_documents() -> None:
    assert escape("a & b <@U1> <!channel> >") == "a &amp; b &lt;@U1&gt; &lt;!channel&gt; &gt;"


@given(st.text(alphabet="ab &<>\n", max_size=9000), st.integers(min_value=20, max_value=3000))
def test_split_keeps_every_piece_within_the_limit(text: str, limit: int) -> None:
    escaped = escape(text)
    pieces = split_text(escaped, limit)
    assert all(len(p) <= limit for p in pieces)
    assert all(
        not p.endswith(("&", "&a", "&am", "&l", "&g", "&amp", "&lt", "&gt")) or p == escaped
        for p in pieces[:-1]
    )
    # nothing but the whitespace at a cut is lost
    assert "".join(pieces).replace(" ", "").replace("\n", "") == escaped.replace(" ", "").replace(
        "\n", ""
    )


def test_a_huge_text_becomes_several_messages_of_at_most_fifty_blocks() -> None:
    text = "x" * (SECTION_LIMIT * (BLOCKS_LIMIT + 3))
    messages = messages_for(text)
    assert [len(blocks) for _, blocks in messages] == [BLOCKS_LIMIT, 3]
    assert all(len(fallback) <= SECTION_LIMIT for fallback, _ in messages)


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("", Command("help")),
        ("help", Command("help")),
        ("list", Command("list")),
        ("SR-2026-000042-K", Command("show", "SR-2026-000042-K")),
        ("SR-2026-000042-K priority p2", Command("priority", "SR-2026-000042-K", "p2")),
        (
            "SR-2026-000042-K reply A &amp; B &lt;3",
            Command("reply", "SR-2026-000042-K", "A & B <3"),
        ),
        (
            "SR-2026-000042-K assign <@U123|ann>",
            Command("assign", "SR-2026-000042-K", "<@U123|ann>"),
        ),
    ],
)
def test_ticket_command_grammar(text: str, command: Command) -> None:
    assert parse(text) == command


def test_unknown_action_and_bad_assignee_are_clear_errors() -> None:
    with pytest.raises(TicketActionError, match="unknown action 'close'"):
        parse("SR-2026-000042-K close now")
    assert assignee("<@U123|ann>", "U9") == "U123"
    assert assignee("<@W0ABC>", "U9") == "W0ABC"
    assert assignee("me", "U9") == "U9"
    with pytest.raises(TicketActionError, match="mention a user"):
        assignee("ann", "U9")


@pytest.mark.parametrize(
    ("sent", "typed"),
    [
        ("A &amp; B &lt;3 &gt;", "A & B <3 >"),
        ("&amp;lt; stays", "&lt; stays"),  # typed literally: Slack escaped the &
        ("see <https://kb.example/1>", "see https://kb.example/1"),
        ("see <https://kb.example/1|the guide>", "see the guide (https://kb.example/1)"),
        ("<https://kb.example/1|kb.example/1>", "https://kb.example/1"),
        ("<https://x.example/?a=1&amp;b=2>", "https://x.example/?a=1&b=2"),
        ("mail <mailto:a@b.example|a@b.example>", "mail a@b.example"),
        ("ask <@U0TOM|tom> and <@W0ANN>", "ask @tom and @W0ANN"),
        ("in <#C0DESK|desk>", "in #desk"),
        ("<!here> <!channel>", "@here @channel"),
        ("<!subteam^S0NET|@network>", "@network"),
        ("plain text", "plain text"),
    ],
)
def test_slack_markup_becomes_what_the_person_typed(sent: str, typed: str) -> None:
    assert to_plain(sent) == typed


def test_age_reads_at_a_glance() -> None:
    assert age(timedelta(minutes=7, seconds=59)) == "7m"
    assert age(timedelta(hours=4)) == "4h 0m"
    assert age(timedelta(days=2, hours=3, minutes=5)) == "2d 3h"
    assert age(timedelta(seconds=-5)) == "0m"  # a clock skew is no negative age
