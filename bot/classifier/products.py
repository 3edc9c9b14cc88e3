"""Manufacturer and model: catalogue vendor names and product families found with spaCy's
PhraseMatcher, model designations with the catalogue's model patterns.

Subject and body are weighed together: a vendor scores for each mention and more for each model
of its own, with a bonus for the subject line (customers put the device there). The model is the
chosen vendor's first model; a named product (SmartConsole, ClearPass) only when no hardware model
is given.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bot.classifier.catalogue import Catalogue, Vendor
from bot.classifier.components import VENDOR_SPANS
from bot.classifier.labelled_lines import LabelledValue
from bot.classifier.parts import Part
from bot.classifier.types import Finding

# Models that are only a number ("1570", "6200") or one letter and three digits ("R650", "x440"):
# real models, but also years, counts and other vendors' products, so their vendor must be named.
_BARE_NUMBER = re.compile(r"(?:Spark |Quantum )?(?:\d{3,5}|[A-Z]\d{3}[A-Z]?)", re.IGNORECASE)
_WEIGHTS = {"mention": 1.0, "model": 1.5, "product": 0.5}


@dataclass(frozen=True, slots=True)
class Hit:
    """A vendor named (mention), one of its models, or one of its named products."""

    vendor: str
    kind: str
    part: Part
    start: int
    end: int

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", self.part.text[self.start : self.end]).strip()


class ProductFinder:
    """Finds manufacturer and model findings across the parts of a report."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._vendors = catalogue.vendors
        self._alias_vendor = {a.lower(): v.name for v in catalogue.vendors for a in v.aliases}
        aliases = sorted(self._alias_vendor, key=len, reverse=True)
        self._any_alias = re.compile(
            r"\b(?:" + "|".join(re.escape(a) for a in aliases) + r")\b", re.IGNORECASE
        )

    def canonical(self, name: str) -> str | None:
        """The canonical vendor for an alias or family name written by a customer."""
        lowered = name.lower().strip()
        for vendor in self._vendors:
            for phrase in (vendor.name, *vendor.aliases, *vendor.families):
                if lowered == phrase.lower() or lowered.startswith(phrase.lower() + " "):
                    return vendor.name
        return None

    def _loosely_named(self, text: str) -> set[str]:
        return {self._alias_vendor[m.group().lower()] for m in self._any_alias.finditer(text)}

    def _mentions(self, part: Part) -> list[Hit]:
        """Vendor mentions the ``vendor_mentions`` pipeline component marked in the doc."""
        doc = part.doc
        spans = doc.spans.get(VENDOR_SPANS, ())
        return [Hit(s.label_, "mention", part, s.start_char, s.end_char) for s in spans]

    def _patterns(self, part: Part, kind: str) -> list[Hit]:
        hits: list[Hit] = []
        for vendor in self._vendors:
            pattern = vendor.model_rx if kind == "model" else vendor.product_rx
            if pattern is None:
                continue
            for match in pattern.finditer(part.lower):
                start, end = match.span()
                if _plural_s(part.text, start, end):
                    end -= 1
                hits.append(Hit(vendor.name, kind, part, start, end))
        return hits

    def find(self, parts: Sequence[tuple[Part, Sequence[LabelledValue]]]) -> list[Finding]:
        """Manufacturer and model findings for the report made of ``parts``."""
        found: list[Finding] = []
        hits: list[Hit] = []
        for part, labelled in parts:
            found += self._labelled(part, labelled)
            hits += self._mentions(part) + self._patterns(part, "model")
            hits += self._patterns(part, "product")
        mentioned = {h.vendor for h in hits if h.kind == "mention"}
        # Bare-number models need their vendor named, in any case ("the extreme x465").
        named = mentioned | self._loosely_named(" ".join(p.text for p, _ in parts))
        hits = [h for h in hits if not _needs_mention(h) or h.vendor in named]
        vendor = _choose_vendor(hits)
        if vendor is None:
            return found
        own = [h for h in hits if h.vendor == vendor]
        first = own[0]
        confidence = 0.9 if vendor in mentioned else 0.85
        found.append(first.part.finding("manufacturer", vendor, confidence, first.start, first.end))
        for kind, confidence in (("model", 0.85), ("product", 0.75)):
            models = [h for h in own if h.kind == kind]
            if models:
                best = min(models, key=lambda h: (h.part.source != "subject", h.start, -h.end))
                found.append(
                    best.part.finding("model", best.text, confidence, best.start, best.end)
                )
                return found
        default = _vendor(self._vendors, vendor).default_model
        if default:
            found.append(first.part.finding("model", default, 0.6, first.start, first.end))
        return found

    def _labelled(self, part: Part, labelled: Sequence[LabelledValue]) -> list[Finding]:
        found: list[Finding] = []
        for item in labelled:
            if item.key == "manufacturer":
                name = self.canonical(item.value)
                if name:
                    found.append(
                        part.finding(
                            "manufacturer", name, 0.97, item.start, item.end, explicit=True
                        )
                    )
            elif item.key == "model":
                found += self._labelled_model(part, item)
        return found

    def _labelled_model(self, part: Part, item: LabelledValue) -> list[Finding]:
        value_part = Part(part.source, item.value, part.nlp)
        models = self._patterns(value_part, "model") + self._patterns(value_part, "product")
        if models:
            hit = min(models, key=lambda h: (h.start, -h.end))
            start, end = item.start + hit.start, item.start + hit.end
            return [
                part.finding("model", hit.text, 0.97, start, end, explicit=True),
                part.finding("manufacturer", hit.vendor, 0.9, start, end),
            ]
        value = re.split(r"\s[-–(]|,", item.value)[0].strip()
        if not value:
            return []
        return [
            part.finding("model", value, 0.9, item.start, item.start + len(value), explicit=True)
        ]


def _plural_s(text: str, start: int, end: int) -> bool:
    """ "AP-535s", "MR36s": a lower-case s after a digit or capital is a plural, not the model."""
    return end - start > 3 and text[end - 1] == "s" and not text[end - 2].islower()


def _needs_mention(hit: Hit) -> bool:
    """Bare numbers ("1570", "R650", "x440") are models only when their vendor is named too."""
    return hit.kind == "model" and _BARE_NUMBER.fullmatch(hit.text) is not None


def _choose_vendor(hits: Sequence[Hit]) -> str | None:
    scores: dict[str, float] = defaultdict(float)
    for hit in hits:
        scores[hit.vendor] += _WEIGHTS[hit.kind] + (hit.part.source == "subject")
    body = sorted((h for h in hits if h.part.source == "body"), key=lambda h: h.start)
    if body:
        scores[body[0].vendor] += 0.5
    return max(scores, key=lambda v: scores[v]) if scores else None


def _vendor(vendors: Sequence[Vendor], name: str) -> Vendor:
    return next(v for v in vendors if v.name == name)
