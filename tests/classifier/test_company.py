"""Company names: legal suffixes, trade nouns, "from X", signatures; never vendors or domains."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.classifier import Extraction

Extract = Callable[..., Extraction]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Down again.\n\nRegards,\nJo Bloggs\nHarbour Freight (Pty) Ltd",
            "Harbour Freight (Pty) Ltd",
        ),
        (
            "Help!\n\nThanks,\nSandra Whitfield\nPractice Manager\nMeadow Lane Dental",
            "Meadow Lane Dental",
        ),
        ("hi this is Ruan from Karoo Freight the main switch is dead", "Karoo Freight"),
        ("HQ: Valley Housing Association, Ty Afon, Cardiff", "Valley Housing Association"),
        ("port dead. Cheers Mike, Bramley & Co Accountants", "Bramley & Co Accountants"),
        ("Company: Ashdown Surveyors\nProblem: VPN", "Ashdown Surveyors"),
        ("Dead PSU.\n\nPriya Desai IT Manager, Desai Engineering Ltd", "Desai Engineering Ltd"),
    ],
)
def test_company(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("company_name") == expected


def test_not_from_email_domain(extract: Extract) -> None:
    result = extract("VPN is down", name="Jo Bloggs", email="jo@harbourfreight.example")
    assert result.value("company_name") is None


def test_vendor_is_not_the_customer(extract: Extract) -> None:
    assert extract("Fortinet Inc support told us to reboot it.").value("company_name") is None


def test_generic_team_is_not_a_company(extract: Extract) -> None:
    assert extract("Thanks,\nJo Bloggs\nIT Services").value("company_name") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cheers\nDan\nDan Price | Kestrel Marine\n07700 900111", "Kestrel Marine"),
        ("Regards,\nKaren Doyle\nOperations Manager\nLarkspur\n0117 496 0123", "Larkspur"),
        ("We (Coastal Dental Care) have a problem with our router", "Coastal Dental Care"),
        ("Mike from Brightwater here, our switch is dead", "Brightwater"),
        ("Morning, Alder & Finch here (law firm in Leeds). VPN broken.", "Alder & Finch"),
        ("Harbour Freight IT here - the FortiGate keeps rebooting.", "Harbour Freight"),
        ("Thanks\nSteph\nSteph Moore | Finance & IT | Cobalt Sky\n07700 900555", "Cobalt Sky"),
        ("Regards,\nGary Holt\nIT Support\nPenmore Group plc", "Penmore Group plc"),
        ("Hi, Priya at Oakleaf Holdings. Our MX is down.", "Oakleaf Holdings"),
    ],
)
def test_company_without_the_usual_cues(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("company_name") == expected


def test_first_name_greeting_is_not_a_company(extract: Extract) -> None:
    assert extract("Hi, Mike here. The AP in the hall is off.").value("company_name") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi, we're Alder & Finch, a law firm in Leeds. VPN broken.", "Alder & Finch"),
        ("Our company, Blue Crane, has a dead switch.", "Blue Crane"),
        ("Regards\nHelen Ward\nSt Luke's Hospice", "St Luke's Hospice"),
    ],
)
def test_company_introduced_in_the_text(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("company_name") == expected


@pytest.mark.parametrize(
    "text",
    [
        "Dave from Accounts says the printer is down",
        "We are Unable to connect to the VPN",
        "We're Mike and Sue from accounts, the printer is down",
    ],
)
def test_departments_and_people_are_not_companies(extract: Extract, text: str) -> None:
    assert extract(text).value("company_name") is None


def test_it_team_suffix_is_not_part_of_the_company(extract: Extract) -> None:
    text = "This is the Harbour Freight IT team, our VPN is down"
    assert extract(text).value("company_name") == "Harbour Freight"
