"""The ledger as a concept: the tranche plan in money, totals per status, tranche states.

Pure computation over ledger rows; the reads that load them are in queries.py. The grant page,
the founder's view, the exports and the invariant tests all sum rows here, so the numbers
people see are the numbers the invariants are checked against. `plan_of` is the one reading of
a cohort's tranche plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from accelerator.core.enums import RichStrEnum
from accelerator.grants.models import Disbursement, DisbursementStatus, Grant

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

    PAID = "paid", _l("Paid"), "text-bg-success"
    PARTLY_PAID = "partly_paid", _l("Partly paid"), "text-bg-info"
    APPROVED = "approved", _l("Approved, payment pending"), "text-bg-primary"
    REQUESTED = "requested", _l("Awaiting approval"), "text-bg-warning"
    PLANNED = "planned", _l("Planned"), "text-bg-secondary"


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
