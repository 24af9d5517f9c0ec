"""Check-in periods: the cohort's cadence cut into periods of local dates in the program's zone.

A period is named by its first day (a date in the program's timezone): period 0 starts on the
cohort's first day; weekly periods last 7 days, two-weekly 14, monthly ones run to the same day
of the next month. "Today" is always the program's local date (`core.timeutil.local_today` in
`applications.queries.timezone_of`), so a check-in's period changes at local midnight, whatever
daylight-saving time does to the UTC offset.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from accelerator.extensions import db
from accelerator.milestones.models import Cadence, CheckinSchedule

MAX_PERIODS = 400  # two years of weekly periods: more is a mistake in the dates


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cadences_of(cohort_ids) -> dict[int, Cadence]:
    """Each cohort's cadence (weekly when it never chose one), in one query."""
    ids = list(cohort_ids)
    found = {cid: Cadence.WEEKLY for cid in ids}
    if ids:
        rows = db.session.execute(
            select(CheckinSchedule.cohort_id, CheckinSchedule.cadence).where(
                CheckinSchedule.cohort_id.in_(ids)
            )
        )
        found.update({cid: cadence for cid, cadence in rows})
    return found


def cadence_of(cohort_id: int) -> Cadence:
    return cadences_of([cohort_id])[cohort_id]


@dataclass(frozen=True)
class Period:
    index: int
    starts_on: date
    ends_on: date  # the last day of the period (inclusive)

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


def _start(cohort_start: date, cadence: Cadence, index: int) -> date:
    if cadence == Cadence.MONTHLY:
        return add_months(cohort_start, index)
    days = 14 if cadence == Cadence.BIWEEKLY else 7
    return cohort_start + timedelta(days=days * index)


def all_periods(starts_on: date, ends_on: date, cadence: Cadence) -> list[Period]:
    """Every period of a cohort running from starts_on to ends_on (the last one may be cut)."""
    periods = []
    for index in range(MAX_PERIODS):
        first = _start(starts_on, cadence, index)
        if first > ends_on:
            break
        last = min(_start(starts_on, cadence, index + 1) - timedelta(days=1), ends_on)
        periods.append(Period(index, first, last))
    return periods


def period_containing(starts_on: date, ends_on: date, cadence: Cadence, day: date):
    """The period holding `day`, or None before the cohort starts or after it ends."""
    return next((p for p in all_periods(starts_on, ends_on, cadence) if p.contains(day)), None)


def elapsed_periods(starts_on: date, ends_on: date, cadence: Cadence, today: date) -> list[Period]:
    """Periods that are over (their last day is before today), oldest first."""
    return [p for p in all_periods(starts_on, ends_on, cadence) if p.ends_on < today]


def open_periods(starts_on: date, ends_on: date, cadence: Cadence, today: date) -> list[Period]:
    """Periods a founder may report on today: started ones, while the cohort runs."""
    if today > ends_on:
        return []
    return [p for p in all_periods(starts_on, ends_on, cadence) if p.starts_on <= today]


def started_periods(starts_on: date, ends_on: date, cadence: Cadence, today: date) -> list[Period]:
    """Periods begun by `today` (before the cohort starts: its first period), oldest first."""
    periods = all_periods(starts_on, ends_on, cadence)
    return [p for p in periods if p.starts_on <= today] or periods[:1]


def period_named(periods: list[Period], name: str | None) -> Period | None:
    """The period of `periods` whose first day is `name` (ISO, as in a page's address)."""
    return next((p for p in periods if p.starts_on.isoformat() == (name or "").strip()), None)
