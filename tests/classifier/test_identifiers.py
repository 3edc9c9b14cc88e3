"""Contract and serial numbers, and the distractors that must never be taken for them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.classifier import Extraction

Extract = Callable[..., Extraction]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our support contract is CN-10482.", "CN-10482"),
        ("Contract no: sc/2024/0193", "SC/2024/0193"),
        ("support agreement AC-ZA-00871 applies", "AC-ZA-00871"),
        ("Agreement ref MB/SUP/0331, thanks", "MB/SUP/0331"),
        ("our contract number is cn-20771", "CN-20771"),
    ],
)
def test_contract_numbers(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("contract_number") == expected


@pytest.mark.parametrize(
    "text",
    [
        "Cisco TAC SR 694512345 is open for this.",
        "Your ref SR-2026-004217-K from last month.",
        "PO number PO-88213 and invoice INV-2025-1187 are paid.",
        "Fortinet ticket 7654321 was raised.",
        "Licence key 7DQ2M-XK3P9-AB12C-99ZZQ expired.",
        "Our contract expired last year, can you quote?",
    ],
)
def test_not_contract_numbers(extract: Extract, text: str) -> None:
    assert extract(text).value("contract_number") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("S/N: FGT60FTK20012345", "FGT60FTK20012345"),
        ("serial no. fcw2231l0ab", "FCW2231L0AB"),
        ("SN Q2XX-ABCD-1234 on the MX68", "Q2XX-ABCD-1234"),
        ("the serial number is 012801012345 (PA-3220)", "012801012345"),
        ("Serial on the sticker 392103004871, Ruckus R650", "392103004871"),
        ("serail SG0BKMN07Q (asset tag IT-00412)", "SG0BKMN07Q"),
        ("Serial / MAC on the label: 245A4C7E91D2", "245A4C7E91D2"),
        ("the serial of the dead one is 2104Y-40187", "2104Y-40187"),
    ],
)
def test_labelled_serials(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("serial_number") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our FortiGate FGT60FTK20012345 keeps rebooting", "FGT60FTK20012345"),
        ("Catalyst 9300 FOC1932X0RE has a dead PSU", "FOC1932X0RE"),
        ("Meraki MX68 Q2KN-ABCD-1234 is offline", "Q2KN-ABCD-1234"),
        ("Extreme X440 1943Y-40123 port dead", "1943Y-40123"),
    ],
)
def test_unlabelled_vendor_shapes(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("serial_number") == expected


@pytest.mark.parametrize(
    "text",
    [
        "MAC 00:1A:2B:3C:4D:5E and IP 10.1.1.1 on the switch",
        "Ubiquiti AP 788A20123456 is down",  # hex shape: only taken when labelled
        "Call me on 020 7946 0958",
        "Part number JL659A and C9300-48P are on the quote",
        "Ruckus AP, waybill 7700123456",
    ],
)
def test_serial_distractors(extract: Extract, text: str) -> None:
    assert extract(text).value("serial_number") is None


def test_faulty_unit_serial_beats_healthy_peer(extract: Extract) -> None:
    text = (
        "Active is FW01, serial X43001MN2KQ7T55, fine.\n"
        "Faulty unit: FW02, serial X43001MN2KQ8A09, SFOS 19.5.3 MR-3"
    )
    assert extract(text).value("serial_number") == "X43001MN2KQ8A09"


def test_chassis_serial_beats_component_serial(extract: Extract) -> None:
    text = (
        "Fan module 3 (Serial number DCH2314A1BC) fan fail\n"
        "Switch: N9K-C93180YC-EX, chassis serial FDO23150ZXY"
    )
    assert extract(text).value("serial_number") == "FDO23150ZXY"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Contract #: 448812", "448812"),
        ("Support Contract Number: SUP-2291-ZA", "SUP-2291-ZA"),
        ("we're under maintenance contract MC/0042/23", "MC/0042/23"),
        ("Our contract with you: MB/SUP/0331", "MB/SUP/0331"),
    ],
)
def test_more_contract_styles(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("contract_number") == expected


def test_labelled_contract_line_stops_at_the_identifier(extract: Extract) -> None:
    text = "Our support contract is CN-10482. Cisco TAC SR 694512345 was opened too."
    assert extract(text).value("contract_number") == "CN-10482"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our Palo Alto PA-440 (013201001234) rebooted overnight", "013201001234"),
        ("Aruba AP-515 CNR4K9T0LM keeps rebooting", "CNR4K9T0LM"),
        ("Sophos XGS 2300 X3110005ABCDE12 has a fan alarm", "X3110005ABCDE12"),
        ("WatchGuard Firebox T45 80DE2A3B4C5D6 is dead", "80DE2A3B4C5D6"),
        ("FortiSwitch 148E S148EP5018001234 lost PoE on all ports", "S148EP5018001234"),
    ],
)
def test_bare_serials_beside_their_vendor(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("serial_number") == expected


@pytest.mark.parametrize(
    "text",
    [
        "Order 016401007388 was delivered, thanks",  # twelve digits, no vendor named
        "Our ISP router's WAN MAC is 2CB8ED7F3D21",
        "SonicWall TZ470, MAC 2CB8ED7F3D21 in the DHCP table",
    ],
)
def test_bare_ambiguous_shapes_need_vendor_and_no_other_label(extract: Extract, text: str) -> None:
    assert extract(text).value("serial_number") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Serial Number: FCW 2231 L0AB", "FCW2231L0AB"),
        ("serial - FGT60F TK20012345", "FGT60FTK20012345"),
        ("Serial: Q2CX HJ7P 44RD", "Q2CX-HJ7P-44RD"),
    ],
)
def test_serials_written_in_groups(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("serial_number") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "HA pair FG100FTK21004567 / FG100FTK21004568. The secondary (FG100FTK21004568)"
            " has a dead PSU.",
            "FG100FTK21004568",
        ),
        (
            "Stack: member 1 FOC2418X1QZ is fine, member 2 FOC2418X1QA has the fan alarm.",
            "FOC2418X1QA",
        ),
        (
            "The FortiGate (FGT60FTK20012345) is fine; the FortiSwitch S148EP5018001234 has a"
            " dead port.",
            "S148EP5018001234",
        ),
    ],
)
def test_serial_of_the_faulty_unit(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("serial_number") == expected
