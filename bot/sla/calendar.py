"""Business time: when the desk is working, in its own time zone, around public holidays.

Targets like "P3: respond within 1 business day" are counted only in working hours. Arithmetic
is done day by day in local wall-clock time and converted to UTC per day, so DST changes move
the UTC hours of the working day, never its length.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from bot.errors import ConfigError

_MAX_DAYS = 3660  # a target of ten years is a configuration mistake, not a loop to run


@dataclass(frozen=True)
class BusinessCalendar:
    timezone: str = "Europe/London"
    opens: time = time(8, 0)
    closes: time = time(17, 0)
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0
    country: str = "GB"  # public holidays from the `holidays` package; "" for none
    subdivision: str = "ENG"
    around_the_clock: bool = False  # 24x7 cover: every hour counts
    extra_holidays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"unknown time zone: {self.timezone!r}") from None
        if not self.around_the_clock and self.opens >= self.closes:
            raise ConfigError("the working day must open before it closes")
        if self.country:
            try:
                holidays.country_holidays(self.country, subdiv=self.subdivision or None)
            except NotImplementedError:
                raise ConfigError(
                    f"no public holidays known for {self.country}/{self.subdivision}"
                ) from None

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def _holidays(self) -> holidays.HolidayBase:
        if not self.country:
            return holidays.HolidayBase()
        return holidays.country_holidays(self.country, subdiv=self.subdivision or None)

    @property
    def hours_per_day(self) -> float:
        if self.around_the_clock:
            return 24.0
        opens = datetime.combine(date.min, self.opens)
        return (datetime.combine(date.min, self.closes) - opens).total_seconds() / 3600

    def is_working_day(self, day: date) -> bool:
        if self.around_the_clock:
            return True
        return (
            day.weekday() in self.workdays
            and day not in self._holidays
            and (day not in self.extra_holidays)
        )

    def add(self, start: datetime, business: timedelta) -> datetime:
        """The moment ``business`` working time after ``start`` (UTC-aware in, UTC out)."""
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        if self.around_the_clock or business <= timedelta(0):
            # Zero business time after a moment is that moment (not the next opening): a due
            # time that lands on closing time stays there when nothing more is added.
            return (start + max(business, timedelta(0))).astimezone(UTC)
        remaining = business
        local = start.astimezone(self.zone)
        day = local.date()
        for _ in range(_MAX_DAYS):
            if self.is_working_day(day):
                opens = datetime.combine(day, self.opens, self.zone)
                closes = datetime.combine(day, self.closes, self.zone)
                begin = max(opens, local)
                if begin < closes:
                    available = closes - begin
                    if remaining <= available:
                        return (begin + remaining).astimezone(UTC)
                    remaining -= available
            day += timedelta(days=1)
            local = datetime.combine(day, time(0), self.zone)
        raise ConfigError("a service-level target runs past ten years of working days")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Working time between two moments (zero if ``end`` is not after ``start``)."""
        if end <= start:
            return timedelta(0)
        if self.around_the_clock:
            return end - start
        total = timedelta(0)
        day = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        while day <= last:
            if self.is_working_day(day):
                opens = datetime.combine(day, self.opens, self.zone)
                closes = datetime.combine(day, self.closes, self.zone)
                begin, finish = max(opens, start), min(closes, end)
                if begin < finish:
                    total += finish - begin
            day += timedelta(days=1)
        return total
