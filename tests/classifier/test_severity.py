"""Severity by the desk's definitions; workarounds lower it; shouting is only stated_severity."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.classifier import Extraction

Extract = Callable[..., Extraction]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The firewall is down, whole office has no internet since 8am.", "P1"),
        ("Nothing at HQ can reach the internet - all ~90 users down.", "P1"),
        ("Branch router dead since the power cut, staff have been sent home.", "P1"),
        ("3rd floor users have no network since 9, other floors ok.", "P2"),
        ("The site to site VPN to the branch is down, branch cannot reach ERP.", "P2"),
        ("Internet is very slow and Teams calls keep dropping.", "P2"),
        ("PSU 2 failed, switch still up on PSU 1 so no outage.", "P3"),
        ("One user can't connect to the VPN, others are fine.", "P3"),
        ("Fan alarm on the firewall, everything still works.", "P3"),
        ("How do I add a new VPN user? Could you send simple steps?", "P4"),
        ("Please quote for an IDP subscription on our SRX345.", "P4"),
    ],
)
def test_severity(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("severity") == expected


def test_workaround_lowers_one_level(extract: Extract) -> None:
    text = "WAN port dead, whole office down; running on the LTE backup for now."
    assert extract(text).value("severity") == "P2"
    single = "Port 17 is dead, Jenny's PC won't link, moved her to port 18 and she's fine."
    assert extract(single).value("severity") == "P4"


def test_shouting_is_stated_not_assessed(extract: Extract) -> None:
    result = extract(
        "URGENT!!! My laptop is slow. Everyone else in the office is fine.",
        subject="URGENT!!! INTERNET TERRIBLE",
    )
    assert result.value("severity") == "P3"
    assert result.value("stated_severity") == "URGENT"


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("P1 - internet crawling", "P1"),
        ("Not urgent, when you get a moment.", "Not urgent"),
        ("Priority: High\nVPN down", "High"),
        ("no rush on this one", "no rush"),
    ],
)
def test_stated_severity_as_written(extract: Extract, text: str, stated: str) -> None:
    assert extract(text).value("stated_severity") == stated


def test_no_claim_no_stated_severity(extract: Extract) -> None:
    assert extract("Reload reason is Critical software exception.").value("stated_severity") is None


def test_severity_has_evidence(extract: Extract) -> None:
    finding = extract("whole office has no internet").findings["severity"]
    assert finding.evidence is not None
    assert finding.evidence.text in "whole office has no internet"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Since 8am we have no internet at our Durban office. Nothing works.", "P1"),
        ("Wifi in the east wing is very slow since yesterday. Wired is fine.", "P2"),
        ("No wifi in the whole east wing since 5am, west wing fine.", "P2"),
        ("The VPN to the branch is down; the branch cannot reach the file server.", "P2"),
        ("The AP in the warehouse is dead, scanners in that section can't connect.", "P2"),
        ("Our receptionist can't print since the update; everyone else can.", "P3"),
        (
            "Tunnel down, branch can't reach ERP. Internet at both sites works. "
            "We set users up on client VPN as a stop-gap.",
            "P3",
        ),
    ],
)
def test_scope_words(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("severity") == expected
