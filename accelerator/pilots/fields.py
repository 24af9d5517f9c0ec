"""What people type about a business unit and a pilot: one field list per object, read by the
forms, the services, the exports and the seed; and how typed text is checked here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import format_decimal

from accelerator.core.i18n import gettext as _
from accelerator.core.text import checked_text

MAX_TEXT = 4000
MAX_LINE = 200
MAX_MONEY_CENTS = 10**13  # a hundred billion: beyond is a typo


def typed_text(value, *, field: str, limit: int = MAX_TEXT, required: str | None = None) -> str:
    """Typed text cleaned, refused beside `field` when missing (`required`) or too long."""
    too_long = _("Please keep this under %(limit)s characters.", limit=format_decimal(limit))
    return checked_text(value, field=field, limit=limit, too_long=too_long, required=required)


@dataclass(frozen=True)
class UnitFields:
    """What staff type about a business unit (the form, the service and the seed read it)."""

    name: str
    country: str
    sponsor_name: str
    sponsor_title: str = ""
    description: str = ""
    staff_lead_id: int | None = None


@dataclass(frozen=True)
class Criterion:
    measure: str = ""
    target: str = ""
    actual: str = ""


@dataclass(frozen=True)
class PilotFields:
    """What is typed about a pilot (the form, the service, the export and the seed read it)."""

    title: str
    scope_in: str = ""
    scope_out: str = ""
    budget_cents: int | None = None
    currency: str = "EUR"
    starts_on: date | None = None
    ends_on: date | None = None
    decision_on: date | None = None
    owner_id: int | None = None
    criteria: Sequence[Criterion] = ()
