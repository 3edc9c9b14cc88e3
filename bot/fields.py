"""The desk's field keys (a contract with other tools) and which ones a report needs.

The keys and the rules come from DESIGN.md: what the desk asks for when a fault is logged.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

FieldKey = Literal[
    "contract_number",
    "company_name",
    "contact_name",
    "contact_email",
    "contact_phone",
    "manufacturer",
    "model",
    "serial_number",
    "software_version",
    "fault_type",
    "severity",
    "stated_severity",
    "fault_summary",
    "diagnosis_summary",
    "location",
]
FIELD_KEYS: Final[tuple[FieldKey, ...]] = get_args(FieldKey)

FaultType = Literal["hardware", "software", "query"]
FAULT_TYPES: Final[tuple[FaultType, ...]] = get_args(FaultType)

Severity = Literal["P1", "P2", "P3", "P4"]
SEVERITIES: Final[tuple[Severity, ...]] = get_args(Severity)

# Human labels, used in replies and accepted back from customers as "Label: value" lines.
FIELD_LABELS: Final[dict[FieldKey, str]] = {
    "contract_number": "Contract number",
    "company_name": "Company",
    "contact_name": "Contact name",
    "contact_email": "Contact email",
    "contact_phone": "Contact phone",
    "manufacturer": "Manufacturer",
    "model": "Model",
    "serial_number": "Serial number",
    "software_version": "Software version",
    "fault_type": "Fault type",
    "severity": "Priority",
    "stated_severity": "Stated priority",
    "fault_summary": "Fault",
    "diagnosis_summary": "What you have tried",
    "location": "Equipment location",
}


def required_fields(fault_type: str | None) -> tuple[FieldKey, ...]:
    """The fields a ticket of this fault type must have before engineers can work it.

    ``contact_phone``/``contact_email`` are one requirement ("phone or email"); callers check
    that pair with :func:`has_contact_route`, so neither appears here.
    """
    keys: list[FieldKey] = ["company_name", "contact_name", "fault_summary"]
    if fault_type in ("software", "hardware"):
        keys += ["manufacturer", "model", "software_version"]
    if fault_type == "hardware":
        keys += ["serial_number", "location"]
    return tuple(keys)


def optional_asked_fields(fault_type: str | None) -> tuple[FieldKey, ...]:
    """Fields asked for once ("if known") but never required."""
    keys: list[FieldKey] = ["contract_number"]
    if fault_type in ("software", "hardware"):
        keys.append("diagnosis_summary")
    return tuple(keys)


def missing_fields(values: dict[str, str], fault_type: str | None) -> list[str]:
    """Required keys with no value yet, in the order a person would ask for them."""
    missing: list[str] = [k for k in required_fields(fault_type) if not values.get(k)]
    if not (values.get("contact_phone") or values.get("contact_email")):
        missing.append("contact_phone")
    return missing


_LABELS_BY_NAME: Final[dict[str, str]] = {key: label for key, label in FIELD_LABELS.items()}


def field_label(key: str) -> str:
    """The human label of a stored field key (stored keys are plain strings)."""
    return _LABELS_BY_NAME.get(key, key)
