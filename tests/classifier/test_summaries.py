"""Fault and diagnosis summaries: the customer's own sentences, or nothing."""

from __future__ import annotations

from collections.abc import Callable

from bot.classifier import Extraction

Extract = Callable[..., Extraction]


def test_fault_summary_skips_greeting(extract: Extract) -> None:
    text = (
        "Hi team,\n\nOur FortiGate 60F reboots every 20 minutes since the upgrade.\n\nThanks,\nJo"
    )
    summary = extract(text).value("fault_summary")
    assert summary is not None
    assert summary.startswith("Our FortiGate 60F reboots")


def test_subject_when_body_is_empty(extract: Extract) -> None:
    result = extract("", subject="Re: FortiGate 60F keeps rebooting")
    assert result.value("fault_summary") == "FortiGate 60F keeps rebooting"


def test_labelled_only_reply_has_no_fault_summary(extract: Extract) -> None:
    assert extract("Serial: FGT60FTK20012345\nVersion: 7.2.5").value("fault_summary") is None


def test_diagnosis(extract: Extract) -> None:
    text = "The switch is dead. We have already rebooted it twice and swapped the power cable."
    diagnosis = extract(text).value("diagnosis_summary")
    assert diagnosis is not None
    assert "rebooted" in diagnosis


def test_device_rebooting_itself_is_not_diagnosis(extract: Extract) -> None:
    text = "Our SonicWall TZ670 rebooted 4 times this morning, internet drops every time."
    assert extract(text).value("diagnosis_summary") is None


def test_not_yet_tried_is_not_diagnosis(extract: Extract) -> None:
    text = "The HA pair is out of sync. I have NOT rebooted anything yet."
    assert extract(text).value("diagnosis_summary") is None
