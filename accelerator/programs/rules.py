"""The rules a cohort obeys, as pure functions: services call them, tests probe them."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from accelerator.core.errors import ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.text import clean_text
from accelerator.core.timeutil import local_to_utc, to_local
from accelerator.programs.models import (
    DEFAULT_CAPACITY,
    DEFAULT_CRITERIA,
    DEFAULT_CURRENCY,
    DEFAULT_GRANT_CENTS,
    DEFAULT_MENTORS_PER_STARTUP,
    DEFAULT_PROGRAM_MONTHS,
    DEFAULT_TRANCHE_PLAN,
    MAX_MENTORS_PER_STARTUP,
)

CURRENCIES = ("USD", "EUR", "GBP", "CHF")
MAX_GRANT_CENTS = 1_000_000_000  # $10M: far above any grant, well inside a 32-bit column
MAX_CAPACITY = 500
MAX_REVIEWERS = 20
MAX_CONFIRMATION_DAYS = 90
MAX_ROWS = 12
MAX_WEIGHT = 1000
FIRST_YEAR, LAST_YEAR = 2000, 2100
_KEY = re.compile(r"^[a-z0-9_]{1,40}$")


class CohortInvalid(ValidationFailed):
    """Several cohort rules can fail at once; `errors` maps each form field to its message."""

    def __init__(self, errors: dict[str, str]):
        field_name, message = next(iter(errors.items()))
        super().__init__(message, field=field_name)
        self.errors = errors


@dataclass
class CohortInput:
    """What staff type for a cohort. Naive datetimes are wall time in the program's timezone."""

    name: str
    applications_open_at: datetime
    applications_close_at: datetime
    starts_on: date
    ends_on: date | None = None  # None: DEFAULT_PROGRAM_MONTHS after the start
    description: str = ""
    capacity: int = DEFAULT_CAPACITY
    grant_amount_cents: int = DEFAULT_GRANT_CENTS
    currency: str = DEFAULT_CURRENCY
    tranche_plan: list[dict[str, Any]] = field(
        default_factory=lambda: [dict(t) for t in DEFAULT_TRANCHE_PLAN]
    )
    review_criteria: list[dict[str, Any]] = field(
        default_factory=lambda: [dict(c) for c in DEFAULT_CRITERIA]
    )
    reviewers_per_application: int = 3
    confirmation_days: int = 7
    mentors_per_startup: int = DEFAULT_MENTORS_PER_STARTUP


def valid_timezones() -> list[str]:
    """IANA zone names offered to staff (Region/City plus UTC), sorted."""
    return sorted(name for name in available_timezones() if "/" in name or name == "UTC")


def check_timezone(name: str) -> str:
    name = (name or "").strip()
    try:
        if name not in available_timezones():
            raise KeyError(name)
        ZoneInfo(name)
    except (KeyError, ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed(
            _("Choose a timezone from the list, such as Europe/Paris."), field="timezone"
        ) from None
    return name


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (30 Nov + 3 -> 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def slug_key(name: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40]
    return key or "item"


def _unique_key(wanted: Any, name: str, taken: set[str]) -> str:
    base = wanted if isinstance(wanted, str) and _KEY.match(wanted) else slug_key(name)
    key, n = base, 2
    while key in taken:
        key = f"{base[:36]}_{n}"
        n += 1
    taken.add(key)
    return key


def _int_or_none(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _rows(rows: list[dict[str, Any]], amount: str, field_name: str, limit: int):
    """Yield (key, name, number) for the non-blank rows, checking the shape of each."""
    kept = []
    for row in rows or []:
        name = clean_text(row.get("name"))
        raw = row.get(amount)
        if not name and (raw is None or raw == ""):
            continue  # a blank row: ignored, so staff remove a row by clearing it
        number = _int_or_none(raw)
        if not name:
            raise ValidationFailed(_("Every row needs a name."), field=field_name)
        if len(name) > 80:
            raise ValidationFailed(_("Keep names under 80 characters."), field=field_name)
        if number is None or not 1 <= number <= limit:
            raise ValidationFailed(
                _("%(name)s: enter a whole number from 1 to %(limit)d.", name=name, limit=limit),
                field=field_name,
            )
        kept.append((row.get("key"), name, number))
    if not kept:
        raise ValidationFailed(_("Add at least one row."), field=field_name)
    if len(kept) > MAX_ROWS:
        raise ValidationFailed(_("At most %(n)d rows.", n=MAX_ROWS), field=field_name)
    names = [name.casefold() for _key, name, _n in kept]
    if len(set(names)) != len(names):
        raise ValidationFailed(_("Two rows have the same name."), field=field_name)
    taken: set[str] = set()
    return [(_unique_key(key, name, taken), name, number) for key, name, number in kept]


def clean_tranche_plan(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Normalise a tranche plan: named rows with whole percentages that sum to 100."""
    kept = _rows(rows, "percent", "tranche_plan", 100)
    total = sum(percent for _key, _name, percent in kept)
    if total != 100:
        raise ValidationFailed(
            _("The tranches add up to %(total)d%%; they must add up to 100%%.", total=total),
            field="tranche_plan",
        )
    return [{"key": key, "name": name, "percent": percent} for key, name, percent in kept]


def clean_criteria(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Normalise review criteria: named rows with positive whole weights."""
    kept = _rows(rows, "weight", "review_criteria", MAX_WEIGHT)
    return [{"key": key, "name": name, "weight": weight} for key, name, weight in kept]


def _in_years(value: date | datetime | None) -> bool:
    return value is not None and FIRST_YEAR <= value.year <= LAST_YEAR


def _to_utc(value: datetime, tz: str) -> datetime:
    return local_to_utc(value, tz) if value.tzinfo is None else value.astimezone(UTC)


def check_dates(
    opens: datetime, closes: datetime, starts_on: date, ends_on: date | None, tz: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """The calendar rules: (values to store, errors by field). Naive times are wall time in tz;
    an empty end date means DEFAULT_PROGRAM_MONTHS after the start."""
    errors: dict[str, str] = {}
    years = _("Enter a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
    given = {
        "applications_open_at": opens,
        "applications_close_at": closes,
        "starts_on": starts_on,
        "ends_on": ends_on,
    }
    for name, value in given.items():
        if not (value is None and name == "ends_on") and not _in_years(value):
            errors[name] = years
    if errors:
        return {}, errors
    opens_utc, closes_utc = _to_utc(opens, tz), _to_utc(closes, tz)
    ends_on = ends_on or add_months(starts_on, DEFAULT_PROGRAM_MONTHS)
    if closes_utc <= opens_utc:
        errors["applications_close_at"] = _("Applications must close after they open.")
    elif starts_on <= to_local(closes_utc, tz).date():
        errors["starts_on"] = _("The program must start after applications close.")
    if ends_on <= starts_on:
        errors["ends_on"] = _("The program must end after it starts.")
    values = {
        "applications_open_at": opens_utc,
        "applications_close_at": closes_utc,
        "starts_on": starts_on,
        "ends_on": ends_on,
    }
    return values, errors


def _check_number(errors, field_name, value, low, high, message) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        errors[field_name] = message


def check_cohort(data: CohortInput, tz: str, *, enrolled: int = 0) -> dict[str, Any]:
    """Every rule of a cohort at once: the column values to store, or CohortInvalid."""
    values, errors = check_dates(
        data.applications_open_at, data.applications_close_at, data.starts_on, data.ends_on, tz
    )
    name = clean_text(data.name)
    if not name or len(name) > 120:
        errors["name"] = _("Give the cohort a name (up to 120 characters).")
    _check_number(
        errors,
        "capacity",
        data.capacity,
        max(1, enrolled),
        MAX_CAPACITY,
        _(
            "Capacity must be at least %(low)d and at most %(high)d.",
            low=max(1, enrolled),
            high=MAX_CAPACITY,
        ),
    )
    _check_number(
        errors,
        "grant_amount",
        data.grant_amount_cents,
        1,
        MAX_GRANT_CENTS,
        _("The grant must be a positive amount up to 10,000,000."),
    )
    if data.currency not in CURRENCIES:
        errors["currency"] = _("Choose one of %(list)s.", list=", ".join(CURRENCIES))
    _check_number(
        errors,
        "reviewers_per_application",
        data.reviewers_per_application,
        1,
        MAX_REVIEWERS,
        _("Between 1 and %(n)d reviewers.", n=MAX_REVIEWERS),
    )
    _check_number(
        errors,
        "confirmation_days",
        data.confirmation_days,
        1,
        MAX_CONFIRMATION_DAYS,
        _("Between 1 and %(n)d days.", n=MAX_CONFIRMATION_DAYS),
    )
    _check_number(
        errors,
        "mentors_per_startup",
        data.mentors_per_startup,
        1,
        MAX_MENTORS_PER_STARTUP,
        _("Between 1 and %(n)d mentors.", n=MAX_MENTORS_PER_STARTUP),
    )
    for attr, cleaner in (
        ("tranche_plan", clean_tranche_plan),
        ("review_criteria", clean_criteria),
    ):
        try:
            values[attr] = cleaner(getattr(data, attr))
        except ValidationFailed as error:
            errors[attr] = error.message
    if errors:
        raise CohortInvalid(errors)
    values.update(
        name=name,
        description=clean_text(data.description),
        capacity=data.capacity,
        grant_amount_cents=data.grant_amount_cents,
        currency=data.currency,
        reviewers_per_application=data.reviewers_per_application,
        confirmation_days=data.confirmation_days,
        mentors_per_startup=data.mentors_per_startup,
    )
    return values
