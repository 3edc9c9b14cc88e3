"""What each ``intake-bot`` subcommand does, given a built :class:`App`."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot import leases
from bot.app import App
from bot.channels.imap import imap_health
from bot.classifier.types import Extraction
from bot.errors import IntakeError
from bot.fields import FIELD_KEYS
from bot.report_text import report_from_path
from bot.ticket_view import ticket_json, ticket_text
from storage import repositories as repo
from storage.db import upgrade
from storage.models import OutboxItem, RawMessage


def extract(app: App, files: list[Path]) -> int:
    extractor = app.extractor
    for path in files:
        try:
            report = report_from_path(path)
        except OSError as exc:
            raise IntakeError(f"cannot read {path}: {exc.strerror or exc}") from None
        print(json.dumps(extraction_json(str(path), extractor.extract(report)), ensure_ascii=False))
    return 0


def extraction_json(source: str, extraction: Extraction) -> dict[str, object]:
    out: dict[str, object] = {"source": source}
    out |= {key: extraction.value(key) for key in FIELD_KEYS}
    out["evidence"] = {
        key: {
            "text": f.evidence.text,
            "source": f.evidence.source,
            "start": f.evidence.start,
            "end": f.evidence.end,
            "confidence": round(f.confidence, 3),
            "explicit": f.explicit,
        }
        for key, f in extraction.findings.items()
        if f.evidence is not None
    }
    return out


def ingest(app: App, files: list[Path]) -> int:
    intake = app.intake
    mailbox = app.config.intake.ingest_mailbox
    counts: dict[str, int] = {}
    show_progress = len(files) > 1
    for n, path in enumerate(files, 1):
        data = _read(path)
        raw_id = intake.store_raw(data, channel="email", mailbox=mailbox)
        result = intake.process(raw_id)
        counts[result.status] = counts.get(result.status, 0) + 1
        print(f"{path}: {result.status}: {result.outcome}", flush=True)
        if show_progress and (n % 25 == 0 or n == len(files)):
            print(f"ingest: {n}/{len(files)} ({n * 100 // len(files)}%)", file=sys.stderr)
    summary = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
    print(f"ingest: {len(files)} file(s): {summary or 'nothing to do'}", file=sys.stderr)
    return 1 if counts.get("failed") else 0


def outbox_flush(app: App) -> int:
    result = app.outbox.flush()
    print(f"outbox: {result.sent} sent, {result.retrying} to retry, {result.failed} failed")
    for error in result.errors:
        print(f"outbox: {error}", file=sys.stderr)
    return 1 if result.failed else 0


def tickets_list(app: App, *, as_json: bool) -> int:
    with app.sessions() as session:
        tickets = repo.all_tickets(session)
        if as_json:
            print(
                json.dumps([ticket_json(session, t) for t in tickets], ensure_ascii=False, indent=1)
            )
            return 0
        for t in tickets:
            company = t.contact.company if t.contact and t.contact.company else "-"
            print(
                f"{t.reference}  {t.status:<16} {t.priority or '-':<3} {t.fault_type or '-':<9}"
                f" {company[:24]:<24} {t.subject[:60]}"
            )
        if not tickets:
            print("no tickets", file=sys.stderr)
    return 0


def ticket_action(app: App, action: str, reference: str, text: str, *, actor: str | None) -> int:
    """``tickets reply|ask|note|resolve|assign|priority|escalate`` — as an engineer in Slack."""
    who = actor or os.environ.get("USER") or "cli"
    actions = app.ticket_actions
    match action:
        case "reply":
            result = actions.reply(reference, text, actor=f"cli:{who}", engineer=who)
        case "ask":
            result = actions.ask(reference, text, actor=f"cli:{who}", engineer=who)
        case "resolve":
            result = actions.resolve(reference, text, actor=f"cli:{who}", engineer=who)
        case "note":
            result = actions.add_note(reference, text, actor=f"cli:{who}")
        case "assign":
            result = actions.assign(reference, text, actor=f"cli:{who}")
        case "priority":
            result = actions.set_priority(reference, text, actor=f"cli:{who}")
        case "escalate":
            result = actions.escalate(reference, text, actor=f"cli:{who}")
        case _:  # pragma: no cover - argparse allows nothing else
            raise AssertionError(action)
    print(result.summary)
    return 0


def tickets_show(app: App, reference: str, *, as_json: bool) -> int:
    found = app.references.find_all(reference)
    if len(found) != 1:
        raise IntakeError(f"not a valid reference: {reference!r} (format like {_example(app)})")
    with app.sessions() as session:
        ticket = repo.ticket_by_reference(session, found[0])
        if ticket is None:
            raise IntakeError(f"no ticket {found[0]}")
        data = ticket_json(session, ticket)
    print(json.dumps(data, ensure_ascii=False, indent=1) if as_json else ticket_text(data))
    return 0


def db_upgrade(app: App) -> int:
    from storage.db import make_engine

    engine = make_engine(app.config.storage.url)
    try:
        before, after = upgrade(engine)
    finally:
        engine.dispose()
    if before == after:
        print(f"database already at {after}")
    else:
        print(f"database upgraded from {before or 'empty'} to {after}")
    return 0


def evaluate(app: App, gold: list[Path], *, as_json: bool) -> int:
    from bot.classifier.evaluation import evaluate as run_eval
    from bot.classifier.evaluation import format_report

    for path in gold:
        if not path.is_file():
            raise IntakeError(f"no such gold file: {path}")
    report = run_eval(gold, app.extractor)
    print(json.dumps(report.to_json(), indent=1) if as_json else format_report(report))
    return 0


def replay(app: App, raw_ids: list[int]) -> int:
    """Process kept messages again: those named, or every one that failed."""
    with app.sessions() as session:
        if raw_ids:
            known = set(session.scalars(select(RawMessage.id).where(RawMessage.id.in_(raw_ids))))
            unknown = [str(i) for i in raw_ids if i not in known]
            if unknown:
                raise IntakeError(f"no stored message with id {', '.join(unknown)}")
        else:
            raw_ids = list(
                session.scalars(
                    select(RawMessage.id)
                    .where(RawMessage.status == "failed")
                    .order_by(RawMessage.id)
                )
            )
    if not raw_ids:
        print("replay: no failed messages")
        return 0
    failed = 0
    for raw_id in raw_ids:
        result = app.intake.process(raw_id, again=True)
        failed += result.status == "failed"
        print(f"{raw_id}: {result.status}: {result.outcome}")
    return 1 if failed else 0


def status(app: App) -> int:
    with app.sessions() as session:
        raw = dict(
            session.execute(
                select(RawMessage.status, func.count()).group_by(RawMessage.status)
            ).all()
        )
        outbox = dict(
            session.execute(
                select(OutboxItem.status, func.count()).group_by(OutboxItem.status)
            ).all()
        )
        last = session.scalar(select(func.max(RawMessage.processed_at)))
        failures = session.execute(
            select(RawMessage.id, RawMessage.received_at, RawMessage.error)
            .where(RawMessage.status == "failed")
            .order_by(RawMessage.id.desc())
            .limit(20)
        ).all()
        imap = imap_health(session)
        held = leases.all_leases(session, app.clock())
    print("messages: " + (", ".join(f"{n} {s}" for s, n in sorted(raw.items())) or "none"))
    print(f"last processed: {last.isoformat() if last else 'never'}")
    print("outbox: " + (", ".join(f"{n} {s}" for s, n in sorted(outbox.items())) or "empty"))
    for box in imap:
        print(
            f"imap {box['mailbox']}: last successful fetch"
            f" {box['last_successful_fetch'] or 'never'}"
            f", checkpoint uidvalidity={box['uidvalidity']} uid={box['last_uid']}"
            f", {box['failed_messages']} set aside"
            + (
                f", last error {box['last_error_at']}: {box['last_error']}"
                if box["last_error"]
                else ""
            )
        )
    for name, holder, until in held:
        print(
            f"lease {name}: held by {holder} until {until.isoformat()}"
            if holder and until
            else f"lease {name}: free (no instance is doing this job now)"
        )
    for raw_id, at, error in failures:
        first = (error or "").splitlines()[0] if error else ""
        print(f"failed {raw_id} received {at.isoformat()}: {first}  (intake-bot replay {raw_id})")
    return 0


def sla(app: App, *, show_all: bool, as_json: bool) -> int:
    from bot.sla.report import sla_states
    from bot.sla.targets import calendar_for

    with app.sessions() as session:
        states = sla_states(
            session, calendar_for(app.config.sla), app.clock(), app.config.sla.warn_at
        )
    shown = [s for s in states if show_all or s.state != "on track"]
    if as_json:
        rows = [
            {
                "reference": s.reference,
                "priority": s.priority,
                "status": s.status,
                "state": s.state,
                "resolution_due_at": s.due_at.isoformat(),
                "used": round(s.used, 3),
                "business_hours_left": round(s.left.total_seconds() / 3600, 2),
            }
            for s in shown
        ]
        print(json.dumps(rows, indent=1))
        return 0
    for s in shown:
        hours = s.left.total_seconds() / 3600
        print(
            f"{s.reference}  {s.priority}  {s.state:<9} resolution due {s.due_at.isoformat()}"
            f"  ({hours:+.1f} business hours, {s.used:.0%} used)  {s.status}"
        )
    if not shown:
        print("no open tickets at risk" if states else "no open tickets", file=sys.stderr)
    return 0


def contracts_import(app: App, path: Path) -> int:
    from bot.contracts.csv_import import import_contracts

    try:
        text = path.read_text(encoding="utf-8-sig")  # spreadsheets write a BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise IntakeError(f"cannot read {path}: {exc}") from None
    with app.sessions.begin() as session:
        result = import_contracts(session, text, app.clock())
    for error in result.errors:
        print(f"{path}: {error}", file=sys.stderr)
    print(f"contracts: {result.imported} imported, {len(result.errors)} rejected")
    return 1 if result.errors else 0


def contracts_list(app: App) -> int:
    from storage.models import Contract, CoveredAsset

    with app.sessions() as session:
        for c in session.scalars(select(Contract).order_by(Contract.number)):
            count = session.scalar(
                select(func.count())
                .select_from(CoveredAsset)
                .where(CoveredAsset.contract_number == c.number)
            )
            print(
                f"{c.number}  {c.company}  {c.cover}  {c.starts_on} to {c.ends_on}"
                f"  {count} serial(s)  {c.domains}"
            )
    return 0


def _counts(session: Session, column: InstrumentedAttribute[str]) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).group_by(column)).all()
    return {str(value): int(n) for value, n in rows}


def _read(path: Path) -> bytes:
    if str(path) == "-":
        return sys.stdin.buffer.read()
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IntakeError(f"cannot read {path}: {exc.strerror or exc}") from None


def _example(app: App) -> str:
    return app.references.format(2026, 42)
