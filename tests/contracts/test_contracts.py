"""Contract import (bad rows reported by line) and entitlement decisions, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.app import App
from bot.contracts.csv_import import import_contracts
from bot.contracts.entitlement import assess
from storage.models import Contract, CoveredAsset
from tests.conftest import FIXTURES

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CSV = (FIXTURES / "contracts-with-errors.csv").read_text(encoding="utf-8")


def test_import_reports_bad_rows_by_line_and_keeps_good_ones(app: App) -> None:
    with app.sessions.begin() as session:
        result = import_contracts(session, CSV, NOW)
    assert result.imported == 2
    assert result.errors == [
        "line 4: starts_on '2026-13-01' is not a date (YYYY-MM-DD)",
        "line 5: company is empty",
        "line 6: hardware_replacement must be yes or no, not 'maybe'",
        "line 7: contract KL-2291 already given on line 2",
    ]
    with app.sessions() as session:
        karoo = session.get(Contract, "KL-2291")
        assert karoo is not None
        assert karoo.hardware_replacement
        assert karoo.around_the_clock
        assert karoo.domains == "karoo-logistics.example"
        asset = session.get(CoveredAsset, "FG100FTK21004567")
        assert asset is not None
        assert asset.product == "FortiGate 100F"
        assert session.get(Contract, "HF-1001") is not None  # numbers are upper-cased


def test_reimport_updates_and_moves_serials(app: App) -> None:
    with app.sessions.begin() as session:
        import_contracts(session, CSV, NOW)
    moved = (
        "contract_number,company,cover,starts_on,ends_on,serials\n"
        "NEW-1,Karoo Logistics (Pty) Ltd,NBD,2026-01-01,2027-01-01,FGT60FTK20012345\n"
    )
    with app.sessions.begin() as session:
        assert import_contracts(session, moved, NOW).errors == []
    with app.sessions() as session:
        asset = session.get(CoveredAsset, "FGT60FTK20012345")
        assert asset is not None
        assert asset.contract_number == "NEW-1"


def test_header_mistakes_are_named(app: App) -> None:
    with app.sessions.begin() as session:
        result = import_contracts(session, "contract,company\nX,Y\n", NOW)
    assert result.imported == 0
    assert result.errors[0].startswith("line 1: missing column contract_number, cover")
    assert "unknown column contract" in result.errors[0]


def _assess(app: App, **kw: str | None) -> tuple[str | None, str, tuple[str, ...]]:
    with app.sessions() as session:
        args = {"stated": None, "serial": None, "domain": None} | kw
        found = assess(session, today=date(2026, 11, 23), **args)  # type: ignore[arg-type]
        return (found.contract.number if found.contract else None), found.found_by, found.problems


def test_entitlement_decisions(app: App) -> None:
    with app.sessions.begin() as session:
        import_contracts(session, CSV, NOW)
    # a known serial finds its contract, whatever else is said
    assert _assess(app, serial="fg100ftk21004567") == ("KL-2291", "serial", ())
    # a stated contract we do not hold
    number, _, problems = _assess(app, stated="ZZ-9")
    assert number is None
    assert problems == ("contract number ZZ-9 does not match a contract we hold",)
    # stated contract and serial disagree
    _, _, problems = _assess(app, stated="HF-1001", serial="FG100FTK21004567")
    assert "serial FG100FTK21004567 is covered by contract KL-2291, not HF-1001" in problems
    # an expired contract
    number, _, problems = _assess(app, stated="hf-1001")
    assert number == "HF-1001"
    assert problems == ("contract HF-1001 ended on 31 December 2025",)
    # a serial the stated contract does not list
    _, _, problems = _assess(app, stated="KL-2291", serial="UNKNOWN123")
    assert problems == ("serial UNKNOWN123 is not listed on contract KL-2291",)
    # nothing stated: the sender's domain suggests the contract
    assert _assess(app, domain="hf.example")[:2] == ("HF-1001", "domain")
    assert _assess(app, domain="gmail.com") == (None, "", ())
