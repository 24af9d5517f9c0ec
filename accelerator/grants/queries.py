"""Reads of grants shared by the pages, panels, exports and other domains, each a fixed number of
queries: a grant with its surroundings, its ledger rows, money grouped by cohort or enrollment,
the tranche plan of a cohort, and the ledger export (the finance page and the cohort report).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import aliased, selectinload

from accelerator.applications.models import Startup
from accelerator.applications.queries import founder_startup_id
from accelerator.auth.models import User
from accelerator.core.i18n import gettext as _
from accelerator.core.spreadsheets import DATE, INT, MONEY, Column, Sheet, rows_sheet
from accelerator.extensions import db
from accelerator.grants.ledger import Ledger, Totals, build_ledger, plan_of
from accelerator.grants.models import Disbursement, DisbursementStatus, Grant
from accelerator.programs import queries as programs
from accelerator.programs.models import Cohort, Enrollment, Program

S = DisbursementStatus


@dataclass
class GrantContext:
    """A grant with what surrounds it: enrollment, cohort, program and startup."""

    grant: Grant
    enrollment: Any
    cohort: Any
    program: Any
    startup: Any

    @property
    def plan(self) -> list[dict[str, Any]]:
        return self.cohort.tranche_plan or []


def _contexts_select() -> Select:
    """Grants with their surroundings (a GrantContext per row)."""
    return (
        select(Grant, Enrollment, Cohort, Program, Startup)
        .join(Enrollment, Enrollment.id == Grant.enrollment_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .join(Startup, Startup.id == Enrollment.startup_id)
    )


def load_contexts(grant_ids: Iterable[int]) -> dict[int, GrantContext]:
    """Load grants and their surroundings in one query."""
    ids = list(grant_ids)
    if not ids:
        return {}
    rows = db.session.execute(_contexts_select().where(Grant.id.in_(ids)))
    return {row[0].id: GrantContext(*row) for row in rows}


def load_context(grant_id: int) -> GrantContext | None:
    return load_contexts([grant_id]).get(grant_id)


def contexts_in_order(grant_ids: list[int]) -> list[GrantContext]:
    """The contexts of `grant_ids`, in that order."""
    contexts = load_contexts(grant_ids)
    return [contexts[gid] for gid in grant_ids if gid in contexts]


def ledger_rows(grant_id: int, *, people: bool = True) -> list[Disbursement]:
    """Every row of a grant's ledger, oldest first, with the people on it (who requested,
    approved, paid, cancelled) unless `people` is False (totals and tranches only)."""
    statement = select(Disbursement).where(Disbursement.grant_id == grant_id)
    if people:
        statement = statement.options(
            selectinload(Disbursement.requested_by),
            selectinload(Disbursement.approved_by),
            selectinload(Disbursement.paid_by),
            selectinload(Disbursement.cancelled_by),
        )
    return list(db.session.scalars(statement.order_by(Disbursement.id)))


def ledger_of(context: GrantContext, *, people: bool = True) -> Ledger:
    return build_ledger(context.grant, context.plan, ledger_rows(context.grant.id, people=people))


def list_statement(program_id: int | None, cohort_id: int | None) -> Select:
    """The grants of the staff list (narrowed to a program or a cohort), by program, latest
    cohort and startup: rows of the columns the list shows (id, amount_cents, currency,
    startup_name, program_name, cohort_name), not the grants and their surroundings.

    The startup's name is read per grant by its primary key (a subquery) rather than joined:
    PostgreSQL would hash-join every startup (100,000 of them) to sort a thousand grants."""
    startup_name = (
        select(Startup.name)
        .where(Startup.id == Enrollment.startup_id)
        .correlate(Enrollment)
        .scalar_subquery()
        .label("startup_name")
    )
    statement = (
        select(
            Grant.id,
            Grant.amount_cents,
            Grant.currency,
            startup_name,
            Program.name.label("program_name"),
            Cohort.name.label("cohort_name"),
        )
        .join(Enrollment, Enrollment.id == Grant.enrollment_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .order_by(Program.name, Cohort.starts_on.desc(), startup_name, Grant.id)
    )
    return programs.narrow(statement, Enrollment.cohort_id, program_id, cohort_id)


def list_count(program_id: int | None, cohort_id: int | None) -> Select:
    """How many rows list_statement() gives (every grant has its enrollment, startup, cohort
    and program), counted without the joins."""
    statement = select(func.count(Grant.id)).join(Enrollment, Enrollment.id == Grant.enrollment_id)
    return programs.narrow(statement, Enrollment.cohort_id, program_id, cohort_id)


def grant_of_enrollment(enrollment_id: int) -> Grant | None:
    return db.session.scalar(select(Grant).where(Grant.enrollment_id == enrollment_id))


def tranche_choices(cohort: Cohort) -> list[tuple[str, str]]:
    """(key, name) of each tranche of the cohort's plan, in order (read by `ledger.plan_of`)."""
    return [(t.key, t.name) for t in plan_of(cohort.tranche_plan, cohort.grant_amount_cents)]


def tranche_name(cohort: Cohort, key: str) -> str:
    """A tranche's name in the cohort's plan (its key when the plan no longer has it)."""
    return dict(tranche_choices(cohort)).get(key, key)


def startup_grants(startup_id: int | None) -> list[GrantContext]:
    """The grants of a startup, latest cohort first (one query)."""
    if startup_id is None:
        return []
    rows = db.session.execute(
        _contexts_select()
        .where(Enrollment.startup_id == startup_id)
        .order_by(Cohort.starts_on.desc(), Grant.id.desc())
    )
    return [GrantContext(*row) for row in rows]


def founder_grants(user) -> list[GrantContext]:
    """The grants of the founder's startup, latest cohort first (one statement)."""
    return startup_grants(founder_startup_id(user))


def awaiting_approval_by(user, limit: int = 50) -> list[Disbursement]:
    """Requests another staff member made, which `user` may approve, oldest first."""
    return list(
        db.session.scalars(
            select(Disbursement)
            .where(Disbursement.status == S.REQUESTED, Disbursement.requested_by_id != user.id)
            .order_by(Disbursement.requested_at)
            .limit(limit)
        )
    )


def approved_unpaid_count() -> int:
    return db.session.scalar(
        select(func.count(Disbursement.id)).where(Disbursement.status == S.APPROVED)
    )


def totals_by_grant(grant_ids: list[int]) -> dict[int, Totals]:
    """One grouped query for the totals of many grants (list pages, exports, benchmarks)."""
    result: dict[int, Totals] = {gid: Totals() for gid in grant_ids}
    if not grant_ids:
        return result
    statement = (
        select(Disbursement.grant_id, Disbursement.status, func.sum(Disbursement.amount_cents))
        .where(Disbursement.grant_id.in_(grant_ids))
        .group_by(Disbursement.grant_id, Disbursement.status)
    )
    for grant_id, status, amount in db.session.execute(statement):
        result[grant_id].add(status, int(amount or 0))
    return result


@dataclass
class GrantMoney:
    """The money of a group of grants (a cohort's, or one enrollment's)."""

    count: int = 0
    amount: int = 0
    committed: int = 0
    paid: int = 0
    awaiting_approval: int = 0  # requests, not money
    currency: str | None = None

    @property
    def remaining(self) -> int:
        return self.amount - self.committed


GROUPS = {"cohort": Enrollment.cohort_id, "enrollment": Enrollment.id}


def grant_money(by: str, ids: Iterable[int]) -> dict[int, GrantMoney]:
    """Money of grants grouped by cohort or by enrollment (`by`), in one grouped query (each
    grant's ledger summed first, then joined: one row per grant); a group without a grant is
    left out."""
    key, ids = GROUPS[by], list(ids)
    if not ids:
        return {}
    paid = case((Disbursement.status == S.PAID, Disbursement.amount_cents), else_=0)
    waiting = case((Disbursement.status == S.REQUESTED, 1), else_=0)
    ledgers = (
        select(
            Disbursement.grant_id.label("grant_id"),
            func.sum(paid).label("paid"),
            func.sum(waiting).label("waiting"),
        )
        .join(Grant, Grant.id == Disbursement.grant_id)
        .join(Enrollment, Enrollment.id == Grant.enrollment_id)
        .where(key.in_(ids))
        .group_by(Disbursement.grant_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            key,
            func.count(Grant.id),
            func.sum(Grant.amount_cents),
            func.sum(Grant.committed_cents),
            func.max(Grant.currency),
            func.sum(ledgers.c.paid),
            func.sum(ledgers.c.waiting),
        )
        .join(Enrollment, Enrollment.id == Grant.enrollment_id)
        .outerjoin(ledgers, ledgers.c.grant_id == Grant.id)
        .where(key.in_(ids))
        .group_by(key)
    )
    return {
        group: GrantMoney(
            count,
            int(amount or 0),
            int(committed or 0),
            int(paid_cents or 0),
            int(waiting_count or 0),
            currency=currency,
        )
        for group, count, amount, committed, currency, paid_cents, waiting_count in rows
    }


def cohort_totals(cohort_id: int) -> GrantMoney:
    """Grant count and money of a cohort (the cohort page's panel)."""
    return grant_money("cohort", [cohort_id]).get(cohort_id) or GrantMoney()


# --- the ledger export ----------------------------------------------------------------------


def ledger_columns(currency: str | None = None) -> list[Column]:
    """The ledger export's columns: the finance export and the cohort report's grant sheet."""
    return [
        Column("id", _("Disbursement"), INT, width=12),
        Column("program", _("Program"), width=24),
        Column("cohort", _("Cohort"), width=18),
        Column("startup", _("Startup"), width=28),
        Column("legal_name", _("Legal name"), width=28),
        Column("tranche", _("Tranche")),
        Column("kind", _("Kind")),
        Column("corrects", _("Corrects"), INT),
        Column("amount", _("Amount"), MONEY, currency),
        Column("currency", _("Currency"), width=9),
        Column("status", _("Status")),
        Column("requested_on", _("Requested on"), DATE),
        Column("requested_by", _("Requested by"), width=20),
        Column("approved_on", _("Approved on"), DATE),
        Column("approver", _("Approver"), width=20),
        Column("paid_on", _("Paid on"), DATE),
        Column("reference", _("Payment reference"), width=20),
        Column("cancelled_on", _("Cancelled on"), DATE),
        Column("reason", _("Reason"), width=30),
        Column("note", _("Note"), width=30),
    ]


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _in_period(statement, *, since: date | None, until: date | None, basis: str):
    """Rows paid (basis "paid") or requested in the period, both ends included."""
    if basis == "paid":
        if since:
            statement = statement.where(Disbursement.paid_on >= since)
        if until:
            statement = statement.where(Disbursement.paid_on <= until)
        return statement.where(Disbursement.paid_on.is_not(None))
    if since:
        statement = statement.where(
            Disbursement.requested_at >= datetime.combine(since, time(), UTC)
        )
    if until:
        statement = statement.where(
            Disbursement.requested_at < datetime.combine(until + timedelta(days=1), time(), UTC)
        )
    return statement


def ledger_export_rows(
    *,
    program_id: int | None = None,
    cohort_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    basis: str = "requested",
) -> Iterator[tuple]:
    """The ledger rows in scope, one tuple in the order of `ledger_columns` each (one query)."""
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
    names: dict[int, dict[str, str]] = {}
    for row, grant, cohort, program, startup, requested_by, approved_by in db.session.execute(
        statement
    ):
        if cohort.id not in names:
            names[cohort.id] = dict(tranche_choices(cohort))
        yield (
            row.id,
            program.name,
            cohort.name,
            startup.name,
            startup.legal_name or "",
            names[cohort.id].get(row.tranche_key, row.tranche_key),
            row.kind.value,
            row.corrects_id,
            row.amount_cents,
            grant.currency,
            row.status.value,
            _day(row.requested_at),
            requested_by,
            _day(row.approved_at),
            approved_by or "",
            row.paid_on,
            row.payment_reference or "",
            _day(row.cancelled_at),
            row.cancel_reason or "",
            row.note or "",
        )


def ledger_sheet(*, currency: str | None = None, **scope) -> Sheet:
    """The grant ledger in scope (see `ledger_export_rows`) as a sheet of a download."""
    columns = ledger_columns(currency)
    return rows_sheet("grants", _("Grant ledger"), columns, lambda: ledger_export_rows(**scope))
