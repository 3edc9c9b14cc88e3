"""What the form asks for each field: the question, a hint for a second try, and the choices
a chat can offer as buttons.

The wording of the plain questions is the desk's own (:data:`bot.intake.wording.QUESTIONS`), so
email and chat ask for the same thing the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.fields import field_label
from bot.intake.wording import QUESTIONS

# The impact question is the customer's own view of the priority (``stated_severity``); the
# desk still assesses ``severity`` itself. Each choice is answered as a "Label: value" line the
# extractor reads like any other answer.
IMPACT = "stated_severity"
IMPACT_QUESTION = "How badly is your service affected?"
IMPACT_CHOICES: tuple[tuple[str, str], ...] = (
    ("P1", "Down / unusable"),
    ("P2", "Degraded"),
    ("P3", "Some users only"),
    ("P4", "Just a question"),
)

# A second try names what a valid answer looks like.
HINTS: dict[str, str] = {
    "serial_number": (
        "That doesn't look like a serial number. It is usually 8–20 letters and digits, on a"
        " label on the unit or in the output of 'show version' (e.g. FGT60FTK2109ABCD)."
    ),
    "software_version": (
        "That doesn't look like a version. It is usually numbers with dots, e.g. 7.2.5 or"
        " 17.9.4a, shown on the login page or by 'show version'."
    ),
    "contact_phone": (
        "That doesn't look like a phone number. Please send it with the country code,"
        " e.g. +44 20 7946 0123."
    ),
    "contact_email": "That doesn't look like an email address, e.g. jane@example.com.",
    "model": "Please send the model as printed on the unit, e.g. FortiGate 60F or C9300-48P.",
    "manufacturer": "Please send the make, e.g. Cisco, Fortinet, Aruba or Palo Alto Networks.",
    "company_name": "Please send your company's name, e.g. Acme Ltd.",
    "contact_name": "Please send the name of the person we should call, e.g. Jane Smith.",
    "location": "Please send the site address, with the postcode if you have it.",
}


@dataclass(frozen=True, slots=True)
class Choice:
    label: str  # what the button says
    value: str  # what is sent back when it is pressed


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    text: str
    choices: tuple[Choice, ...] = ()
    optional: bool = False


def question_for(key: str, *, optional: bool = False, text: str | None = None) -> Question:
    """The question for ``key``; optional ones (and every one, on a chat) can be skipped."""
    if key == IMPACT:
        choices = tuple(Choice(f"{level} · {label}", level) for level, label in IMPACT_CHOICES)
        return Question(key, IMPACT_QUESTION, choices, optional=True)
    wording = text or QUESTIONS.get(key) or field_label(key)
    return Question(key, wording.rstrip(".") + "?", optional=optional)


def hint_for(key: str) -> str:
    return HINTS.get(key, "I couldn't read that as an answer to my question.")


def answer_line(key: str, value: str) -> str:
    """An answer as the ``Label: value`` line the extractor reads with the most confidence."""
    label = "Stated priority" if key == IMPACT else field_label(key)
    return f"{label}: {value.strip()}"
