"""Callback numbers in E.164: UK vs South Africa, fax and other numbers excluded."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.classifier import Extraction
from bot.classifier.phones import to_e164

Extract = Callable[..., Extraction]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("020 7946 0958", "+442079460958"),
        ("07700 900123", "+447700900123"),
        ("021 555 0123", "+27215550123"),  # 10 digits: valid only in South Africa
        ("083 555 0176", "+27835550176"),
        ("+27 82 555 0123", "+27825550123"),
        ("0113 496 0000", "+441134960000"),
    ],
)
def test_to_e164(raw: str, expected: str) -> None:
    assert to_e164(raw, ("GB", "ZA")) == expected


def test_callback_number(extract: Extract) -> None:
    text = "Please call me on 07700 900516.\nFax: 020 7946 0734"
    assert extract(text).value("contact_phone") == "+447700900516"


def test_fax_is_not_a_callback(extract: Extract) -> None:
    assert extract("Regards\nFax: 020 7946 0734").value("contact_phone") is None


@pytest.mark.parametrize(
    "text",
    [
        "primary sn FG200FT921901234, fortios 7.0.12",
        "R81.10.08 (build 996001580)",
        "ISP (Afrihost, spoke to them on 011 555 0100, ref 4471123) says the line is fine",
        "part 740-058734 optic swapped",
        "serial 012801012345",
    ],
)
def test_not_phones(extract: Extract, text: str) -> None:
    assert extract(text).value("contact_phone") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call me on +27 (0)21 555 0123", "+27215550123"),
        ("Tel: +44 (0)20 7946 0958", "+442079460958"),
        ("mobile 082-555-0199, Cape Town", "+27825550199"),
        ("M: 07700 900 123", "+447700900123"),
        ("Contract CN-77120. Call 07700 900033.", "+447700900033"),
    ],
)
def test_written_styles(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("contact_phone") == expected


def test_courier_waybill_is_not_a_phone(extract: Extract) -> None:
    text = "courier waybill 7700123456 - any ETA?\n\nNadia\n021 555 0463"
    assert extract(text).value("contact_phone") == "+27215550463"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cell: +27 (0) 82 555 0123", "+27825550123"),
        ("M: 083.555.0123 | Johannesburg", "+27835550123"),
        ("Tel: 0113-496-0123 ext.204", "+441134960123"),
        ("0027 21 555 0123", "+27215550123"),
        ("Switchboard: 020 7946 0000\nDirect: 020 7946 0123", "+442079460123"),
        ("I rang your desk on 0800 123 4567. My mobile is 07700 900321", "+447700900321"),
    ],
)
def test_more_written_styles(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("contact_phone") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tel: 020 7946 0958/0959", "+442079460958"),
        ("Our ISP's NOC is on 0800 123 4567. I'm on 07700 900333.", "+447700900333"),
        (
            "The site manager Pete can let you in, he's on 07700 900444.\n\nRegards\nAnn\n"
            "020 7946 0555",
            "+442079460555",
        ),
        ("Fortinet support (0800 012 3456) said to call you.\nDes\n07700 900888", "+447700900888"),
        (
            "Please contact Mary Jones on 020 7946 0111 for access.\nThanks\nBob\n020 7946 0999",
            "+442079460111",
        ),
    ],
)
def test_whose_number_it_is(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("contact_phone") == expected
