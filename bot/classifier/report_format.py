"""The evaluation report as text for a terminal (``intake-bot eval``)."""

from __future__ import annotations

from bot.classifier.eval_report import EvalReport
from bot.fields import SEVERITIES


def format_report(report: EvalReport, *, max_errors: int = 200) -> str:
    """Per-field table, severity confusion matrix, accuracies and the first errors."""
    lines = [
        f"reports: {report.reports}",
        "",
        f"{'field':<20} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}",
    ]
    for key, score in report.fields.items():
        lines.append(
            f"{key:<20} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f}"
            f" {score.tp:4d} {score.fp:4d} {score.fn:4d}"
        )
    lines += [
        "",
        f"severity accuracy {report.severity_accuracy:.3f}, "
        f"within one level {report.severity_within_one:.3f}",
        "gold\\pred " + " ".join(f"{s:>4}" for s in SEVERITIES),
    ]
    for gold in SEVERITIES:
        row = report.severity_confusion[gold]
        lines.append(f"{gold:<9} " + " ".join(f"{row[p]:4d}" for p in SEVERITIES))
    lines += ["", f"fault_type accuracy {report.fault_type_accuracy:.3f}", ""]
    lines.append(f"errors: {len(report.errors)}")
    for error in report.errors[:max_errors]:
        lines.append(
            f"  {error.file} [{error.field}] gold={error.gold!r} predicted={error.predicted!r}"
            f" evidence={error.evidence!r}"
        )
    return "\n".join(lines)
