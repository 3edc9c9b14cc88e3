"""Shared fixtures: one compiled extractor for the whole test session (loading costs ~1 s)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.classifier import Extraction, Extractor, ReportText, Sender, load_extractor


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return load_extractor()


@pytest.fixture
def extract(extractor: Extractor) -> Callable[..., Extraction]:
    """``extract(body, subject=..., quoted=..., name=..., email=...)`` → Extraction."""

    def run(
        body: str,
        *,
        subject: str = "",
        quoted: str = "",
        name: str | None = None,
        email: str | None = None,
    ) -> Extraction:
        report = ReportText(
            body=body, subject=subject, quoted=quoted, sender=Sender(name=name, email=email)
        )
        return extractor.extract(report)

    return run
