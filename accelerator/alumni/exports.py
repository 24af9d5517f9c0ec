"""The staff's download of the alumni directory (the list's filters), as CSV or XLSX through
core.spreadsheets; like the pilots exports, for staff and not audited."""

from __future__ import annotations

from collections.abc import Iterator

from flask import request

from accelerator.alumni import bp, queries
from accelerator.alumni.models import Outcome, RoundType
from accelerator.core import audit
from accelerator.core.errors import ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import Role, current_actor, role_required
from accelerator.core.spreadsheets import (
    DATE,
    INT,
    MONEY,
    Column,
    Sheet,
    download,
    rows_sheet,
    written,
)
from accelerator.core.types import utcnow
from accelerator.extensions import db

FORMATS = ("csv", "xlsx")


def columns() -> list[Column]:
    return [
        Column("startup", _("Startup"), width=24),
        Column("sector", _("Sector"), width=18),
        Column("program", _("Program"), width=20),
        Column("cohort", _("Cohort"), width=16),
        Column("completed_on", _("Completed on"), DATE),
        Column("listed", _("Listed publicly")),
        Column("months", _("Latest answer (months)"), INT),
        Column("outcome", _("Outcome")),
        Column("round_type", _("Latest round")),
        Column("raised", _("Raised since the program"), MONEY),
        Column("currency", _("Currency"), width=8),
        Column("headcount", _("Headcount"), INT),
        Column("contracts", _("Contracts with business units"), INT),
        Column("contract_value", _("Value of those contracts"), MONEY),
        Column("awaiting", _("Survey awaiting answer (months)"), INT),
    ]


def rows(filters: queries.DirectoryFilters) -> Iterator[tuple]:
    statement, _count = queries.directory(filters)
    for row in db.session.execute(statement):
        alumnus = row.Alumnus
        yield (
            row.startup_name,
            row.sector or "",
            row.program_name,
            row.cohort_name,
            alumnus.completed_on,
            _("yes") if alumnus.listed_at else _("no"),
            row.months,
            Outcome(row.outcome).label if row.outcome else "",
            RoundType(row.round_type).label if row.round_type else "",
            row.raised_cents,
            row.currency or "",
            row.headcount,
            row.contracts,
            row.contract_cents,
            row.awaiting_months,
        )


def sheet(filters: queries.DirectoryFilters) -> Sheet:
    return rows_sheet("alumni", _("Alumni"), columns(), lambda: rows(filters))


@bp.get("/export")
@role_required(Role.STAFF)
def export():
    """?format=csv|xlsx with the directory's filters (?program=, ?cohort=, ?outcome=, ...)."""
    fmt = request.args.get("format", "csv")
    if fmt not in FORMATS:
        raise ValidationFailed(_("Choose CSV or XLSX."), field="format")
    body, rows_written = written([sheet(queries.DirectoryFilters.from_args(request.args))], fmt)
    # Alumni outcomes are confidential: who took them out, and when, is kept.
    audit.record(
        "alumni.exported",
        actor=current_actor(),
        data={"format": fmt, "rows": rows_written, "filters": request.args.to_dict()},
    )
    db.session.commit()
    return download(body, fmt, f"alumni-{utcnow():%Y%m%d-%H%M}.{fmt}")
