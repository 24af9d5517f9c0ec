"""Builders for milestones and check-ins: an enrolled startup with its grant and plan."""

from __future__ import annotations

from datetime import date

from accelerator.extensions import db
from accelerator.milestones import checkins, plans
from accelerator.milestones.models import CheckIn, Milestone
from accelerator.programs.models import Enrollment
from tests.factories.grants import make_grant

__all__ = ["make_enrolled", "make_checkin", "milestone_with_tranche", "checkin_input"]


def make_enrolled(*, cohort=None, startup=None, founders=None) -> Enrollment:
    """An enrolled startup with its grant and the milestones of its cohort's plan (the default
    plan when the cohort has none), as the enrollment signal makes them."""
    grant = make_grant(cohort=cohort, startup=startup, founders=founders)
    enrollment = db.session.get(Enrollment, grant.enrollment_id)
    plans.on_enrollment(enrollment)
    return enrollment


def milestone_with_tranche(enrollment: Enrollment, key: str = "midpoint") -> Milestone:
    from sqlalchemy import select

    return db.session.scalar(
        select(Milestone).where(
            Milestone.enrollment_id == enrollment.id, Milestone.tranche_key == key
        )
    )


def checkin_input(**overrides) -> checkins.CheckinInput:
    values = {
        "health": "green",
        "revenue_cents": 500_000,
        "active_users": 100,
        "headcount": 5,
        "raised_cents": 0,
        "pilots": 1,
        "highlights": "Good week",
        "blockers": "",
        "asks": "",
    }
    values.update(overrides)
    return checkins.CheckinInput(**values)


def make_checkin(enrollment: Enrollment, period_on: date, *, founder=None, **overrides) -> CheckIn:
    """A check-in stored directly (any period, past or not), bypassing the period rules."""
    from sqlalchemy import select

    from accelerator.applications.models import StartupMember
    from accelerator.auth.models import User

    if founder is None:
        founder = db.session.scalar(
            select(User)
            .join(StartupMember, StartupMember.user_id == User.id)
            .where(StartupMember.startup_id == enrollment.startup_id)
            .limit(1)
        )
    data = checkin_input(**overrides)
    checkin = CheckIn(
        enrollment_id=enrollment.id,
        period_on=period_on,
        currency="USD",
        submitted_by_id=founder.id,
        health=data.health,
        revenue_cents=data.revenue_cents,
        active_users=data.active_users,
        headcount=data.headcount,
        raised_cents=data.raised_cents,
        pilots=data.pilots,
        highlights=data.highlights,
        blockers=data.blockers,
        asks=data.asks,
    )
    db.session.add(checkin)
    db.session.flush()
    return checkin
