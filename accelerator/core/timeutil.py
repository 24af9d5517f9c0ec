"""Datetimes are stored in UTC and shown in a chosen timezone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def to_local(value: datetime | None, tz: str | None = None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone(tz))


def local_today(tz: str | None, now: datetime | None = None) -> date:
    """The date it is in `tz` at `now` (UTC-aware; by default the clock's now). A kept
    computation asking it is told that its value changes at the next midnight there."""
    from accelerator.core.cache import changes_at
    from accelerator.core.types import utcnow

    current = utcnow()
    today = (now or current).astimezone(zone(tz)).date()
    midnight = next_midnight(today, tz)
    if midnight > current:  # a day asked for a moment past is not the clock's
        changes_at(midnight)
    return today


def next_midnight(day: date, tz: str | None) -> datetime:
    """The moment (UTC) the day after `day` begins in `tz`."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone(tz)).astimezone(UTC)


def local_to_utc(value: datetime, tz: str | None) -> datetime:
    """Interpret a naive datetime typed in a form as wall time in `tz` and convert it to UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz))
    return value.astimezone(UTC)


DATETIME = "%Y-%m-%d %H:%M"
DATE = "%Y-%m-%d"
#: The kinds of time people read, one format each: `value|dt(tz, "date")`.
KINDS = {"datetime": DATETIME, "date": DATE}


def format_dt(value: datetime | None, tz: str | None = None, fmt: str = "datetime") -> str:
    """The one voice for times (the `dt` filter): in the program's timezone `tz`.

    `fmt` is a kind: "datetime" (2026-12-07 12:09 CET, the zone always named), "date"
    (2026-12-07, the local date) or "relative" ("in 3 days", "2 hours ago"); a strftime
    pattern is still taken. A `date` (a day, in no zone) is written as the "date" kind.
    """
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.strftime(DATE)
    if fmt == "relative":
        return format_relative(value)
    fmt = KINDS.get(fmt, fmt)
    local = to_local(value, tz)
    if local is None:
        return ""
    if not any(code in fmt for code in ("%H", "%I", "%M")):
        return local.strftime(fmt)  # a date alone: a zone name after it would only confuse
    return f"{local.strftime(fmt)} {local.tzname()}"


def format_relative(value: datetime | None, now: datetime | None = None) -> str:
    """ "in 3 days", "5 minutes ago", in the reader's language."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    delta = value - (now or datetime.now(UTC))
    try:
        from flask_babel import format_timedelta

        return format_timedelta(delta, add_direction=True, threshold=1.1)
    except RuntimeError:  # outside an app: English
        from babel.dates import format_timedelta as babel_timedelta

        return babel_timedelta(delta, add_direction=True, threshold=1.1, locale="en")
