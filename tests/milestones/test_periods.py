"""Check-in periods: cut in local dates of the program's timezone, across DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from accelerator.core.timeutil import local_today
from accelerator.milestones.models import Cadence
from accelerator.milestones.periods import (
    add_months,
    all_periods,
    elapsed_periods,
    open_periods,
    period_containing,
)

START, END = date(2026, 3, 2), date(2026, 6, 1)  # a Monday; Paris goes to summer time on 29 March


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_weekly_periods_are_seven_local_days_and_the_last_is_cut_at_the_end():
    periods = all_periods(START, END, Cadence.WEEKLY)
    assert periods[0].starts_on == START and periods[0].ends_on == date(2026, 3, 8)
    assert all((p.ends_on - p.starts_on).days == 6 for p in periods[:-1])
    assert periods[-1].ends_on == END
    assert len(periods) == 14


def test_a_period_turns_at_local_midnight_on_the_night_summer_time_starts():
    # Sunday 29 March 2026, 23:30 in Paris is 21:30 UTC (CEST, UTC+2): still the old week.
    assert local_today("Europe/Paris", _at("2026-03-29T21:30:00")) == date(2026, 3, 29)
    # 22:30 UTC is 00:30 on Monday in Paris: the new week has begun, though UTC is still Sunday.
    monday = local_today("Europe/Paris", _at("2026-03-29T22:30:00"))
    assert monday == date(2026, 3, 30)
    period = period_containing(START, END, Cadence.WEEKLY, monday)
    assert period.starts_on == date(2026, 3, 30)


def test_a_period_turns_at_local_midnight_when_winter_time_returns():
    start = date(2026, 10, 5)  # Paris goes back to UTC+1 on Sunday 25 October
    # 22:30 UTC on Sunday 25 Oct is 23:30 in Paris (CET): still Sunday, still the old week.
    sunday = local_today("Europe/Paris", _at("2026-10-25T22:30:00"))
    assert sunday == date(2026, 10, 25)
    assert period_containing(start, date(2026, 12, 31), Cadence.WEEKLY, sunday).starts_on == date(
        2026, 10, 19
    )
    monday = local_today("Europe/Paris", _at("2026-10-25T23:00:00"))
    assert period_containing(start, date(2026, 12, 31), Cadence.WEEKLY, monday).starts_on == date(
        2026, 10, 26
    )


def test_the_same_instant_is_a_different_day_in_paris_and_san_francisco():
    instant = _at("2026-03-09T03:00:00")  # 04:00 Monday in Paris, 20:00 Sunday in San Francisco
    assert local_today("Europe/Paris", instant) == date(2026, 3, 9)
    assert local_today("America/Los_Angeles", instant) == date(2026, 3, 8)


def test_biweekly_and_monthly_cadences():
    biweekly = all_periods(START, END, Cadence.BIWEEKLY)
    assert [p.starts_on for p in biweekly[:3]] == [START, date(2026, 3, 16), date(2026, 3, 30)]
    monthly = all_periods(date(2026, 1, 31), date(2026, 4, 29), Cadence.MONTHLY)
    assert [p.starts_on for p in monthly] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
    ]
    assert monthly[0].ends_on == date(2026, 2, 27)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_elapsed_and_open_periods():
    today = date(2026, 3, 18)
    assert [p.starts_on for p in elapsed_periods(START, END, Cadence.WEEKLY, today)] == [
        date(2026, 3, 2),
        date(2026, 3, 9),
    ]
    assert [p.starts_on for p in open_periods(START, END, Cadence.WEEKLY, today)][-1] == date(
        2026, 3, 16
    )
    assert open_periods(START, END, Cadence.WEEKLY, date(2026, 6, 2)) == []  # finished
    assert period_containing(START, END, Cadence.WEEKLY, date(2026, 3, 1)) is None  # not started
