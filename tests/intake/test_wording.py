"""How replies word priorities the customer claimed, and phone numbers."""

from __future__ import annotations

import pytest

from bot.intake.steps.reply import reply_subject
from bot.intake.wording import display_phone, stated_level, stated_note


@pytest.mark.parametrize(
    ("stated", "level"),
    [
        ("URGENT!!!", "P1"),
        ("P1", "P1"),
        ("critical", "P1"),
        ("not urgent", "P4"),
        ("low priority", "P4"),
        ("High", "P2"),
        ("medium", "P3"),
        ("whatever", None),
        (None, None),
    ],
)
def test_stated_level(stated: str | None, level: str | None) -> None:
    assert stated_level(stated) == level


def test_stated_note_only_when_levels_differ() -> None:
    assert stated_note("URGENT", "P1") is None
    higher = stated_note("URGENT", "P3")
    assert higher is not None
    assert "please reply" in higher
    lower = stated_note("no rush", "P1")
    assert lower is not None
    assert "it is a P1" in lower


def test_display_phone() -> None:
    assert display_phone("+27215550143") == "+27 21 555 0143"
    assert display_phone("+442079460958") == "+44 20 7946 0958"
    assert display_phone("not a number") == "not a number"


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("Firewall down", "Re: Firewall down [SR-2026-000001-V]"),
        ("Re: RE: AW: Firewall down", "Re: Firewall down [SR-2026-000001-V]"),
        ("Re: Firewall down [SR-2026-000001-V]", "Re: Firewall down [SR-2026-000001-V]"),
        ("", "Re: Your support request [SR-2026-000001-V]"),
    ],
)
def test_reply_subject_never_stacks(original: str, expected: str) -> None:
    assert reply_subject(original, "SR-2026-000001-V") == expected
