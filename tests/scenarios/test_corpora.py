"""Every real-world mail in ../shared/corpora goes through `intake-bot ingest` without an
unhandled exception, and ends as a ticket, a screened message with its reason, or a duplicate."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from bot.cli import main

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"


def test_every_corpus_mail_is_ingested(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    files = sorted(
        str(p) for p in CORPORA.rglob("*") if p.is_file() and p.suffix not in {".yml", ".md"}
    )
    code = main(["ingest", *files])  # named one by one: a folder gives only its *.eml
    out, err = capsys.readouterr()
    lines = out.splitlines()
    statuses = Counter(re.match(r"^.*?: (\w+): ", line).group(1) for line in lines)  # type: ignore[union-attr]
    reasons = Counter(
        m.group(1) for line in lines if (m := re.search(r": screened: screened \(([^)]*)\)", line))
    )
    report = {"files": len(lines), "statuses": dict(statuses), "screened_reasons": dict(reasons)}
    with capsys.disabled():  # the counts, in every run's output
        print("\ncorpora ingest:", json.dumps(report))
    assert code == 0, err
    assert statuses["failed"] == 0, [line for line in lines if ": failed: " in line]
    assert len(lines) > 230
    assert set(statuses) <= {"processed", "screened", "duplicate"}
    assert statuses["processed"] > 100
    assert reasons["bounce"] >= 10  # the corpora hold at least a dozen DSNs

    code = main(["tickets", "list", "--json"])
    tickets = json.loads(capsys.readouterr().out)
    assert len(tickets) == statuses["processed"] - sum(
        1 for line in lines if ": processed: updated " in line
    )
    stored = list((tmp_path / "attachments").rglob("*"))
    assert all(p.resolve().is_relative_to((tmp_path / "attachments").resolve()) for p in stored)
