"""Datetimes are stored in UTC and shown in a chosen timezone."""

from __future__ import annotations

from datetime import UTC, datetime
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


def local_to_utc(value: datetime, tz: str | None) -> datetime:
    """Interpret a naive datetime typed in a form as wall time in `tz` and convert it to UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz))
    return value.astimezone(UTC)


def format_dt(value: datetime | None, tz: str | None = None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    local = to_local(value, tz)
    if local is None:
        return ""
    if not any(code in fmt for code in ("%H", "%I", "%M")):
        return local.strftime(fmt)  # a date alone: a zone name after it would only confuse
    return f"{local.strftime(fmt)} {local.tzname()}"
