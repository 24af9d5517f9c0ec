"""Export the filtered staff list to CSV or XLSX (pandas), safe to open in a spreadsheet."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from flask import Response
from sqlalchemy.orm import contains_eager

from accelerator.applications.fields import APPLICATION_FIELDS, STARTUP_FIELDS
from accelerator.applications.models import Application, Startup, StartupMember
from accelerator.applications.queries import ListFilters, list_statement
from accelerator.core.spreadsheets import csv_bytes, download, neutralise, xlsx_bytes
from accelerator.core.types import utcnow
from accelerator.extensions import db

#: The profile's and the answers' columns come from the one declaration (fields.py).
COLUMNS = [
    "id",
    "program",
    "cohort",
    *(f.column for f in STARTUP_FIELDS),
    "status",
    "source",
    "submitted_at_utc",
    "founders",
    "contact_email",
    *(f.column for f in APPLICATION_FIELDS),
]


def _amount(cents: int | None) -> float | None:
    return None if cents is None else float(Decimal(cents) / 100)


def _cell(field, obj):
    value = getattr(obj, field.key)
    if field.kind == "money":
        return _amount(value)
    if field.kind == "stage":
        return value.value if value else None
    return value


def _row(application) -> dict:
    startup = application.startup
    cohort = application.cohort
    founders = ", ".join(sorted(m.user.email for m in startup.members))
    return {
        "id": application.id,
        "program": cohort.program.name,
        "cohort": cohort.name,
        **{f.column: _cell(f, startup) for f in STARTUP_FIELDS},
        "status": application.status.value,
        "source": application.source,
        "submitted_at_utc": application.submitted_at.strftime("%Y-%m-%d %H:%M")
        if application.submitted_at
        else None,
        "founders": founders,
        "contact_email": startup.contact_email,
        **{f.column: _cell(f, application) for f in APPLICATION_FIELDS},
    }


def export_frame(filters: ListFilters) -> pd.DataFrame:
    """Every application the filters select (not only one page), one row each, neutralised."""
    statement = list_statement(filters).options(
        contains_eager(Application.startup)
        .selectinload(Startup.members)
        .selectinload(StartupMember.user)
    )
    rows = [
        {key: neutralise(value) for key, value in _row(a).items()}
        for a in db.session.scalars(statement).unique()
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def export_response(filters: ListFilters, fmt: str) -> Response:
    frame = export_frame(filters)
    body = xlsx_bytes({"Applications": frame}) if fmt == "xlsx" else csv_bytes(frame)
    return download(body, fmt, f"applications-{utcnow():%Y%m%d-%H%M}.{fmt}")
