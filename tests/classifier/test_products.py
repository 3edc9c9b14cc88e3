"""Manufacturer and model from the catalogue: families imply vendors, models decide ties."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.classifier import Extraction

Extract = Callable[..., Extraction]


@pytest.mark.parametrize(
    ("text", "vendor", "model"),
    [
        ("Our FortiGate 60F keeps rebooting", "Fortinet", "FortiGate 60F"),
        ("PA-3220 dataplane down", "Palo Alto Networks", "PA-3220"),
        ("Catalyst 9300-48P PSU failed", "Cisco", "Catalyst 9300-48P"),
        ("Meraki MX68 offline", "Cisco Meraki", "MX68"),
        ("Juniper EX4300-48T port dead", "Juniper", "EX4300-48T"),
        ("aruba 6300M port flapping", "HPE Aruba", "aruba 6300M"),
        ("Sophos XGS 2100 fan alert", "Sophos", "XGS 2100"),
        ("the Ruckus R650 in the warehouse is dead", "Ruckus", "R650"),
        ("extreme x465 stack master dead", "Extreme Networks", "x465"),
        ("UniFi UDM Pro lost WAN", "Ubiquiti", "UDM Pro"),
        ("SonicWall TZ370 geo-ip", "SonicWall", "TZ370"),
        ("WatchGuard Firebox T45 WebBlocker", "WatchGuard", "Firebox T45"),
        ("Mikrotik CCR2004-16G-2S+ BGP down", "Mikrotik", "CCR2004-16G-2S+"),
        ("Zyxel USG FLEX 200 SSL VPN drops", "Zyxel", "USG FLEX 200"),
        ("Check Point Quantum 6200 cluster", "Check Point", "Quantum 6200"),
    ],
)
def test_vendor_and_model(extract: Extract, text: str, vendor: str, model: str) -> None:
    result = extract(text)
    assert result.value("manufacturer") == vendor
    assert result.value("model") == model


def test_family_implies_vendor(extract: Extract) -> None:
    assert extract("our fortigate is slow").value("manufacturer") == "Fortinet"


def test_model_beats_a_passing_mention(extract: Extract) -> None:
    text = (
        "Our MX250 pair keeps failing over. VRRP runs through our core switch "
        "(a Cisco Catalyst 9300, not yours)."
    )
    result = extract(text, subject="MX250 warm spare flapping")
    assert result.value("manufacturer") == "Cisco Meraki"
    assert result.value("model") == "MX250"


def test_plural_s_is_not_part_of_the_model(extract: Extract) -> None:
    assert extract("Our new Aruba AP-635s don't broadcast 6GHz").value("model") == "AP-635"


def test_bare_number_needs_its_vendor(extract: Extract) -> None:
    assert extract("We have 1570 users on site").value("model") is None
    assert extract("Check Point 1570R WAN port dead").value("model") == "1570R"


def test_software_product_as_model(extract: Extract) -> None:
    result = extract("Netop guests can't reach the hosts since Monday")
    assert result.value("manufacturer") == "Netop"
    assert result.value("model") == "Netop Remote Control"


def test_vendor_mentions_component() -> None:
    import spacy

    import bot.classifier.components  # noqa: F401 - registers the factory

    nlp = spacy.blank("en")
    nlp.add_pipe("vendor_mentions")
    doc = nlp("Our Cisco Meraki MX and the fortigate; PAN support said the pan was extreme.")
    found = [(s.text, s.label_) for s in doc.spans["vendors"]]
    assert ("Cisco Meraki", "Cisco Meraki") in found
    assert ("fortigate", "Fortinet") in found
    assert ("PAN", "Palo Alto Networks") in found
    assert all(text not in ("pan", "extreme") for text, _ in found)
