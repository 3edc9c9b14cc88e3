"""Prometheus metrics: counters updated as the bot works, gauges read from the database.

Counters and the latency histogram live in one registry of our own (not the library's global
one), updated by the intake service. Backlogs, channel health and SLA breaches are read from the
database at scrape time, so every instance reports the shared truth.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Event, OutboxItem, RawMessage

REGISTRY = CollectorRegistry()
MESSAGES = Counter(
    "intake_messages_total",
    "Messages processed, by channel and outcome",
    ["channel", "status"],
    registry=REGISTRY,
)
RECEIVED = Counter(
    "intake_messages_received_total", "Messages stored as received", ["channel"], registry=REGISTRY
)
LATENCY = Histogram(
    "intake_processing_seconds",
    "Time to process one stored message",
    registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class DatabaseGauges(Collector):
    def __init__(self, sessions: sessionmaker[Session], clock: Callable[[], datetime]) -> None:
        self.sessions = sessions
        self.clock = clock

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from bot.channels.imap import imap_health

        with self.sessions() as session:
            outbox = session.execute(
                select(OutboxItem.status, func.count()).group_by(OutboxItem.status)
            ).all()
            raw = session.execute(
                select(RawMessage.status, func.count()).group_by(RawMessage.status)
            ).all()
            breaches = session.scalar(
                select(func.count()).select_from(Event).where(Event.kind == "sla_breached")
            )
            imap = imap_health(session)
        backlog = GaugeMetricFamily("intake_outbox", "Outbox rows by status", labels=["status"])
        for status, n in outbox:
            backlog.add_metric([str(status)], float(n))
        yield backlog
        stored = GaugeMetricFamily(
            "intake_raw_messages", "Stored messages by status", labels=["status"]
        )
        for status, n in raw:
            stored.add_metric([str(status)], float(n))
        yield stored
        yield GaugeMetricFamily(
            "intake_sla_breaches", "SLA breaches recorded", value=float(breaches or 0)
        )
        age = GaugeMetricFamily(
            "intake_imap_last_success_age_seconds",
            "Seconds since a folder's last successful fetch",
            labels=["mailbox"],
        )
        now = self.clock()
        for box in imap:
            last = box["last_successful_fetch"]
            if isinstance(last, str):
                age.add_metric(
                    [str(box["mailbox"])], (now - datetime.fromisoformat(last)).total_seconds()
                )
        yield age
