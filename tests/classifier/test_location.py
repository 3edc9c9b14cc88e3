"""Equipment location: labelled, addresses with UK/ZA postcodes, sites, rooms; not for queries."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.classifier import Extraction

Extract = Callable[..., Extraction]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Location: Unit 4, Riverside Park, Leeds LS10 1AB\nPSU dead", "LS10 1AB"),
        ("The PSU failed. Kit is at 14 Wharf Road, London N1 7GR in comms room B", "N1 7GR"),
        ("PSU dead on the switch at 41 Cape Road, Mill Park, Gqeberha 6001", "6001"),
        ("The FortiGate at our Cape Town office is dead", "Cape Town office"),
        ("the switch in the server room has no power", "server room"),
        ("3rd floor users have no network, switch is dead", "3rd floor"),
    ],
)
def test_locations(extract: Extract, text: str, fragment: str) -> None:
    value = extract(text).value("location")
    assert value is not None
    assert fragment in value


def test_email_header_dates_are_not_addresses(extract: Extract) -> None:
    result = extract("PSU failed.", quoted="Sent: 27 January 2026 11:02\nFrom: x")
    assert result.value("location") is None


def test_query_has_no_equipment_location(extract: Extract) -> None:
    text = "Can you quote for 6 R750 brackets, delivered to our Sea Point office?"
    assert extract(text).value("location") is None
