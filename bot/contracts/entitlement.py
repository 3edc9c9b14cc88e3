"""What a report is entitled to: the contract that covers it, found by serial, stated number or
the sender's domain — and what does not add up, politely, for the customer to confirm."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Contract, CoveredAsset


@dataclass(frozen=True, slots=True)
class Entitlement:
    contract: Contract | None = None
    found_by: str = ""  # serial | stated | domain
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def summary(self) -> str:
        c = self.contract
        if c is None:
            return ""
        return f"{c.cover} under contract {c.number} (until {c.ends_on:%d %B %Y})"


def assess(
    session: Session,
    *,
    stated: str | None,
    serial: str | None,
    domain: str | None,
    today: date,
) -> Entitlement:
    stated = stated.strip().upper() if stated else None
    serial = "".join(serial.split()).upper() if serial else None
    asset = session.get(CoveredAsset, serial) if serial else None
    by_serial = session.get(Contract, asset.contract_number) if asset else None
    named = session.get(Contract, stated) if stated else None
    problems: list[str] = []
    if stated and named is None:
        problems.append(f"contract number {stated} does not match a contract we hold")
    if by_serial is not None and stated and by_serial.number != stated:
        problems.append(f"serial {serial} is covered by contract {by_serial.number}, not {stated}")
    if named is not None and serial and asset is None:
        problems.append(f"serial {serial} is not listed on contract {named.number}")
    contract, found_by = (by_serial, "serial") if by_serial else (named, "stated")
    if contract is None and not stated and domain:
        contract, found_by = _by_domain(session, domain), "domain"
    if contract is not None:
        if today > contract.ends_on:
            problems.append(f"contract {contract.number} ended on {contract.ends_on:%d %B %Y}")
        elif today < contract.starts_on:
            problems.append(f"contract {contract.number} starts on {contract.starts_on:%d %B %Y}")
    return Entitlement(contract, found_by if contract else "", tuple(problems))


def _by_domain(session: Session, domain: str) -> Contract | None:
    """The one contract of a company with this email domain; none if several or none."""
    domain = domain.lower()
    candidates = session.scalars(select(Contract).where(Contract.domains.contains(domain))).all()
    matching = [c for c in candidates if domain in c.domains.split()]
    return matching[0] if len(matching) == 1 else None
