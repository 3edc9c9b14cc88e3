"""Importing contracts from a CSV file, reporting every bad row by its line number.

The CSV shape (header row required, columns in any order):

    contract_number,company,domains,cover,hardware_replacement,around_the_clock,starts_on,ends_on,serials

- ``domains``: the customer's email domains, separated by ``;`` or spaces
- ``cover``: the cover level as the desk names it (``NBD``, ``4-hour hardware replacement``)
- ``hardware_replacement``, ``around_the_clock``: ``yes``/``no`` (also true/false, 1/0)
- ``starts_on``, ``ends_on``: ``YYYY-MM-DD``, inclusive
- ``serials``: covered serial numbers separated by ``;``, each optionally ``SERIAL=product``

A contract number that exists is updated (its covered serials replaced). Good rows are imported
even when others are bad; nothing of a bad row is.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage.models import Contract, CoveredAsset

COLUMNS = (
    "contract_number",
    "company",
    "domains",
    "cover",
    "hardware_replacement",
    "around_the_clock",
    "starts_on",
    "ends_on",
    "serials",
)
_REQUIRED = ("contract_number", "company", "cover", "starts_on", "ends_on")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


@dataclass(slots=True)
class ImportResult:
    imported: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Row:
    contract: Contract
    assets: list[CoveredAsset]


def import_contracts(session: Session, text: str, now: datetime) -> ImportResult:
    result = ImportResult()
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in _REQUIRED if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown:
        problems = [f"missing column {', '.join(missing)}"] if missing else []
        problems += [f"unknown column {', '.join(unknown)}"] if unknown else []
        result.errors.append(f"line 1: {'; '.join(problems)} (columns: {', '.join(COLUMNS)})")
        return result
    reader.fieldnames = header
    seen: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        try:
            row = _parse(raw, now)
        except ValueError as exc:
            result.errors.append(f"line {line}: {exc}")
            continue
        number = row.contract.number
        if number in seen:
            result.errors.append(
                f"line {line}: contract {number} already given on line {seen[number]}"
            )
            continue
        seen[number] = line
        _store(session, row)
        result.imported += 1
    return result


def _parse(raw: dict[str, str | None], now: datetime) -> _Row:
    value = {k: (v or "").strip() for k, v in raw.items() if k}
    for column in _REQUIRED:
        if not value.get(column):
            raise ValueError(f"{column} is empty")
    starts, ends = _date(value, "starts_on"), _date(value, "ends_on")
    if ends < starts:
        raise ValueError(f"ends_on {ends} is before starts_on {starts}")
    number = value["contract_number"].upper()
    contract = Contract(
        number=number,
        company=value["company"],
        domains=" ".join(
            d.lower().lstrip("@") for d in value.get("domains", "").replace(";", " ").split()
        ),
        cover=value["cover"],
        hardware_replacement=_flag(value, "hardware_replacement"),
        around_the_clock=_flag(value, "around_the_clock"),
        starts_on=starts,
        ends_on=ends,
        updated_at=now,
    )
    assets = []
    for item in value.get("serials", "").split(";"):
        serial, _, product = item.partition("=")
        serial = "".join(serial.split()).upper()
        if serial:
            assets.append(
                CoveredAsset(serial=serial, contract_number=number, product=product.strip())
            )
    return _Row(contract, assets)


def _store(session: Session, row: _Row) -> None:
    number = row.contract.number
    session.execute(delete(CoveredAsset).where(CoveredAsset.contract_number == number))
    serials = [a.serial for a in row.assets]
    if serials:  # a serial moves to the contract that now covers it
        session.execute(delete(CoveredAsset).where(CoveredAsset.serial.in_(serials)))
    session.merge(row.contract)
    session.flush()
    session.add_all(row.assets)
    session.flush()


def _date(value: dict[str, str], column: str) -> date:
    try:
        return date.fromisoformat(value[column])
    except ValueError:
        raise ValueError(f"{column} {value[column]!r} is not a date (YYYY-MM-DD)") from None


def _flag(value: dict[str, str], column: str) -> bool:
    text = value.get(column, "").lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(f"{column} must be yes or no, not {value[column]!r}")
