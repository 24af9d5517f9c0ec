"""Finance exports of the disbursement ledger (pandas): CSV and XLSX, safe to open in a
spreadsheet (text cells starting with = + - @ are neutralised against formula injection)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import aliased

from accelerator.applications.models import Startup
from accelerator.auth.models import User
from accelerator.core.spreadsheets import csv_bytes, neutralise_frame, xlsx_bytes
from accelerator.extensions import db
from accelerator.grants.ledger import plan_of
from accelerator.grants.models import Disbursement, Grant
from accelerator.programs.models import Cohort, Enrollment, Program

COLUMNS = [
    "Disbursement",
    "Program",
    "Cohort",
    "Startup",
    "Legal name",
    "Tranche",
    "Kind",
    "Corrects",
    "Amount",
    "Currency",
    "Status",
    "Requested on",
    "Requested by",
    "Approved on",
    "Approver",
    "Paid on",
    "Payment reference",
    "Cancelled on",
    "Reason",
    "Note",
]


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _units(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def disbursement_rows(
    *,
    program_id: int | None = None,
    cohort_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    basis: str = "requested",
) -> list[dict]:
    """The ledger rows in scope, one dict per row with the export's columns (one query)."""
    requester, approver = aliased(User), aliased(User)
    statement = (
        select(Disbursement, Grant, Cohort, Program, Startup, requester.name, approver.name)
        .join(Grant, Grant.id == Disbursement.grant_id)
        .join(Enrollment, Enrollment.id == Grant.enrollment_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .join(Startup, Startup.id == Enrollment.startup_id)
        .join(requester, requester.id == Disbursement.requested_by_id)
        .outerjoin(approver, approver.id == Disbursement.approved_by_id)
        .order_by(Program.name, Cohort.starts_on, Startup.name, Disbursement.id)
    )
    if cohort_id is not None:
        statement = statement.where(Enrollment.cohort_id == cohort_id)
    if program_id is not None:
        statement = statement.where(Cohort.program_id == program_id)
    statement = _in_period(statement, since=since, until=until, basis=basis)
    names: dict[tuple[int, str], str] = {}
    rows = []
    for row, grant, cohort, program, startup, requested_by, approved_by in db.session.execute(
        statement
    ):
        if (cohort.id, row.tranche_key) not in names:
            for tranche in plan_of(cohort.tranche_plan, grant.amount_cents):
                names[(cohort.id, tranche.key)] = tranche.name
        tranche = names.get((cohort.id, row.tranche_key), row.tranche_key)
        rows.append(_row(row, grant, cohort, program, startup, tranche, requested_by, approved_by))
    return rows


def _in_period(statement, *, since: date | None, until: date | None, basis: str):
    """Rows paid (basis "paid") or requested in the period, both ends included."""
    if basis == "paid":
        if since:
            statement = statement.where(Disbursement.paid_on >= since)
        if until:
            statement = statement.where(Disbursement.paid_on <= until)
        statement = statement.where(Disbursement.paid_on.is_not(None))
    else:
        if since:
            statement = statement.where(
                Disbursement.requested_at >= datetime.combine(since, time(), UTC)
            )
        if until:
            statement = statement.where(
                Disbursement.requested_at < datetime.combine(until + timedelta(days=1), time(), UTC)
            )
    return statement


def _row(row, grant, cohort, program, startup, tranche, requested_by, approved_by) -> dict:
    """One ledger row as the export's columns."""
    return {
        "Disbursement": row.id,
        "Program": program.name,
        "Cohort": cohort.name,
        "Startup": startup.name,
        "Legal name": startup.legal_name or "",
        "Tranche": tranche,
        "Kind": row.kind.value,
        "Corrects": row.corrects_id,
        "Amount": _units(row.amount_cents),
        "Currency": grant.currency,
        "Status": row.status.value,
        "Requested on": _day(row.requested_at),
        "Requested by": requested_by,
        "Approved on": _day(row.approved_at),
        "Approver": approved_by or "",
        "Paid on": row.paid_on,
        "Payment reference": row.payment_reference or "",
        "Cancelled on": _day(row.cancelled_at),
        "Reason": row.cancel_reason or "",
        "Note": row.note or "",
    }


def to_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    # Object columns keep Decimal amounts, dates and None as they are, then get neutralised.
    frame = frame.astype(object).where(frame.notna(), None)
    return neutralise_frame(frame)


def to_csv(rows: list[dict]) -> bytes:
    return csv_bytes(to_frame(rows))


def _shape(_name: str, sheet) -> None:
    for cell in sheet[1]:
        sheet.column_dimensions[cell.column_letter].width = max(12, len(str(cell.value)) + 2)
    for cell in sheet["I"][1:]:
        cell.number_format = "#,##0.00"


def to_xlsx(rows: list[dict]) -> bytes:
    frame = to_frame(rows)
    frame["Amount"] = [float(v) if v is not None else None for v in frame["Amount"]]
    return xlsx_bytes({"Disbursements": frame}, date_format="YYYY-MM-DD", shape=_shape)
