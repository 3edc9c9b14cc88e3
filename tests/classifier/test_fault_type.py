"""Fault type: hardware parts failing, software misbehaving, or a plain question."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.classifier import Extraction

Extract = Callable[..., Extraction]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PSU 2 has failed, amber LED, please RMA.", "hardware"),
        ("The unit is dead, no power, no lights at all.", "hardware"),
        ("Port ge-0/0/12 died, no link light with any cable.", "hardware"),
        ("Won't boot after the power cut: flash read error.", "hardware"),
        ("IPsec tunnel keeps dropping since the firmware upgrade.", "software"),
        ("GlobalProtect login fails with a certificate error.", "software"),
        ("Web filter blocks our supplier's site.", "software"),
        ("Which TCP port does the Netop Gateway listen on?", "query"),
        ("Please quote for 50 more host licences.", "query"),
        ("Status of our AP replacement? Any ETA?", "query"),
    ],
)
def test_fault_type(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("fault_type") == expected


def test_always_present(extract: Extract) -> None:
    result = extract("")
    assert result.value("fault_type") in ("hardware", "software", "query")
    assert result.value("severity") in ("P1", "P2", "P3", "P4")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Physical symptoms in lay words are hardware even among software words.
        ("The firewall's little screen is blank and the VPN is down for everyone.", "hardware"),
        ("Router hasn't come back since the power cut, the VPN config is fine.", "hardware"),
        ("The fans are not spinning and the login page is unreachable.", "hardware"),
        # A change just before the fault points at software.
        ("Since we updated it last night the box keeps rebooting every hour.", "software"),
        ("After the migration to the new controller the APs show offline.", "software"),
    ],
)
def test_fault_type_symptoms_and_changes(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("fault_type") == expected
