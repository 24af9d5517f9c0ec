"""Reading the ledger: totals per grant and per tranche, tranche states, what comes next.

The grant page, the founder's view, the cohort list and the tests all use these functions, so
the numbers people see are the numbers the invariants are checked against.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from accelerator.applications.models import Startup
from accelerator.core.enums import RichStrEnum
from accelerator.extensions import db
from accelerator.grants.models import Disbursement, DisbursementStatus, Grant
from accelerator.programs.models import Cohort, Enrollment, Program

S = DisbursementStatus
OTHER_TRANCHE = "_other"


@dataclass
class Totals:
    """Money in each state; `requested` and `approved` are what still waits for the next step."""

    requested: int = 0  # waiting for approval
    approved: int = 0  # approved, not yet paid
    paid: int = 0  # paid, net of corrections
    cancelled: int = 0

    @property
    def committed(self) -> int:
        return self.requested + self.approved + self.paid

    def add(self, status: DisbursementStatus, amount: int) -> None:
        name = status.value
        setattr(self, name, getattr(self, name) + amount)


@dataclass
class Tranche:
    key: str
    name: str
    percent: float
    planned: int
    totals: Totals = field(default_factory=Totals)

    @property
    def outstanding(self) -> int:
        """What the plan still expects for this tranche (never negative)."""
        return max(self.planned - self.totals.committed, 0)

    @property
    def state(self) -> TrancheState:
        t = self.totals
        if self.planned and t.paid >= self.planned:
            return TrancheState.PAID
        if t.paid > 0:
            return TrancheState.PARTLY_PAID
        if t.approved > 0:
            return TrancheState.APPROVED
        if t.requested > 0:
            return TrancheState.REQUESTED
        return TrancheState.PLANNED


class TrancheState(RichStrEnum):
    """Where a tranche of the plan stands, from its ledger rows (derived, never stored)."""

    PAID = "paid"
    PARTLY_PAID = "partly_paid"
    APPROVED = "approved"
    REQUESTED = "requested"
    PLANNED = "planned"

    __labels__ = {
        "paid": _l("Paid"),
        "partly_paid": _l("Partly paid"),
        "approved": _l("Approved, payment pending"),
        "requested": _l("Awaiting approval"),
        "planned": _l("Planned"),
    }
    __badges__ = {
        "paid": "text-bg-success",
        "partly_paid": "text-bg-info",
        "approved": "text-bg-primary",
        "requested": "text-bg-warning",
        "planned": "text-bg-secondary",
    }


def plan_of(plan: list[dict[str, Any]] | None, amount_cents: int) -> list[Tranche]:
    """The cohort's tranche plan in money: shares of the grant, the last taking the rounding."""
    entries = [e for e in (plan or []) if isinstance(e, dict) and e.get("key")]
    if not entries:
        entries = [{"key": "grant", "name": "Grant", "percent": 100}]
    tranches = []
    for entry in entries:
        percent = float(entry.get("percent") or 0)
        planned = int(amount_cents * percent // 100)
        tranches.append(
            Tranche(
                key=str(entry["key"]),
                name=str(entry.get("name") or entry["key"]),
                percent=percent,
                planned=planned,
            )
        )
    if abs(sum(t.percent for t in tranches) - 100) < 1e-9:
        tranches[-1].planned = amount_cents - sum(t.planned for t in tranches[:-1])
    return tranches


@dataclass
class Ledger:
    grant: Grant
    tranches: list[Tranche]
    totals: Totals
    rows: list[Disbursement]

    @property
    def remaining(self) -> int:
        return self.grant.amount_cents - self.totals.committed

    def tranche(self, key: str) -> Tranche | None:
        return next((t for t in self.tranches if t.key == key), None)

    @property
    def next_tranche(self) -> Tranche | None:
        """The first tranche of the plan not yet fully paid: what the startup can expect next."""
        return next(
            (t for t in self.tranches if t.key != OTHER_TRANCHE and t.state != TrancheState.PAID),
            None,
        )

    @property
    def payments(self) -> list[Disbursement]:
        return [row for row in self.rows if row.status == S.PAID]


def build_ledger(
    grant: Grant, plan: list[dict[str, Any]] | None, rows: Iterable[Disbursement]
) -> Ledger:
    """Sum rows per status, overall and per tranche of `plan`."""
    rows = list(rows)
    tranches = plan_of(plan, grant.amount_cents)
    by_key = {t.key: t for t in tranches}
    totals = Totals()
    for row in rows:
        totals.add(row.status, row.amount_cents)
        tranche = by_key.get(row.tranche_key)
        if tranche is None:
            tranche = by_key[OTHER_TRANCHE] = Tranche(OTHER_TRANCHE, str(_l("Other")), 0, 0)
            tranches.append(tranche)
        tranche.totals.add(row.status, row.amount_cents)
    return Ledger(grant=grant, tranches=tranches, totals=totals, rows=rows)


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


def cohort_totals(cohort_id: int) -> dict[str, int]:
    """Grant count and money for a cohort, in two small queries (the cohort page's panel)."""

    grants = db.session.execute(
        select(
            func.count(Grant.id),
            func.coalesce(func.sum(Grant.amount_cents), 0),
            func.coalesce(func.sum(Grant.committed_cents), 0),
            func.max(Grant.currency),
        )
        .join(Enrollment, Enrollment.id == Grant.enrollment_id)
        .where(Enrollment.cohort_id == cohort_id)
    ).one()
    paid = case((Disbursement.status == S.PAID, Disbursement.amount_cents), else_=0)
    waiting = case((Disbursement.status == S.REQUESTED, 1), else_=0)
    money = db.session.execute(
        select(func.coalesce(func.sum(paid), 0), func.coalesce(func.sum(waiting), 0))
        .join(Grant, Grant.id == Disbursement.grant_id)
        .join(Enrollment, Enrollment.id == Grant.enrollment_id)
        .where(Enrollment.cohort_id == cohort_id)
    ).one()
    return {
        "count": grants[0],
        "amount": int(grants[1]),
        "committed": int(grants[2]),
        "currency": grants[3],
        "paid": int(money[0]),
        "awaiting_approval": int(money[1]),
    }


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


def load_contexts(grant_ids: Iterable[int]) -> dict[int, GrantContext]:
    """Load grants and their surroundings in one query."""

    ids = list(grant_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Grant, Enrollment, Cohort, Program, Startup)
        .join(Enrollment, Enrollment.id == Grant.enrollment_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .join(Startup, Startup.id == Enrollment.startup_id)
        .where(Grant.id.in_(ids))
    )
    return {row[0].id: GrantContext(*row) for row in rows}


def load_context(grant_id: int) -> GrantContext | None:
    return load_contexts([grant_id]).get(grant_id)


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
