"""Field extraction and severity / fault-type classification for fault reports.

``load_extractor()`` compiles the spaCy pipeline and the vendor catalogue once; the returned
:class:`Extractor` is pure and safe to reuse for every report.
"""

from __future__ import annotations

from bot.classifier.types import (
    Evidence,
    Extraction,
    Extractor,
    Finding,
    ReportText,
    Sender,
    TextSource,
)

__all__ = [
    "Evidence",
    "Extraction",
    "Extractor",
    "Finding",
    "ReportText",
    "Sender",
    "TextSource",
    "load_extractor",
]


def load_extractor(model: str | None = None) -> Extractor:
    """The extractor, with its pipeline compiled once.

    Args:
        model: name of an installed spaCy model to build on; ``None`` (the default) uses a blank
            English pipeline, so nothing is downloaded or needed at run time.
    """
    from bot.classifier.pipeline import load  # spaCy import cost is paid here, not on import

    return load(model)
