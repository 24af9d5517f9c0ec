"""Export the filtered staff list to CSV or XLSX (pandas), safe to open in a spreadsheet."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import pandas as pd
from flask import Response, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager

from accelerator.applications.fields import APPLICATION_FIELDS, STARTUP_FIELDS
from accelerator.applications.models import Application, Startup, StartupMember
from accelerator.applications.queries import ListFilters, count_statement, list_statement
from accelerator.core.i18n import gettext as _
from accelerator.core.spreadsheets import csv_bytes, download, neutralise, xlsx_bytes
from accelerator.core.types import utcnow
from accelerator.core.urls import external_url
from accelerator.extensions import db
from accelerator.jobs import services as job_services
from accelerator.jobs.services import JobKind, JobResult

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


def export_frame(filters: ListFilters, progress=None) -> pd.DataFrame:
    """Every application the filters select (not only one page), one row each, neutralised.

    `progress(done, total, message)`, if given, hears every thousand rows (a job's progress)."""
    statement = list_statement(filters).options(
        contains_eager(Application.startup)
        .selectinload(Startup.members)
        .selectinload(StartupMember.user)
    )
    total = db.session.scalar(count_statement(filters)) if progress is not None else 0
    rows = []
    for application in db.session.scalars(statement).unique():
        rows.append({key: neutralise(value) for key, value in _row(application).items()})
        if progress is not None and len(rows) % 1000 == 0:
            progress(len(rows), total, _("Reading the applications…"))
    if progress is not None:
        progress(len(rows), total, _("Writing the file…"))
    return pd.DataFrame(rows, columns=COLUMNS)


def export_file(filters: ListFilters, fmt: str, progress=None) -> tuple[bytes, str]:
    """The export's bytes and its file name."""
    frame = export_frame(filters, progress)
    body = xlsx_bytes({"Applications": frame}) if fmt == "xlsx" else csv_bytes(frame)
    return body, f"applications-{utcnow():%Y%m%d-%H%M}.{fmt}"


def export_response(filters: ListFilters, fmt: str) -> Response:
    body, name = export_file(filters, fmt)
    return download(body, fmt, name)


# --- As a job (accelerator/jobs): more than EXPORT_BACKGROUND_ROWS rows ----------------------

CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def runs_in_background(filters: ListFilters) -> bool:
    limit = int(current_app.config["EXPORT_BACKGROUND_ROWS"])
    return db.session.scalar(count_statement(filters).limit(limit + 1)) > limit


def start_export_job(args: Mapping[str, str], fmt: str, *, actor):
    """Record the export as a job (the caller commits, then submits it)."""
    params = {key: value for key, value in args.items() if value and key != "page"}
    return job_services.start(
        EXPORT_JOB.name,
        actor=actor,
        subject=f"applications.{fmt}",
        params={"filters": params, "fmt": fmt},
        url=external_url("applications.index", **params),
    )


def _run_export_job(job, progress) -> JobResult:
    fmt = job.params.get("fmt") if job.params.get("fmt") in CONTENT_TYPES else "csv"
    filters = ListFilters.from_args(job.params.get("filters") or {})
    body, name = export_file(filters, fmt, progress)
    return JobResult(
        message=_("%(n)d applications exported.", n=progress.done),
        file=body,
        filename=name,
        content_type=CONTENT_TYPES[fmt],
    )


EXPORT_JOB = JobKind("applications.export", _l("Export of applications"), _run_export_job)
