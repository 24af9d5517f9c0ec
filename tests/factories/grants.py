"""Builders for grants and disbursements (enrolled startups without the reviews code)."""

from __future__ import annotations

from datetime import date

from accelerator.applications.models import Startup
from accelerator.auth.models import User
from accelerator.extensions import db
from accelerator.grants import services
from accelerator.grants.forms import new_idempotency_key
from accelerator.grants.models import Disbursement, DisbursementStatus, Grant
from accelerator.programs.models import Cohort, Enrollment
from tests.factories.applications import make_startup
from tests.factories.auth import make_user
from tests.factories.programs import make_enrollment

__all__ = ["make_grant", "make_disbursement", "new_idempotency_key"]


def make_grant(
    *,
    enrollment: Enrollment | None = None,
    cohort: Cohort | None = None,
    startup: Startup | None = None,
    founders: list[User] | None = None,
    amount_cents: int | None = None,
) -> Grant:
    """An enrolled startup's grant, built as the reviews domain builds it on confirmation
    (the cohort's amount by default), without going through the reviews code."""
    if enrollment is None:
        startup = startup or make_startup(founders=founders)
        enrollment = make_enrollment(cohort=cohort, startup=startup)
    cohort = db.session.get(Cohort, enrollment.cohort_id)
    grant = Grant(
        enrollment_id=enrollment.id,
        amount_cents=amount_cents or cohort.grant_amount_cents,
        currency=cohort.currency,
    )
    db.session.add(grant)
    db.session.flush()
    return grant


def make_disbursement(
    grant: Grant,
    *,
    amount_cents: int = 100_000,
    tranche: str = "kickoff",
    status: DisbursementStatus | str = DisbursementStatus.REQUESTED,
    requester: User | None = None,
    approver: User | None = None,
    paid_on: date | None = None,
    reference: str = "TRF-0001",
    note: str = "",
) -> Disbursement:
    """A ledger row brought to `status` through the services (so the cap is kept)."""
    status = DisbursementStatus(status)
    requester = requester or make_user(role="staff")
    row, _created = services.request_disbursement(
        grant,
        actor=requester,
        tranche_key=tranche,
        amount_cents=amount_cents,
        idempotency_key=new_idempotency_key(),
        note=note,
    )
    if status == DisbursementStatus.CANCELLED:
        return services.cancel_disbursement(row, actor=requester, reason="Not needed")
    if status in (DisbursementStatus.APPROVED, DisbursementStatus.PAID):
        approver = approver or make_user(role="staff")
        row = services.approve_disbursement(row, actor=approver, seen_amount_cents=row.amount_cents)
    if status == DisbursementStatus.PAID:
        row = services.mark_paid(
            row, actor=approver, paid_on=paid_on or date.today(), payment_reference=reference
        )
    return row
