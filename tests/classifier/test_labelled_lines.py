"""``Field: value`` lines: label synonyms, separators, and prose that only looks labelled."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.classifier import Extraction
from bot.classifier.labelled_lines import label_key, labelled_values

Extract = Callable[..., Extraction]


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Serial", "serial_number"),
        ("Serial No.", "serial_number"),
        ("S/N", "serial_number"),
        ("Contract no", "contract_number"),
        ("Support agreement", "contract_number"),
        ("Firmware version", "software_version"),
        ("Company", "company_name"),
        ("Organisation", "company_name"),
        ("Location", "location"),
        ("Site address", "location"),
        ("Mobile", "contact_phone"),
        ("Tel", "contact_phone"),
        ("Name", "contact_name"),
        ("Model", "model"),
        ("Manufacturer", "manufacturer"),
        ("Priority", "stated_severity"),
        ("Contact phone", "contact_phone"),  # the bot's own label, asked back
    ],
)
def test_label_synonyms(label: str, key: str) -> None:
    assert label_key(label) == key


def test_separators_colon_dash_and_is() -> None:
    text = "Serial number - FGT60FTK20012345\nContract no: CN-10482\nMy serial number is X1234"
    found = {(v.key, v.value) for v in labelled_values(text)}
    assert ("serial_number", "FGT60FTK20012345") in found
    assert ("contract_number", "CN-10482") in found
    assert ("serial_number", "X1234") in found


def test_prose_with_is_is_not_a_labelled_location() -> None:
    assert labelled_values("The site is down since 9am") == ()


def test_offsets_point_at_the_value() -> None:
    text = "Hi\nVersion: 7.2.5\n"
    (item,) = labelled_values(text)
    assert text[item.start : item.end] == "7.2.5"


def test_follow_up_reply_with_labelled_lines(extract: Extract) -> None:
    result = extract(
        "Serial: FGT60FTK20012345\nVersion: 7.2.5\nCompany: Harbour Freight Ltd\n"
        "Location: Unit 4, Riverside Park, Leeds LS10 1AB\nPhone: 0113 496 0000\n"
        "Model: FortiGate 60F\nName: Mary Jones\nContract no: CN-10482"
    )
    assert result.value("serial_number") == "FGT60FTK20012345"
    assert result.value("software_version") == "7.2.5"
    assert result.value("company_name") == "Harbour Freight Ltd"
    assert result.value("contact_phone") == "+441134960000"
    assert result.value("model") == "FortiGate 60F"
    assert result.value("manufacturer") == "Fortinet"
    assert result.value("contact_name") == "Mary Jones"
    assert result.value("contract_number") == "CN-10482"
    for key in ("serial_number", "software_version", "company_name", "contact_phone", "model"):
        finding = result.findings[key]
        assert finding.explicit, key
        assert finding.confidence >= 0.9, key
