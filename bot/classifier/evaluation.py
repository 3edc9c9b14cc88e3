"""Scoring an extractor against gold-labelled reports (corpus/<part>/{dev,heldout}.jsonl).

Per field precision/recall/F1, severity accuracy with its confusion matrix and within-one-level
accuracy, fault-type accuracy, and every error with its evidence so a miss can be traced.
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.classifier.eval_report import EvalError, EvalReport, FieldScore
from bot.classifier.report_format import format_report
from bot.classifier.scoring import (
    PRESENCE_FIELDS,
    VALUE_FIELDS,
    Gold,
    first_variant,
    loose_overlap,
    matches,
)
from bot.classifier.types import Extraction, Extractor
from bot.fields import SEVERITIES

__all__ = ["EvalError", "EvalReport", "FieldScore", "evaluate", "format_report", "load_gold"]


def load_gold(gold_file: Path) -> list[tuple[Path, dict[str, Gold]]]:
    """(report path, gold fields) for every line of a ``.jsonl`` gold file."""
    rows: list[tuple[Path, dict[str, Gold]]] = []
    for line in gold_file.read_text("utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            rows.append((gold_file.parent / item["file"], item["fields"]))
    return rows


def _score(report: EvalReport, name: str, extraction: Extraction, gold: dict[str, Gold]) -> None:
    for key in (*VALUE_FIELDS, *PRESENCE_FIELDS):
        expected = gold.get(key)
        finding = extraction.findings.get(key)
        predicted = finding.value if finding else None
        has_gold = first_variant(expected) is not None
        if key in PRESENCE_FIELDS:
            correct = True
        else:
            correct = predicted is not None and matches(key, predicted, expected)
        report.fields.setdefault(key, FieldScore()).add(predicted is not None, has_gold, correct)
        if key == "location":
            loose = predicted is not None and loose_overlap(predicted, expected)
            report.fields.setdefault("location_overlap", FieldScore()).add(
                predicted is not None, has_gold, loose
            )
        if (predicted is not None or has_gold) and not (predicted and has_gold and correct):
            evidence = finding.evidence.text if finding and finding.evidence else None
            report.errors.append(EvalError(name, key, first_variant(expected), predicted, evidence))
    _score_classes(report, name, extraction, gold)


def _score_classes(
    report: EvalReport, name: str, extraction: Extraction, gold: dict[str, Gold]
) -> None:
    severity, kind = extraction.value("severity"), extraction.value("fault_type")
    gold_severity, gold_kind = (
        first_variant(gold.get("severity")),
        first_variant(gold.get("fault_type")),
    )
    if gold_severity in SEVERITIES and severity in SEVERITIES:
        report.severity_confusion[gold_severity][severity] += 1
        if gold_severity != severity:
            report.errors.append(
                EvalError(name, "severity", gold_severity, severity, _ev(extraction, "severity"))
            )
    if gold_kind is not None:
        report.fault_type_total += 1
        report.fault_type_correct += kind == gold_kind
        if kind != gold_kind:
            report.errors.append(
                EvalError(name, "fault_type", gold_kind, kind, _ev(extraction, "fault_type"))
            )


def _ev(extraction: Extraction, key: str) -> str | None:
    finding = extraction.findings.get(key)  # type: ignore[call-overload]
    return finding.evidence.text if finding and finding.evidence else None


def evaluate(gold_files: list[Path], extractor: Extractor) -> EvalReport:
    """Run ``extractor`` over every report the gold files list and score it."""
    from bot.report_text import report_from_path  # the reader intake-bot extract uses too

    report = EvalReport()
    for gold_file in gold_files:
        for path, gold in load_gold(gold_file):
            name = str(path)
            if not path.is_file():
                # A gold line whose report is missing is a corpus error, shown, not fatal.
                report.errors.append(EvalError(name, "file", str(path), None, "missing"))
                continue
            extraction = extractor.extract(report_from_path(path))
            report.reports += 1
            _score(report, name, extraction, gold)
    return report
