"""How the bot words its replies: questions per field, priority names, response targets.

Kept apart from the templates so the wording can be reviewed by the desk in one place.
"""

from __future__ import annotations

import re

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

REPLACEMENT_QUESTION = (
    "The delivery address and a site contact (name and phone) for the replacement unit"
)

PRIORITY_NAMES = {"P1": "Urgent", "P2": "High", "P3": "Medium", "P4": "Low"}

FAULT_NOUNS = {"query": "query", "hardware": "fault report", "software": "fault report"}


# Negated and low phrases first: "not urgent" must not read as "urgent".
_STATED_LEVELS = (
    ("P4", ("p4", "low", "not urgent", "no rush", "whenever", "minor")),
    ("P1", ("p1", "urgent", "critical", "emergency", "severity 1", "sev1", "top priority", "asap")),
    ("P2", ("p2", "high", "severity 2", "sev2")),
    ("P3", ("p3", "medium", "normal", "moderate", "severity 3", "sev3")),
)


def stated_level(stated: str | None) -> str | None:
    """The priority a customer's own words claim ("URGENT" → P1), or None if unclear."""
    if not stated:
        return None
    text = " ".join(stated.lower().split())
    for level, words in _STATED_LEVELS:
        if any(re.search(rf"\b{re.escape(word)}\b", text) for word in words):
            return level
    return None


def stated_note(stated: str | None, assessed: str) -> str | None:
    """A sentence for when the customer's claimed priority differs from the desk's."""
    claimed = stated_level(stated)
    if claimed is None or claimed == assessed:
        return None
    if claimed < assessed:  # "P1" < "P3": they think it is more urgent than we do
        return (
            f'You described this as "{stated}"; from what you have told us we have assessed it'
            f" as {assessed} under our priority definitions. If the impact is greater than we"
            " have understood, please reply and tell us, or phone the desk."
        )
    return (
        f'You described this as "{stated}", but from what you have told us it is a {assessed}'
        " under our priority definitions, so we have given it that priority."
    )


def display_phone(e164: str) -> str:
    """``+27215550143`` → ``+27 21 555 0143`` for people to read."""
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def response_target(priority: str | None, sla: SlaConfig) -> str:
    business = "" if sla.around_the_clock else "business "
    match priority:
        case "P1":
            return _plural(sla.response_hours_p1, f"{business}hour")
        case "P2":
            return _plural(sla.response_hours_p2, f"{business}hour")
        case "P3":
            return _plural(sla.response_business_days_p3, f"{business}day")
        case _:
            return _plural(sla.response_business_days_p4, f"{business}day")


def _plural(n: float, unit: str) -> str:
    return f"{n:g} {unit}" + ("" if n == 1 else "s")
