"""The vendor catalogue (data/catalogue.toml) loaded into compiled, typed form.

Vendors, product families and the shapes of their models, serials and versions change more often
than the extraction logic, so they live in a data file that a desk engineer can extend.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

_DEFAULT_RESOURCE = "catalogue.toml"


@dataclass(frozen=True, slots=True)
class Vendor:
    """One manufacturer and everything that identifies its products."""

    name: str
    aliases: tuple[str, ...]
    families: tuple[str, ...]
    models: tuple[re.Pattern[str], ...]
    products: tuple[re.Pattern[str], ...]
    default_model: str | None
    serials: tuple[re.Pattern[str], ...]
    unlabelled_serials: bool
    version_prefixes: tuple[str, ...]
    versions: tuple[re.Pattern[str], ...]
    model_rx: re.Pattern[str] | None = None
    product_rx: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class Catalogue:
    """All vendors, in file order (earlier vendors win ties between equal matches)."""

    vendors: tuple[Vendor, ...]

    def vendor(self, name: str) -> Vendor | None:
        """The vendor with this canonical name, if catalogued."""
        for vendor in self.vendors:
            if vendor.name == name:
                return vendor
        return None

    def all_version_prefixes(self) -> tuple[str, ...]:
        """Every vendor's version prefix words, longest first so "IOS-XE" beats "IOS"."""
        words = {p for v in self.vendors for p in v.version_prefixes}
        return tuple(sorted(words, key=len, reverse=True))


def _bounded(pattern: str, flags: int) -> re.Pattern[str]:
    # Model and serial shapes are whole tokens: never the middle of a longer word or number.
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w]|-\w)", flags)


def _strings(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    values = raw.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"catalogue: {key!r} must be a list of strings")
    return tuple(values)


def lower_pattern(pattern: str) -> str:
    """The pattern for lower-cased text: literals lowered; escapes and group names kept.

    Matching it against ``text.lower()`` is what ``re.IGNORECASE`` does for ASCII, several
    times faster.
    """
    return re.sub(
        r"\\.|\(\?P<\w+>|\(\?P=\w+\)|[A-Z]",
        lambda m: m.group() if len(m.group()) > 1 else m.group().lower(),
        pattern,
    )


def _combined(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """All of a vendor's patterns as one, for lower-cased text (matched against ``Part.lower``).

    One pass per vendor instead of one per pattern, and no ``re.IGNORECASE``: together several
    times faster, and extraction speed is a target.
    """
    if not patterns:
        return None
    return _bounded(lower_pattern("|".join(f"(?:{p})" for p in patterns)), 0)


def _vendor(raw: dict[str, Any]) -> Vendor:
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise ValueError("catalogue: every vendor needs a name")
    products = tuple(re.escape(p).replace(r"\ ", r"\s+") for p in _strings(raw, "products"))
    return Vendor(
        name=name,
        aliases=_strings(raw, "aliases"),
        families=_strings(raw, "families"),
        models=tuple(_bounded(p, re.IGNORECASE) for p in _strings(raw, "models")),
        products=tuple(_bounded(p, re.IGNORECASE) for p in products),
        default_model=raw.get("default_model") or None,
        serials=tuple(_bounded(p, 0) for p in _strings(raw, "serials")),
        unlabelled_serials=bool(raw.get("unlabelled_serials", False)),
        version_prefixes=_strings(raw, "version_prefixes"),
        versions=tuple(_bounded(p, 0) for p in _strings(raw, "versions")),
        model_rx=_combined(_strings(raw, "models")),
        product_rx=_combined(products),
    )


def parse_catalogue(text: str) -> Catalogue:
    """Build a catalogue from TOML text (``[[vendor]]`` tables)."""
    data = tomllib.loads(text)
    vendors = data.get("vendor", [])
    if not isinstance(vendors, list):
        raise ValueError("catalogue: [[vendor]] tables expected")
    return Catalogue(vendors=tuple(_vendor(v) for v in vendors))


def load_catalogue() -> Catalogue:
    """The catalogue shipped inside the package."""
    text = resources.files(__package__).joinpath("data", _DEFAULT_RESOURCE).read_text("utf-8")
    return parse_catalogue(text)
