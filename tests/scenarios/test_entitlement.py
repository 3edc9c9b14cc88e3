"""A report checked against our contracts: cover shown, 24x7 due times, and a contract number
that does not add up asked about politely (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from bot.app import App
from bot.contracts.csv_import import import_contracts
from bot.ticket_view import ticket_json
from storage import repositories as repo
from tests.helpers import body, delivered, ingest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _import(app: App) -> None:
    with app.sessions.begin() as session:
        result = import_contracts(session, (EXAMPLES / "contracts.csv").read_text(), app.clock())
    assert result.errors == []


def test_contract_cover_in_reply_and_24x7_targets(app: App) -> None:
    _import(app)
    result = ingest(app, (EXAMPLES / "fault-report.eml").read_bytes())
    app.outbox.flush()
    text = body(delivered(app)[0])
    assert (
        "Cover: 4-hour hardware replacement 24x7 under contract KL-2291 (until 31 March 2027)"
        in text
    )
    with app.sessions() as session:
        ticket = repo.ticket_by_reference(session, result.reference or "")
        assert ticket is not None
        data = ticket_json(session, ticket)
        assert ticket.response_due_at is not None
        # 24x7 cover: a P1 response is due two clock hours after opening, whatever the day
        if ticket.priority == "P1":
            assert (ticket.response_due_at - ticket.created_at).total_seconds() == 2 * 3600
    (event,) = [e for e in data["events"] if e["kind"] == "entitlement"]
    assert event["detail"]["contract"] == "KL-2291"
    assert event["detail"]["problems"] == []


def test_unknown_contract_number_is_asked_about_politely(app: App) -> None:
    _import(app)
    raw = (EXAMPLES / "fault-report.eml").read_bytes().replace(b"KL-2291", b"KL-9999")
    result = ingest(app, raw)
    app.outbox.flush()
    text = " ".join(body(delivered(app)[0]).split())
    assert "contract number KL-9999 does not match a contract we hold" in text
    assert "Could you please confirm your contract number?" in text
    assert result.status == "processed"  # logged either way


def test_known_serial_fills_in_the_contract_and_company(app: App) -> None:
    _import(app)
    raw = (EXAMPLES / "fault-report.eml").read_bytes()
    raw = raw.replace(b"Our contract number is KL-2291.", b"Serial FCW2231L0AB.")
    raw = raw.replace(b"Karoo Logistics (Pty) Ltd\n", b"\n")
    result = ingest(app, raw)
    with app.sessions() as session:
        ticket = repo.ticket_by_reference(session, result.reference or "")
        assert ticket is not None
        data = ticket_json(session, ticket)
    assert data["fields"]["contract_number"] == "HF-1001"
    assert data["provenance"]["contract_number"]["source"] == "contract"
