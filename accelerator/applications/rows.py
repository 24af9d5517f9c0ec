"""The rules one imported CSV row must obey: each cell cleaned, or a reason why not."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email

from accelerator.applications.fields import (
    ANSWER_KEYS,
    APPLICATION_FIELDS,
    CONTACT_FIELDS,
    IMPORT_FIELDS,
    MAX_COUNT,
    MAX_LINE,
    MAX_MONEY_CENTS,
    MAX_TEXT,
    PROFILE_KEYS,
    STARTUP_FIELDS,
)
from accelerator.applications.vocab import (
    CURRENCIES,
    normalise_sector,
    normalise_website,
    parse_country,
    parse_stage,
)
from accelerator.core.i18n import gettext as _
from accelerator.core.money import parse_cents
from accelerator.core.textfiles import typed_datetime
from accelerator.core.timeutil import local_to_utc
from accelerator.core.types import utcnow

#: An imported row fills the declared profile (and whom to contact) and the form's answers.
STARTUP_KEYS = (*PROFILE_KEYS, *(f.key for f in CONTACT_FIELDS))
APPLICATION_KEYS = ANSWER_KEYS
LONG_TEXT = {f.key for f in (*STARTUP_FIELDS, *APPLICATION_FIELDS) if f.kind == "text"}
_CURRENCY_MARKS = re.compile(r"[$€£]|\b(?:USD|EUR|GBP|CHF|CAD)\b", re.IGNORECASE)


def looks_like_formula(text: str) -> bool:
    """A spreadsheet formula (=SUM(...), @cmd, +A1) rather than a value ("+33 1...", "-")."""
    if not text:
        return False
    if text[0] in "=@":
        return True
    return text[0] in "+-" and len(text) > 1 and not (text[1].isdigit() or text[1] in " .")


def _int(text: str, low: int, high: int) -> int:
    cleaned = text.replace(",", "").replace(" ", "").replace("\u00a0", "")
    if cleaned.endswith(".0"):
        cleaned = cleaned[:-2]  # spreadsheets write whole numbers as 12.0
    if not cleaned.isascii() or not cleaned.isdigit() or len(cleaned) > 15:
        raise ValueError(_("is not a whole number"))
    value = int(cleaned)
    if not low <= value <= high:
        raise ValueError(_("must be between %(low)d and %(high)d", low=low, high=high))
    return value


def _money(text: str) -> int:
    cents = parse_cents(_CURRENCY_MARKS.sub("", text))
    if cents is None:
        raise ValueError(_("is not an amount"))
    if cents < 0 or cents > MAX_MONEY_CENTS:
        raise ValueError(_("must be an amount of zero or more"))
    return cents


def _submitted_at(text: str, tz: str) -> datetime:
    value = typed_datetime(text)
    if value is None:
        raise ValueError(_("is not a date (use YYYY-MM-DD or DD/MM/YYYY)"))
    value = local_to_utc(value, tz)
    if value > utcnow() or value.year < 2000:
        raise ValueError(_("is not a plausible submission date"))
    return value


def _email(text: str) -> str:
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise ValueError(_("is not an email address")) from error


def _clean(key: str, text: str, tz: str) -> Any:
    """One cell's value, or ValueError with the reason."""
    if key in LONG_TEXT:
        if len(text) > MAX_TEXT:
            raise ValueError(_("is longer than %(n)d characters", n=MAX_TEXT))
        return text
    if looks_like_formula(text):
        raise ValueError(_("holds a spreadsheet formula, not a value"))
    simple = {
        "name": lambda t: t if len(t) <= 120 else _fail(_("is longer than 120 characters")),
        "contact_name": lambda t: t[:120],
        "one_liner": lambda t: (
            t if len(t) <= MAX_LINE else _fail(_("is longer than %(n)d characters", n=MAX_LINE))
        ),
        "website": lambda t: normalise_website(t),
        "country": lambda t: parse_country(t) or _fail(_("is not a known country")),
        "sector": lambda t: normalise_sector(t)[:80],
        "stage": lambda t: (
            parse_stage(t)
            or _fail(_("is not a stage (idea, pre-seed, seed, series A, series B or later)"))
        ),
        "founded_year": lambda t: _int(t, 1900, date.today().year),
        "team_size": lambda t: _int(t, 1, 100_000),
        "contact_email": _email,
        "monthly_revenue": _money,
        "funding_raised": _money,
        "active_users": lambda t: _int(t, 0, MAX_COUNT),
        "currency": lambda t: (
            t.upper()
            if t.upper() in CURRENCIES
            else _fail(_("is not one of %(list)s", list=", ".join(CURRENCIES)))
        ),
        "submitted_at": lambda t: _submitted_at(t, tz),
    }
    return simple[key](text)


def _fail(reason: str):
    raise ValueError(reason)


#: Import key -> model attribute, where they differ (amounts typed, cents kept).
RENAMED = {f.short: f.key for f in IMPORT_FIELDS if f.short != f.key}
#: Import key -> the name a refused cell is reported by (translated only when one fails).
_LABELS = {f.short: f.import_name for f in IMPORT_FIELDS}


def clean_row(raw: dict[str, str], *, default_currency: str, tz: str) -> tuple[dict, list[str]]:
    """(values by model attribute, reasons this row cannot be imported)."""
    cleaned: dict[str, Any] = {"currency": default_currency}
    reasons: list[str] = []
    for key, value in raw.items():
        text = str(value).replace("\x00", "").strip()
        if not text:
            continue
        try:
            cleaned[RENAMED.get(key, key)] = _clean(key, text, tz)
        except ValueError as error:
            shown = text if len(text) <= 40 else text[:37] + "..."
            reasons.append(
                _(
                    "%(field)s “%(value)s” %(reason)s",
                    field=str(_LABELS[key]),
                    value=shown,
                    reason=str(error),
                )
            )
    if not str(raw.get("name", "")).strip():
        reasons.append(_("the startup name is empty"))
    return cleaned, reasons
