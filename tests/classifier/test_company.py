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
