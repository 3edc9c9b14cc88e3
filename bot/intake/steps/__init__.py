"""Intake steps: each a function ``(ctx) -> None`` with one job; see ``pipeline.STEPS``."""
