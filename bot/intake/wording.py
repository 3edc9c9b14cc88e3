"""How the bot words its replies: questions per field, priority names, response targets.

Kept apart from the templates so the wording can be reviewed by the desk in one place.
"""

from __future__ import annotations

from bot.config import SlaConfig

QUESTIONS: dict[str, str] = {
    "company_name": "Your company name",
    "contact_name": "The name of the person we should contact",
    "contact_phone": "A phone number we can reach you on",
    "manufacturer": "The manufacturer of the affected product (e.g. Cisco, Fortinet)",
    "model": "The model of the affected product",
    "serial_number": "The serial number of the faulty unit (on the label, or 'show version')",
    "software_version": "The software/firmware version it is running",
    "location": "The site address where the equipment is, in case we need to ship a replacement",
    "fault_summary": "A short description of the fault",
    "contract_number": "Your support contract number, if you know it",
    "diagnosis_summary": "Anything you have already tried (restarts, cable swaps), if anything",
}

PRIORITY_NAMES = {"P1": "Urgent", "P2": "High", "P3": "Medium", "P4": "Low"}

FAULT_NOUNS = {"query": "query", "hardware": "fault report", "software": "fault report"}


def response_target(priority: str | None, sla: SlaConfig) -> str:
    match priority:
        case "P1":
            return _hours(sla.response_hours_p1)
        case "P2":
            return _hours(sla.response_hours_p2)
        case "P3":
            return _days(sla.response_business_days_p3)
        case _:
            return _days(sla.response_business_days_p4)


def _hours(n: float) -> str:
    return f"{n:g} hour" + ("" if n == 1 else "s")


def _days(n: float) -> str:
    return f"{n:g} business day" + ("" if n == 1 else "s")
