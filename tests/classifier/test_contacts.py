"""Contact name and email: stated callback names, sign-offs, chat tails, sender fallback."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.classifier import Extraction

Extract = Callable[..., Extraction]


def test_signoff_block(extract: Extract) -> None:
    text = "The firewall is down.\n\nKind regards,\nThabo Nkosi\nIT Manager\nHarbour Freight"
    assert extract(text).value("contact_name") == "Thabo Nkosi"


def test_stated_callback_name_beats_signoff(extract: Extract) -> None:
    text = "Please contact Mary Jones on 07700 900123 about this.\n\nThanks,\nBob Smith"
    assert extract(text).value("contact_name") == "Mary Jones"


def test_ask_for_name(extract: Extract) -> None:
    text = "Please ring the NOC on 020 7946 0450 (24x7), ask for Priya Raman."
    assert extract(text).value("contact_name") == "Priya Raman"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("port dead, moved her to port 18. Cheers Mike, Bramley & Co Accountants", "Mike"),
        ("IKE fails. Regards, Pieter van Rensburg, Vaal Agri Co-op", "Pieter van Rensburg"),
        ("need RMA. deliver to Unit 7. Mark Ellison 020 7946 0871", "Mark Ellison"),
        ("how do I whitelist that site? thx Nicola", "Nicola"),
        ("hi this is Ruan from Karoo Freight the switch is dead", "Ruan"),
    ],
)
def test_chat_tails(extract: Extract, text: str, expected: str) -> None:
    assert extract(text).value("contact_name") == expected


def test_first_name_completed_from_sender(extract: Extract) -> None:
    result = extract("It is down.\n\nThanks,\nGemma", name="Gemma Lloyd")
    assert result.value("contact_name") == "Gemma Lloyd"


def test_sender_fallback_has_lower_confidence(extract: Extract) -> None:
    result = extract("The VPN is down since 9am.", name="Sandra Whitfield", email="S@x.example")
    name = result.findings["contact_name"]
    email = result.findings["contact_email"]
    assert (name.value, email.value) == ("Sandra Whitfield", "s@x.example")
    assert name.evidence is not None
    assert name.evidence.source == "sender"
    assert email.evidence is not None
    assert email.evidence.source == "sender"
    assert name.confidence < 0.8


def test_named_callback_email_beats_sender(extract: Extract) -> None:
    result = extract(
        "Please reply to noc@harbour.example for this one.", email="me@harbour.example"
    )
    assert result.value("contact_email") == "noc@harbour.example"


def test_chat_without_email_has_none(extract: Extract) -> None:
    assert extract("wifi down in the hall").value("contact_email") is None


def test_company_line_is_not_a_name(extract: Extract) -> None:
    text = "Dataplane CPU at 100%.\n\nMike Jennings, Network Technician\nOxley Schools Trust"
    assert extract(text).value("contact_name") == "Mike Jennings"


def test_forward_hands_the_case_to_the_colleague(extract: Extract) -> None:
    body = (
        "Hi,\n\nSee below from Josh. Please can you pick this up with him directly.\n\n"
        "Hannah Greaves\nHead of IT, Medway Supplies Ltd\n020 7946 0802\n"
    )
    quoted = (
        "From: Josh Whitaker <Josh.Whitaker@medway.example>\nDate: Thu, 12 Feb 2026\n\n"
        "The CPUSE upgrade fails.\n\nJosh\nMobile 07700 900735\n"
    )
    result = extract(body, quoted=quoted, name="Hannah Greaves", email="hannah@medway.example")
    assert result.value("contact_name") == "Josh Whitaker"
    assert result.value("contact_email") == "josh.whitaker@medway.example"
    assert result.value("contact_phone") == "+447700900735"


def test_named_support_lead(extract: Extract) -> None:
    text = "Please call our support lead, Sizwe Nkosi, on 011 555 0618 - he has the details."
    assert extract(text, name="Jacqui Barnard").value("contact_name") == "Sizwe Nkosi"
