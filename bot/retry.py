"""Waiting before trying again: one back-off rule for every retry loop in the bot."""

from __future__ import annotations

import random


def backoff_delay(attempt: int, base: float, cap: float) -> float:
    """Exponential back-off with "equal jitter": half fixed, half random, never above ``cap``.

    The jitter spreads retries of many workers (and many bots) after a shared outage, so they do
    not all return at once.
    """
    ceiling = min(cap, base * 2.0 ** max(0, attempt - 1))
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 - timing, not security
