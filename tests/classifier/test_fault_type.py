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


# Issue #3 (2026-12-05): written for this test, not taken from a report.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A yes/no question about a possibility is a query, its fault words hypothetical...
        ("Hi, is there a known issue with FortiOS 7.2.5 and LDAP? We plan to upgrade.", "query"),
        ("What time is the Meraki maintenance window this weekend? Will our MXs drop?", "query"),
        ("What does the error 'licence expiring in 30 days' mean on our dashboard?", "query"),
        (
            "Could you advise what we need for failover? No problem at the moment, just planning.",
            "query",
        ),
        # ...a "why" question about what is happening is not.
        ("Why does the VPN keep dropping every hour since the upgrade?", "software"),
        # Resource alarms are a software fault, even asked about.
        (
            "Getting 'IPS engine CPU over 90%' emails all week, users fine. Should I worry?",
            "software",
        ),
        # Physical symptoms in lay words.
        ("The light on the AP is off and it shows offline in the dashboard.", "hardware"),
        ("Port 14 on the EX2300 no longer links up with any cable; other ports fine.", "hardware"),
        ("Port 22 flapping all morning. Moved the PC to port 23, stable there.", "hardware"),
        ("The FortiGate's disk shows 'EXT4-fs error' in the logs and logging stopped.", "hardware"),
        ("The screen on the front of the Check Point is blank and no traffic passes.", "hardware"),
    ],
)
def test_questions_and_physical_symptoms(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("fault_type") == expected
