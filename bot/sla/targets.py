"""The desk's targets per priority (DESIGN.md defaults), as due times on its calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache

from bot.config import SlaConfig
from bot.errors import ConfigError
from bot.sla.calendar import BusinessCalendar

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class DueTimes:
    response: datetime
    resolution: datetime


@lru_cache(maxsize=8)
def calendar_for(sla: SlaConfig) -> BusinessCalendar:
    try:
        workdays = frozenset(_DAYS.index(d.strip().lower()[:3]) for d in sla.workdays)
    except ValueError:
        raise ConfigError(f"sla.workdays: use day names like 'mon', not {sla.workdays!r}") from None
    return BusinessCalendar(
        timezone=sla.timezone,
        opens=_clock(sla.opens, "sla.opens"),
        closes=_clock(sla.closes, "sla.closes"),
        workdays=workdays,
        country=sla.holidays_country,
        subdivision=sla.holidays_subdivision,
        around_the_clock=sla.around_the_clock,
    )


def due_times(priority: str, start: datetime, sla: SlaConfig) -> DueTimes:
    calendar = calendar_for(sla)
    day = timedelta(hours=calendar.hours_per_day)
    response = {
        "P1": timedelta(hours=sla.response_hours_p1),
        "P2": timedelta(hours=sla.response_hours_p2),
        "P3": day * sla.response_business_days_p3,
    }.get(priority, day * sla.response_business_days_p4)
    resolution = {
        "P1": sla.resolution_business_days_p1,
        "P2": sla.resolution_business_days_p2,
        "P3": sla.resolution_business_days_p3,
    }.get(priority, sla.resolution_business_days_p4)
    return DueTimes(calendar.add(start, response), calendar.add(start, day * resolution))


def local_text(moment: datetime, sla: SlaConfig) -> str:
    """``10:41 on Monday 23 November (GMT)``: a due time as the customer reads it."""
    local = moment.astimezone(calendar_for(sla).zone)
    return f"{local:%H:%M} on {local:%A} {local.day} {local:%B} ({local:%Z})"


def _clock(value: str, key: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{key} must be a time like '08:00', not {value!r}") from None
