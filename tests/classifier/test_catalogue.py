"""The vendor catalogue is data: it loads, every pattern compiles, bad data is refused."""

from __future__ import annotations

import pytest

from bot.classifier.catalogue import load_catalogue, parse_catalogue

VENDORS = {
    "Cisco",
    "Fortinet",
    "Palo Alto Networks",
    "HPE Aruba",
    "Juniper",
    "Cisco Meraki",
    "Check Point",
    "Sophos",
    "Ruckus",
    "Extreme Networks",
    "Ubiquiti",
    "Netop",
    "SonicWall",
    "WatchGuard",
    "Mikrotik",
    "Zyxel",
}


def test_all_vendors_present() -> None:
    catalogue = load_catalogue()
    assert {v.name for v in catalogue.vendors} >= VENDORS
    for vendor in catalogue.vendors:
        assert vendor.aliases, vendor.name
        assert vendor.models or vendor.default_model, vendor.name


def test_version_prefixes_longest_first() -> None:
    prefixes = load_catalogue().all_version_prefixes()
    assert prefixes.index("IOS-XE") < prefixes.index("IOS")


def test_parse_catalogue_rejects_nameless_vendor() -> None:
    with pytest.raises(ValueError, match="name"):
        parse_catalogue('[[vendor]]\naliases = ["x"]\n')


def test_parse_catalogue_rejects_non_list() -> None:
    with pytest.raises(ValueError, match="aliases"):
        parse_catalogue('[[vendor]]\nname = "X"\naliases = "x"\n')


def test_new_vendor_is_an_edit_to_data() -> None:
    catalogue = parse_catalogue(
        '[[vendor]]\nname = "Acme"\naliases = ["acme"]\nmodels = [\'AX-\\d{3}\']\n'
        "serials = ['AX\\d{8}']\nunlabelled_serials = true\n"
    )
    vendor = catalogue.vendors[0]
    assert vendor.models[0].search("our ax-100 is dead")
    assert vendor.serials[0].search("AX12345678")
