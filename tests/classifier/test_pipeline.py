"""The extractor as the bot calls it: evidence is exact, quoted history is a fallback only."""

from __future__ import annotations

from collections.abc import Callable

from bot.classifier import Extraction, Extractor, ReportText, Sender, load_extractor
from bot.fields import FIELD_KEYS

Extract = Callable[..., Extraction]

REPORT = ReportText(
    subject="URGENT!!! FortiGate down at Cape Town",
    body=(
        "Hi team,\n\nOur FortiGate 60F at the Cape Town office has been rebooting every 20 "
        "minutes since we upgraded to FortiOS 7.2.5. All users have lost internet.\n"
        "S/N: FGT60FTK20012345\nOur support contract is CN-10482. Cisco TAC SR 694512345 too.\n"
        "We have already rebooted it twice and swapped the power cable.\n\n"
        "Kind regards,\nThabo Nkosi\nIT Manager\nHarbour Freight (Pty) Ltd\nTel: 021 555 0123\n"
    ),
    quoted="> On Mon, Support wrote:\n> Contract CN-99999, serial FGT60FTK29999999",
    sender=Sender(name="Thabo Nkosi", email="Thabo@harbour.example"),
)


def test_full_report(extractor: Extractor) -> None:
    result = extractor.extract(REPORT)
    expected = {
        "contract_number": "CN-10482",
        "serial_number": "FGT60FTK20012345",
        "software_version": "7.2.5",
        "manufacturer": "Fortinet",
        "model": "FortiGate 60F",
        "contact_name": "Thabo Nkosi",
        "contact_email": "thabo@harbour.example",
        "contact_phone": "+27215550123",
        "company_name": "Harbour Freight (Pty) Ltd",
        "severity": "P1",
        "stated_severity": "URGENT",
    }
    for key, value in expected.items():
        assert result.value(key) == value, key  # type: ignore[arg-type]
    assert result.value("location") is not None
    assert result.value("diagnosis_summary") is not None


def test_every_key_is_a_field_key_and_evidence_is_exact(extractor: Extractor) -> None:
    result = extractor.extract(REPORT)
    texts = {"subject": REPORT.subject, "body": REPORT.body, "quoted": REPORT.quoted}
    for key, finding in result.findings.items():
        assert key in FIELD_KEYS
        assert finding.key == key
        assert 0.0 < finding.confidence <= 1.0
        evidence = finding.evidence
        if evidence is None or evidence.source == "sender":
            continue
        source_text = texts[evidence.source]
        assert source_text[evidence.start : evidence.end] == evidence.text, key


def test_quoted_only_when_body_is_silent(extract: Extract) -> None:
    quoted = "> Serial FGT60FTK29999999, contract CN-99999"
    stated = extract("S/N FGT60FTK20012345, the unit is dead", quoted=quoted)
    assert stated.value("serial_number") == "FGT60FTK20012345"
    silent = extract("Any news on this?", quoted=quoted)
    assert (
        silent.value("serial_number") == "FGT29999999"
        or silent.value("serial_number") == "FGT60FTK29999999"
    )
    assert silent.findings["serial_number"].evidence is not None
    assert silent.findings["serial_number"].evidence.source == "quoted"
    assert silent.findings["serial_number"].confidence < stated.findings["serial_number"].confidence


def test_disclaimer_is_ignored(extract: Extract) -> None:
    text = (
        "PSU failed.\n\nThanks,\nJo Bloggs\n\nThis email and any attachments are confidential. "
        "Registered in England, Acme Widgets Ltd, 1 High Street, London EC1A 1BB, 020 7946 0000."
    )
    result = extract(text)
    assert result.value("company_name") is None
    assert result.value("contact_phone") is None


def test_installed_model_name_is_optional() -> None:
    # The default needs nothing installed; a blank pipeline is built from spaCy alone.
    assert load_extractor(None).extract(ReportText(body="")).value("severity") is not None


def test_missing_model_is_a_config_error() -> None:
    import pytest

    from bot.errors import ConfigError

    with pytest.raises(ConfigError, match="not installed"):
        load_extractor("xx_no_such_model_installed")


def test_pipeline_is_compiled_once() -> None:
    assert load_extractor() is load_extractor()
