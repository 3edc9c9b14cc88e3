"""The SLA watcher inside ``intake-bot run``: warns at ``warn_at`` of a target (75% by default)
and records breaches.

Each warning and breach happens once per ticket, even with several instances running or after
a restart: it is claimed by inserting a marker row (``channel_state``, primary key
``sla``/``<ticket>|<what>``) in the same transaction as its event; a second claimant's insert
fails and it moves on. At each breach the ticket moves up a support line (1st → 2nd → 3rd →
manufacturer), with the event in the audit trail.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.config import SlaConfig
from bot.intake.events import add_event
from bot.sla.reminders import Reminders
from bot.sla.report import sla_states
from bot.sla.targets import calendar_for
from storage import repositories as repo
from storage.models import ChannelState

log = logging.getLogger(__name__)

LINES = ("1st line", "2nd line", "3rd line", "manufacturer")


class SlaWatcher:
    name = "sla"

    def __init__(
        self,
        sessions: sessionmaker[Session],
        sla: SlaConfig,
        clock: Callable[[], datetime],
        interval_seconds: float = 60.0,
        reminders: Reminders | None = None,
    ) -> None:
        self.reminders = reminders
        self.sessions = sessions
        self.sla = sla
        self.clock = clock
        self.interval_seconds = interval_seconds

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await asyncio.to_thread(self.check)
                if self.reminders is not None:
                    await asyncio.to_thread(self.reminders.check)
            except OperationalError as exc:  # the database is away: try again next round
                log.warning("sla check deferred", extra={"error": str(exc).splitlines()[0]})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.interval_seconds)

    def check(self) -> list[str]:
        """One round: returns what it recorded (``REF warning`` / ``REF breach``)."""
        now = self.clock()
        with self.sessions() as session:
            states = sla_states(session, calendar_for(self.sla), now, self.sla.warn_at)
        done = []
        for state in states:
            if state.state == "on track":
                continue
            what = "breach" if state.state == "breached" else "warning"
            if what == "breach" and self._once(state.reference, "warning", now, state.used):
                done.append(f"{state.reference} warning")  # never breach without a warning
            if self._once(state.reference, what, now, state.used):
                done.append(f"{state.reference} {what}")
        return done

    def _once(self, reference: str, what: str, now: datetime, used: float) -> bool:
        try:
            with self.sessions.begin() as session:
                ticket = repo.ticket_by_reference(session, reference)
                if ticket is None:
                    return False
                session.add(
                    ChannelState(
                        channel="sla",
                        key=f"{ticket.id}|{what}",
                        value=now.isoformat(),
                        updated_at=now,
                    )
                )
                session.flush()  # the claim: a second claimant fails here
                if what == "warning":
                    add_event(
                        session,
                        ticket,
                        "sla_warning",
                        "system",
                        now,
                        target="resolution",
                        used=round(used, 3),
                    )
                else:
                    line = _next_line(session, ticket.id)
                    add_event(session, ticket, "sla_breached", "system", now, target="resolution")
                    add_event(
                        session,
                        ticket,
                        "escalated",
                        "system",
                        now,
                        to=line,
                        reason="resolution target breached",
                    )
                log.info("sla", extra={"reference": reference, "what": what})
                return True
        except IntegrityError:
            return False


def _next_line(session: Session, ticket_id: int) -> str:
    escalations = [e for e in repo.events_of(session, ticket_id) if e.kind == "escalated"]
    return LINES[min(len(escalations) + 1, len(LINES) - 1)]
