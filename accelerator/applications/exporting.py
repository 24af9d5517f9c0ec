"""Export the filtered staff list to CSV or XLSX (pandas), safe to open in a spreadsheet."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from flask import Response
from sqlalchemy.orm import contains_eager

from accelerator.applications.models import Application, Startup, StartupMember
from accelerator.applications.queries import ListFilters, list_statement
from accelerator.core.spreadsheets import csv_bytes, download, neutralise, xlsx_bytes
from accelerator.core.types import utcnow
from accelerator.extensions import db

COLUMNS = [
    "id",
    "program",
    "cohort",
    "startup",
    "website",
    "country",
    "sector",
    "stage",
    "founded_year",
    "team_size",
    "status",
    "source",
    "submitted_at_utc",
    "founders",
    "contact_email",
    "one_liner",
    "problem",
    "solution",
    "traction",
    "monthly_revenue",
    "active_users",
    "team",
    "funding_raised",
    "currency",
    "program_goals",
    "business_unit_asks",
]


def _amount(cents: int | None) -> float | None:
    return None if cents is None else float(Decimal(cents) / 100)


def _row(application) -> dict:
    startup = application.startup
    cohort = application.cohort
    founders = ", ".join(sorted(m.user.email for m in startup.members))
    return {
        "id": application.id,
        "program": cohort.program.name,
        "cohort": cohort.name,
        "startup": startup.name,
        "website": startup.website,
        "country": startup.country,
        "sector": startup.sector,
        "stage": startup.stage.value if startup.stage else None,
        "founded_year": startup.founded_year,
        "team_size": startup.team_size,
        "status": application.status.value,
        "source": application.source,
        "submitted_at_utc": application.submitted_at.strftime("%Y-%m-%d %H:%M")
        if application.submitted_at
        else None,
        "founders": founders,
        "contact_email": startup.contact_email,
        "one_liner": application.one_liner,
        "problem": application.problem,
        "solution": application.solution,
        "traction": application.traction,
        "monthly_revenue": _amount(application.monthly_revenue_cents),
        "active_users": application.active_users,
        "team": application.team,
        "funding_raised": _amount(application.funding_raised_cents),
        "currency": application.currency,
        "program_goals": application.program_goals,
        "business_unit_asks": application.business_unit_asks,
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
