"""Business-time arithmetic: weekends, public holidays, time zones and DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import SlaConfig
from bot.errors import ConfigError
from bot.sla.calendar import BusinessCalendar
from bot.sla.targets import due_times, local_text

LONDON = BusinessCalendar()  # 08:00-17:00 Mon-Fri, England and Wales holidays
JOBURG = BusinessCalendar(timezone="Africa/Johannesburg", country="ZA", subdivision="")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_within_a_day() -> None:
    assert LONDON.add(utc(2026, 11, 23, 9, 0), timedelta(hours=2)) == utc(2026, 11, 23, 11, 0)


def test_friday_evening_rolls_over_the_weekend() -> None:
    # Fri 27 Nov 2026 16:00 GMT + 2 business hours -> Mon 30 Nov 09:00
    assert LONDON.add(utc(2026, 11, 27, 16, 0), timedelta(hours=2)) == utc(2026, 11, 30, 9, 0)


def test_reported_at_night_starts_next_morning() -> None:
    assert LONDON.add(utc(2026, 11, 23, 22, 0), timedelta(hours=1)) == utc(2026, 11, 24, 9, 0)


def test_christmas_and_boxing_day_are_skipped() -> None:
    # Thu 24 Dec 2026 16:00 + 2h: 25 Dec (Fri) and 28 Dec (Mon, Boxing Day substitute) are
    # holidays in England; work resumes Tue 29 Dec.
    assert LONDON.add(utc(2026, 12, 24, 16, 0), timedelta(hours=2)) == utc(2026, 12, 29, 9, 0)


def test_south_african_holiday_and_zone() -> None:
    # Heritage Day, Thu 24 Sep 2026, is a public holiday in South Africa (UTC+2).
    start = utc(2026, 9, 23, 14, 0)  # 16:00 SAST Wednesday
    assert JOBURG.add(start, timedelta(hours=2)) == utc(2026, 9, 25, 7, 0)  # Fri 09:00 SAST


def test_dst_change_keeps_the_working_day_local() -> None:
    # Clocks go forward in the UK on Sun 29 Mar 2026: Friday 08:00 GMT = 08:00 UTC, Monday
    # 08:00 BST = 07:00 UTC.
    assert LONDON.add(utc(2026, 3, 27, 16, 30), timedelta(hours=1)) == utc(2026, 3, 30, 7, 30)


def test_around_the_clock() -> None:
    cover = BusinessCalendar(around_the_clock=True)
    assert cover.add(utc(2026, 12, 25, 23, 0), timedelta(hours=2)) == utc(2026, 12, 26, 1, 0)


def test_bad_configuration_is_one_clear_error() -> None:
    with pytest.raises(ConfigError, match="time zone"):
        BusinessCalendar(timezone="Mars/Olympus")
    with pytest.raises(ConfigError, match="open before"):
        BusinessCalendar(opens=time(18, 0), closes=time(9, 0))


moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)
durations = st.integers(min_value=0, max_value=60 * 9 * 30).map(lambda m: timedelta(minutes=m))
calendars = st.sampled_from([LONDON, JOBURG])


@settings(max_examples=300, deadline=None)
@given(calendars, moments, durations)
def test_due_time_is_never_early_and_always_in_working_hours(
    cal: BusinessCalendar, start: datetime, span: timedelta
) -> None:
    due = cal.add(start, span)
    assert due >= start
    if span:
        local = due.astimezone(cal.zone)
        assert cal.is_working_day(local.date())
        assert cal.opens < local.time() <= cal.closes


@settings(max_examples=300, deadline=None)
@given(calendars, moments, durations, durations)
def test_adding_in_two_steps_is_adding_once(
    cal: BusinessCalendar, start: datetime, a: timedelta, b: timedelta
) -> None:
    assert cal.add(cal.add(start, a), b) == cal.add(start, a + b)


@settings(max_examples=300, deadline=None)
@given(calendars, moments, durations)
def test_between_undoes_add(cal: BusinessCalendar, start: datetime, span: timedelta) -> None:
    assert cal.between(start, cal.add(start, span)) == span


@settings(max_examples=200, deadline=None)
@given(calendars, moments, durations, durations)
def test_longer_targets_are_never_earlier(
    cal: BusinessCalendar, start: datetime, a: timedelta, b: timedelta
) -> None:
    shorter, longer = sorted((a, b))
    assert cal.add(start, shorter) <= cal.add(start, longer)


def test_default_matrix() -> None:
    sla = SlaConfig()
    opened = utc(2026, 11, 23, 9, 0)  # Monday 09:00 GMT
    p1 = due_times("P1", opened, sla)
    assert p1.response == utc(2026, 11, 23, 11, 0)
    assert p1.resolution == utc(2026, 11, 30, 9, 0)  # five working days later
    p3 = due_times("P3", opened, sla)
    assert p3.response == utc(2026, 11, 24, 9, 0)  # one business day
    assert local_text(p1.response, sla) == "11:00 on Monday 23 November (GMT)"
    assert date(2026, 11, 23).weekday() == 0


def test_a_due_time_on_closing_time_stays_there() -> None:
    """Found by hypothesis: landing exactly on 17:00 and adding nothing must not move to 08:00."""
    due = LONDON.add(utc(2025, 1, 1, 0, 0), timedelta(days=5, hours=15))  # 45 h from New Year
    assert due == utc(2025, 1, 22, 17, 0)
    assert LONDON.add(due, timedelta(0)) == due
    assert LONDON.add(due, timedelta(minutes=1)) == utc(2025, 1, 23, 8, 1)
