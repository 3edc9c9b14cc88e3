"""``Field: value`` lines, the way customers answer a form or the bot's questions.

A labelled line is the strongest evidence there is: the customer told us which field the value
belongs to. The label synonyms below are what people actually type, in UK and South African
English, including the bot's own labels from :data:`bot.fields.FIELD_LABELS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from bot.fields import FIELD_LABELS, FieldKey

_SYNONYMS: Final[dict[FieldKey, tuple[str, ...]]] = {
    "contract_number": (
        "contract",
        "contract no",
        "contract number",
        "contract num",
        "contract ref",
        "contract reference",
        "contract id",
        "support contract",
        "support contract no",
        "support contract number",
        "support agreement",
        "support agreement no",
        "support agreement number",
        "agreement",
        "agreement no",
        "agreement number",
        "agreement ref",
        "agreement reference",
        "maintenance contract",
        "service contract",
        "service agreement",
        "customer contract",
        "contract code",
        "sla number",
        "sla no",
    ),
    "serial_number": (
        "serial",
        "serial no",
        "serial number",
        "serial num",
        "s/n",
        "sn",
        "s n",
        "serial #",
        "device serial",
        "unit serial",
        "chassis serial",
        "system serial",
        "serial nr",
        "serial numbers",
        "serials",
        "appliance serial",
        "hardware serial",
        "serial no of unit",
    ),
    "software_version": (
        "version",
        "software version",
        "firmware",
        "firmware version",
        "fw",
        "fw version",
        "os version",
        "software",
        "code version",
        "release",
        "build",
        "current version",
        "sw version",
        "sw",
        "running version",
        "os",
        "software release",
        "firmware level",
        "code",
        "running",
        "software/firmware",
        "firmware/software",
        "version running",
    ),
    "company_name": (
        "company",
        "company name",
        "organisation",
        "organization",
        "customer",
        "customer name",
        "business",
        "business name",
        "client",
        "org",
        "firm",
        "school",
        "account",
        "account name",
        "entity",
    ),
    "location": (
        "location",
        "site",
        "site address",
        "address",
        "equipment location",
        "delivery address",
        "shipping address",
        "premises",
        "site location",
        "branch",
        "device location",
        "unit location",
        "physical address",
        "installed at",
        "located",
        "site name",
        "ship to",
    ),
    "contact_phone": (
        "phone",
        "tel",
        "telephone",
        "mobile",
        "cell",
        "cellphone",
        "cell phone",
        "mob",
        "contact number",
        "phone number",
        "mobile number",
        "cell number",
        "direct line",
        "direct",
        "landline",
        "contact no",
        "contact phone",
        "tel no",
        "phone no",
        "t",
        "m",
        "c",
        "ph",
        "callback number",
        "call back number",
        "best number",
    ),
    "contact_name": (
        "name",
        "contact",
        "contact name",
        "your name",
        "full name",
        "contact person",
        "requested by",
        "reported by",
        "raised by",
        "on-site contact",
        "site contact",
    ),
    "contact_email": ("email", "e-mail", "email address", "contact email", "mail", "e"),
    "manufacturer": ("manufacturer", "vendor", "make", "brand", "make/model"),
    "model": (
        "model",
        "model number",
        "model no",
        "device",
        "product",
        "unit",
        "appliance",
        "hardware",
        "device model",
        "platform",
        "device type",
        "model/type",
        "equipment",
        "product name",
        "hardware model",
    ),
    "stated_severity": ("priority", "severity", "urgency", "impact", "business impact"),
}

_LABEL_TO_KEY: Final[dict[str, FieldKey]] = {
    label: key for key, labels in _SYNONYMS.items() for label in labels
}
for _key, _label in FIELD_LABELS.items():
    _LABEL_TO_KEY.setdefault(_label.lower(), _key)

# Keys a customer may state as "<label> is <value>" ("my serial number is ...").
_IS_KEYS: Final[frozenset[FieldKey]] = frozenset(
    {"serial_number", "software_version", "contract_number", "contact_phone", "contact_email"}
)

_LINE = re.compile(
    r"^[ \t>*•·\-–]*(?P<label>[A-Za-z][A-Za-z /.#()&'-]{0,38}?)[ \t]*"
    r"(?:[:=]|[ \t][-–—][ \t]|(?P<is>[ \t]is[ \t]))[ \t]*(?P<value>[^\n]*?)[ \t]*$",
    re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class LabelledValue:
    """A value the customer wrote after a recognised label, with the value's offsets."""

    key: FieldKey
    label: str
    value: str
    start: int
    end: int


def normalise_label(label: str) -> str:
    """Lower-case, ``.``/``()``/extra spaces removed: "Serial No." → "serial no"."""
    label = re.sub(r"[.()]", " ", label.lower())
    label = re.sub(r"\b(?:your|the|our|my)\b", " ", label)
    return re.sub(r"\s+", " ", label).strip()


def label_key(label: str) -> FieldKey | None:
    """The field a label names, if it is one we know."""
    return _LABEL_TO_KEY.get(normalise_label(label))


def labelled_values(text: str) -> list[LabelledValue]:
    """Every ``Label: value`` line in ``text`` whose label is a known synonym."""
    found: list[LabelledValue] = []
    for match in _LINE.finditer(text):
        key = label_key(match.group("label"))
        value = match.group("value").strip().rstrip(".,;")
        if key is None or not value:
            continue
        if match.group("is") and key not in _IS_KEYS:
            # "Site is down" is prose, not a labelled line; only identifiers read that way.
            continue
        start = match.start("value")
        found.append(LabelledValue(key, match.group("label"), value, start, start + len(value)))
    return found
