"""The result of an evaluation run: per-field counts, severity confusion, errors."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from bot.fields import SEVERITIES


@dataclass(slots=True)
class FieldScore:
    """Counts for one field; precision, recall and F1 derive from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, predicted: bool, gold: bool, correct: bool) -> None:
        """Count one comparison: a wrong value is both a false positive and a false negative."""
        if predicted and gold and correct:
            self.tp += 1
            return
        self.fp += predicted
        self.fn += gold


@dataclass(frozen=True, slots=True)
class EvalError:
    file: str
    field: str
    gold: str | None
    predicted: str | None
    evidence: str | None


@dataclass(slots=True)
class EvalReport:
    """Everything :func:`evaluate` measured."""

    reports: int = 0
    fields: dict[str, FieldScore] = field(default_factory=dict)
    severity_confusion: dict[str, dict[str, int]] = field(
        default_factory=lambda: {g: dict.fromkeys(SEVERITIES, 0) for g in SEVERITIES}
    )
    fault_type_correct: int = 0
    fault_type_total: int = 0
    errors: list[EvalError] = field(default_factory=list)

    @property
    def severity_accuracy(self) -> float:
        total = sum(sum(row.values()) for row in self.severity_confusion.values())
        right = sum(self.severity_confusion[s][s] for s in SEVERITIES)
        return right / total if total else 0.0

    @property
    def severity_within_one(self) -> float:
        total = sum(sum(row.values()) for row in self.severity_confusion.values())
        near = sum(
            n
            for g, row in self.severity_confusion.items()
            for p, n in row.items()
            if abs(SEVERITIES.index(g) - SEVERITIES.index(p)) <= 1
        )
        return near / total if total else 0.0

    @property
    def fault_type_accuracy(self) -> float:
        return self.fault_type_correct / self.fault_type_total if self.fault_type_total else 0.0

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready object (``json.dumps`` it) with per-field scores and every error."""
        return {
            "reports": self.reports,
            "fields": {
                k: {"precision": s.precision, "recall": s.recall, "f1": s.f1, **asdict(s)}
                for k, s in self.fields.items()
            },
            "severity": {
                "accuracy": self.severity_accuracy,
                "within_one": self.severity_within_one,
                "confusion": self.severity_confusion,
            },
            "fault_type": {"accuracy": self.fault_type_accuracy, "total": self.fault_type_total},
            "errors": [asdict(e) for e in self.errors],
        }
