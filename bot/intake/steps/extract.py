"""Reading the report: field extraction on the customer's new text (history kept aside)."""

from __future__ import annotations

from bot.intake.context import IntakeContext
from bot.report_text import report_from_inbound


def extract_fields(ctx: IntakeContext) -> None:
    ctx.extraction = ctx.deps.extractor.extract(report_from_inbound(ctx.inbound))
