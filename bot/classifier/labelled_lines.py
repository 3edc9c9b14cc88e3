"""``Field: value`` lines, the way customers answer a form or the bot's questions.

A labelled line is the strongest evidence there is: the customer told us which field the value
belongs to. The label synonyms below are what people actually type, in UK and South African
English, including the bot's own labels from :data:`bot.fields.FIELD_LABELS`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Final

from bot.fields import FIELD_KEYS, FIELD_LABELS, FieldKey


def _load_synonyms() -> dict[FieldKey, tuple[str, ...]]:
    text = resources.files(__package__).joinpath("data", "labels.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    unknown = set(raw) - set(FIELD_KEYS)
    if unknown:
        raise ValueError(f"labels.toml: unknown field keys {sorted(unknown)}")
    return {key: tuple(raw[key]) for key in FIELD_KEYS if key in raw}


_SYNONYMS: Final[dict[FieldKey, tuple[str, ...]]] = _load_synonyms()

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


@lru_cache(maxsize=8)  # within one report only: each part is read by several extractors
def labelled_values(text: str) -> tuple[LabelledValue, ...]:
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
    return tuple(found)
