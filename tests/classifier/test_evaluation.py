"""Scoring: normalisation, variants, FP/FN rules, the severity matrix and the error list."""

from __future__ import annotations

import json
from pathlib import Path

from bot.classifier import Extraction, Finding, ReportText
from bot.classifier.evaluation import evaluate, format_report
from bot.classifier.scoring import loose_overlap, matches, normalise


def test_normalisation() -> None:
    assert matches("software_version", "7.2.5", ["FortiOS 7.2.5"])
    assert matches("software_version", "v7.2.5", "7.2.5")
    assert matches("contact_phone", "020 7946 0958", "+442079460958")
    assert matches("company_name", "harbour  freight LTD", ["Harbour Freight Ltd"])
    assert not matches("model", "FortiGate 60F", ["PA-3220"])
    assert normalise("serial_number", "fgt 60f 123") == "fgt60f123"


def test_loose_overlap() -> None:
    assert loose_overlap("Cape Town office, 3rd floor", ["Cape Town office"])
    assert not loose_overlap("the office", ["Leeds LS10 1AB"])


class _Fixed:
    """An extractor that returns the same values for every report."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values

    def extract(self, report: ReportText) -> Extraction:
        return Extraction(
            findings={k: Finding(k, v, 0.9, None) for k, v in self.values.items()}  # type: ignore[misc]
        )


def _gold(tmp_path: Path, fields: dict[str, object]) -> Path:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "001.txt").write_text("the firewall is down", encoding="utf-8")
    gold = tmp_path / "dev.jsonl"
    gold.write_text(json.dumps({"file": "reports/001.txt", "fields": fields}) + "\n")
    return gold


def test_counts_and_matrix(tmp_path: Path) -> None:
    gold = _gold(
        tmp_path,
        {
            "contract_number": None,
            "serial_number": "ABC12345",
            "model": ["FortiGate 60F", "FG-60F"],
            "software_version": "7.2.5",
            "severity": "P1",
            "fault_type": "software",
            "location": "Leeds",
        },
    )
    extractor = _Fixed(
        {
            "contract_number": "CN-1",  # gold null → FP
            "model": "FG-60F",  # variant → TP
            "software_version": "7.2.6",  # wrong → FP and FN
            "severity": "P2",
            "fault_type": "software",
            "location": "somewhere",
        }
    )
    report = evaluate([gold], extractor)
    assert report.reports == 1
    assert (report.fields["contract_number"].fp, report.fields["contract_number"].fn) == (1, 0)
    assert report.fields["serial_number"].fn == 1
    assert report.fields["model"].tp == 1
    version = report.fields["software_version"]
    assert (version.tp, version.fp, version.fn) == (0, 1, 1)
    assert report.fields["location"].tp == 1
    assert report.fields["location_overlap"].tp == 0
    assert report.severity_confusion["P1"]["P2"] == 1
    assert report.severity_accuracy == 0.0
    assert report.severity_within_one == 1.0
    assert report.fault_type_accuracy == 1.0
    fields_in_error = {e.field for e in report.errors}
    assert {"contract_number", "serial_number", "software_version", "severity"} <= fields_in_error
    data = json.loads(json.dumps(report.to_json()))
    assert data["severity"]["confusion"]["P1"]["P2"] == 1
    text = format_report(report)
    assert "software_version" in text
    assert "within one level" in text


def test_missing_report_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    gold = tmp_path / "dev.jsonl"
    gold.write_text(json.dumps({"file": "reports/none.txt", "fields": {}}) + "\n")
    report = evaluate([gold], _Fixed({}))
    assert report.errors[0].field == "file"
