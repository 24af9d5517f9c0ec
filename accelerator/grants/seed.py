"""Demo ledgers: Season 11's grants fully paid (three tranches), Season 12's kickoffs paid.

The grants open with the enrollments the reviews seed makes (confirmed offers). Payments go
through the services (so the cap and four eyes hold), dated in the cohorts' past; the
notifications they queue are dropped, since historical payments are not news. Idempotent:
each seeded row has a fixed idempotency key, and a key already in the ledger is skipped.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from accelerator.auth.models import Role, User
from accelerator.core.mail import mail_dropped
from accelerator.core.types import clock_at, utcnow
from accelerator.extensions import db
from accelerator.grants import services
from accelerator.grants.ledger import plan_of
from accelerator.grants.models import Disbursement, Grant
from accelerator.grants.queries import load_context
from accelerator.programs.models import Cohort, Enrollment, Program

PROGRAM = "Orange Fab France"
#: cohort name -> {tranche key: days after the cohort's start it was paid (None: at its end)}
SCHEDULE = {
    "Season 11": {"kickoff": 7, "midpoint": 45, "demo_day": None},
    "Season 12": {"kickoff": 7},
}
REQUESTER, APPROVER = "staff@example.org", "julien.moreau@example.org"


def staff_pair() -> tuple[User, User] | None:
    """The demo requester and approver (two staff members, four eyes), or any two."""
    people = {
        u.email: u
        for u in db.session.scalars(
            select(User)
            .where(User.role.in_([Role.STAFF, Role.ADMIN]), User.active)
            .order_by(User.id)
        )
    }
    if REQUESTER in people and APPROVER in people:
        return people[REQUESTER], people[APPROVER]
    staff = list(people.values())
    return (staff[0], staff[1]) if len(staff) >= 2 else None


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 30), UTC)


def _pay(grant: Grant, tranche, paid_on: date, pair: tuple[User, User]) -> bool:
    key = f"seed-grant-{grant.id}-{tranche.key}"
    if db.session.scalar(select(Disbursement.id).where(Disbursement.idempotency_key == key)):
        return False
    if tranche.planned <= 0 or tranche.planned > grant.remaining_cents:
        return False
    requester, approver = pair
    with clock_at(_at(paid_on - timedelta(days=5))):
        row, _ = services.request_disbursement(
            grant,
            actor=requester,
            tranche_key=tranche.key,
            amount_cents=tranche.planned,
            idempotency_key=key,
            note="",
        )
    with clock_at(_at(paid_on - timedelta(days=2))):
        services.approve_disbursement(row, actor=approver, seen_amount_cents=row.amount_cents)
    reference = f"SEPA-{paid_on:%Y%m%d}-{grant.id:04d}-{tranche.key[:4].upper()}"
    with clock_at(min(_at(paid_on) + timedelta(hours=6), utcnow())):
        services.mark_paid(row, actor=approver, paid_on=paid_on, payment_reference=reference)
    db.session.flush()
    return True


def seed(seed_dir: Path, echo) -> int:
    del seed_dir  # the ledgers follow from the cohorts' dates; no data file needed
    grants = db.session.execute(
        select(Grant, Cohort)
        .join(Enrollment, Enrollment.id == Grant.enrollment_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .where(Program.name == PROGRAM, Cohort.name.in_(list(SCHEDULE)))
        .order_by(Cohort.starts_on, Grant.id)
    ).all()
    if not grants:
        echo(
            "  grants: no enrolled startups in Season 11 or 12 yet (the reviews seed makes "
            "them); no ledger seeded."
        )
        return 0
    pair = staff_pair()
    if pair is None:
        echo("  grants: two staff members are needed to approve payments; no ledger seeded.")
        return 0
    today = datetime.now(UTC).date()
    created = 0
    with mail_dropped():
        for grant, cohort in grants:
            # Grants open with their enrollment (the seed backdates enrollments into the past).
            enrolled_at = db.session.get(Enrollment, grant.enrollment_id).created_at
            if grant.created_at > enrolled_at:
                grant.created_at = grant.updated_at = enrolled_at
            context = load_context(grant.id)
            for tranche in plan_of(context.plan, grant.amount_cents):
                if tranche.key not in SCHEDULE[cohort.name]:
                    continue
                offset = SCHEDULE[cohort.name][tranche.key]
                paid_on = cohort.ends_on if offset is None else cohort.starts_on + timedelta(offset)
                created += _pay(grant, tranche, min(paid_on, today), pair)
    return created
