"""Software versions as vendors write them; which one is running; what is not a version."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.classifier import Extraction

Extract = Callable[..., Extraction]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FortiGate 60F running FortiOS 7.2.5", "7.2.5"),
        ("fortios 7.0.12 build0523 on the HA pair", "7.0.12"),
        ("PA-3220 on PAN-OS 10.2.4-h3", "10.2.4-h3"),
        ("firmware 16.12.04 on the 9300", "16.12.04"),
        ("Aruba 6300M, AOS-CX 10.10.1020", "10.10.1020"),
        ("SRX345 on Junos 21.4R3-S5", "21.4R3-S5"),
        ("Check Point 6200 on R81.20 take 53", "R81.20"),
        ("CCR2004 RouterOS 7.14.3", "7.14.3"),
        ("2960X currently 15.2(7)E7", "15.2(7)E7"),
        ("Aruba 2930F, was on WC.16.11.0015", "WC.16.11.0015"),
        ("tz370, 7.0.1-5145. can you help", "7.0.1-5145"),
        ("EdgeOS v2.0.9-hotfix.7", "2.0.9-hotfix.7"),
        ("SmartZone 100 (6.1.2) with the AP licences", "6.1.2"),
        ("FortiOS is 7.2.9. No fault, just a question", "7.2.9"),
    ],
)
def test_versions(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("software_version") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we upgraded from ArubaOS 8.6.0.18 to 8.10.0.7 on Monday", "8.10.0.7"),
        ("upgraded from SFOS 19.5.3 MR-3 to SFOS 20.0.1 MR-1 last night", "20.0.1 MR-1"),
        ("since we upgraded Netop Host from 12.80 to 13.10 build 2023123", "13.10"),
        ("the UDM Pro updated itself (UniFi OS 3.1.16 to 3.2.9)", "3.2.9"),
        ("We're on 7.2.10 now. Is FortiOS 7.4 supported?", "7.2.10"),
        ("It was running 17.09.04a. System Bootstrap, Version 17.3.2r", "17.09.04a"),
    ],
)
def test_running_version_wins(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("software_version") == expected


def test_planned_version_is_not_running(extract: Extract) -> None:
    assert extract("We plan to upgrade to 7.4.3 next week.").value("software_version") is None


@pytest.mark.parametrize(
    "text",
    [
        "the gateway 192.168.10.1 is unreachable",
        "version of the report dated 12.03.2026",
        "mgmt IP is on 10.40.0.5",
        "call 020 7946 0958",
    ],
)
def test_not_versions(extract: Extract, text: str) -> None:
    assert extract(text).value("software_version") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("running FortiOS v7.4.3 build2573", "7.4.3"),
        ("IOS XE 17.9.4a on the 9200", "17.9.4a"),
        ("ASA 9.18(3)56 on the 5516", "9.18(3)56"),
        ("Firmware version: V5.37(ABUI.2)", "V5.37(ABUI.2)"),
    ],
)
def test_more_vendor_styles(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("software_version") == expected


def test_staying_on_is_running(extract: Extract) -> None:
    text = "Do you recommend 7.4.4 or should we stay on 7.2.9?"
    assert extract(text).value("software_version") == "7.2.9"


def test_firewall_os_beats_vpn_client_version(extract: Extract) -> None:
    text = "Windows 11 laptops on GlobalProtect 6.2.1, firewall on PAN-OS 10.2.9"
    assert extract(text).value("software_version") == "10.2.9"


def test_client_version_loses_to_a_plain_running_version(extract: Extract) -> None:
    # "on 7.2.5" is only a weak label, but a VPN client's own version is never the box's.
    text = "Fortigate on 7.2.5. FortiClient 7.0.9 on the laptops. VPN fails for all."
    assert extract(text).value("software_version") == "7.2.5"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Running AOS 10.5.0.1 through Central", "10.5.0.1"),  # an OS name: not an IP address
        ("Gaia R81.10 Jumbo Take 110 on the 3800", "R81.10 Jumbo Take 110"),
        ("The switch runs 16.12.04 but the router is on 17.06.04", "16.12.04"),
        ("the replacement came with 20.4R3-S1, the rest of the VC is on 21.4R3-S5", "20.4R3-S1"),
        ("rolled back from 7.4.1 to 7.2.5 on Friday", "7.2.5"),
    ],
)
def test_which_version_is_running(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("software_version") == expected


def test_failed_upgrade_target_is_not_running(extract: Extract) -> None:
    text = (
        "The upgrade of our Quantum 3800 from R81.10 Take 110 to R81.20\n"
        "keeps failing at the verifier. The gateway itself is fine."
    )
    assert extract(text).value("software_version") == "R81.10 Take 110"


def test_completed_upgrade_followed_by_a_fault_is_running(extract: Extract) -> None:
    text = "We upgraded to 7.2.8 last night and since then the VPN keeps failing."
    assert extract(text).value("software_version") == "7.2.8"


def test_forwarded_subject_is_not_a_firmware_label(extract: Extract) -> None:
    result = extract("Gateway is running R81.10.", subject="FW: upgrade to R81.20 failing")
    assert result.value("software_version") == "R81.10"


def test_version_next_to_another_device_loses(extract: Extract) -> None:
    text = (
        "Port 9 on our FortiSwitch 124F flaps. It is managed by the FortiGate 60F"
        " (FortiOS 7.2.7); FortiSwitchOS on the switch is 7.2.6."
    )
    assert extract(text).value("software_version") == "7.2.6"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Upgrade to 7.2.8 scheduled for Saturday. Currently running 7.2.5", "7.2.5"),
        ("Firmware 7.2.8 is recommended by Fortinet, our box is still on 7.0.12", "7.0.12"),
        ("Is 7.2.8 safe? We are on 7.0.12", "7.0.12"),
        ("We can't upgrade to 17.12 until the window; stuck on 17.9.4a for now", "17.9.4a"),
        ("TLS version 1.2 is enforced. The firewall is 7.2.5", "7.2.5"),
        ("The ERP client version 4.2 can't connect; FortiGate on 7.2.8", "7.2.8"),
        ("Java version 1.8.0 on the controller VM, software 6.1.2.0.442", "6.1.2.0.442"),
    ],
)
def test_other_versions_in_the_same_report(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("software_version") == expected


@pytest.mark.parametrize(
    "text",
    [
        "TLS version 1.2 errors in the log",
        "upgrade the Windows clients to version 11.2 next week",
    ],
)
def test_no_network_os_version(extract: Extract, text: str) -> None:
    assert extract(text).value("software_version") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The box came with 7.0.1 from the factory, we upgraded it to 7.2.5 and now it reboots",
            "7.2.5",
        ),
        ("ArubaOS 8.10.0.7_87894 on the 7210 controller", "8.10.0.7"),
    ],
)
def test_factory_version_and_build_suffix(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("software_version") == expected
