"""Builders for the reports tests: a running cohort with check-ins, milestones, a grant ledger,
mentor matches and sessions, built straight from the models (no other domain's test code)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from accelerator.applications.models import Startup
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.mentoring.models import Match, MatchStatus
from accelerator.milestones.models import CheckIn, Health, Milestone, MilestoneStatus
from accelerator.programs.models import Enrollment
from accelerator.sessions.models import MentorSession, SessionFormat, SessionState
from tests import factories


def make_checkin(
    enrollment,
    *,
    period_on: date,
    health=Health.GREEN,
    revenue_cents=100_000,
    users=10,
    by=None,
    **fields,
) -> CheckIn:
    by = by or factories.make_user(role="founder")
    checkin = CheckIn(
        enrollment_id=enrollment.id,
        period_on=period_on,
        health=Health(health),
        revenue_cents=revenue_cents,
        currency="USD",
        active_users=users,
        headcount=fields.pop("headcount", 3),
        raised_cents=fields.pop("raised_cents", 0),
        pilots=fields.pop("pilots", 0),
        submitted_by_id=by.id,
        **fields,
    )
    db.session.add(checkin)
    db.session.flush()
    return checkin


def make_milestone(
    enrollment, *, due_on: date, status=MilestoneStatus.PLANNED, reviewer=None, title="Milestone"
) -> Milestone:
    status = MilestoneStatus(status)
    milestone = Milestone(enrollment_id=enrollment.id, title=title, due_on=due_on, status=status)
    if status in (MilestoneStatus.SUBMITTED, MilestoneStatus.APPROVED):
        milestone.submitted_at = utcnow()
    if status in (MilestoneStatus.APPROVED, MilestoneStatus.SENT_BACK):
        milestone.reviewed_by_id = (reviewer or factories.make_user(role="staff")).id
        milestone.reviewed_at = utcnow()
    db.session.add(milestone)
    db.session.flush()
    return milestone


def make_match(cohort, startup, mentor, *, status=MatchStatus.ACCEPTED) -> Match:
    now = utcnow()
    match = Match(
        cohort_id=cohort.id,
        startup_id=startup.id,
        mentor_id=mentor.id,
        status=status,
        confirmed_at=now,
        responded_at=now if status in (MatchStatus.ACCEPTED, MatchStatus.DECLINED) else None,
    )
    db.session.add(match)
    db.session.flush()
    return match


def make_session(match, *, minutes=60, days_ago=3, confirmed=True) -> MentorSession:
    starts = datetime.now(UTC) - timedelta(days=days_ago)
    session = MentorSession(
        match_id=match.id,
        cohort_id=match.cohort_id,
        mentor_id=match.mentor_id,
        startup_id=match.startup_id,
        starts_at=starts,
        duration_minutes=minutes,
        format=SessionFormat.VIDEO,
        state=SessionState.CONFIRMED if confirmed else SessionState.PENDING,
        confirmed_at=starts if confirmed else None,
        logged_by_id=match.mentor_id,
    )
    db.session.add(session)
    db.session.flush()
    return session


def make_running_cohort(startups: int = 3, *, with_data: bool = True):
    """A running cohort with `startups` enrolled startups, each with a grant, and (with_data)
    check-ins, milestones, a paid and a requested tranche, a mentor and sessions."""
    cohort = factories.make_cohort(phase="running")
    staff, approver = factories.make_user(role="staff"), factories.make_user(role="staff")
    grants = []
    for i in range(startups):
        grant = factories.make_grant(cohort=cohort, founders=[factories.make_user(role="founder")])
        grants.append(grant)
        if not with_data:
            continue
        enrollment = db.session.get(Enrollment, grant.enrollment_id)
        factories.make_disbursement(
            grant,
            amount_cents=500_000 + i * 1000,
            status="paid",
            requester=staff,
            approver=approver,
        )
        factories.make_disbursement(
            grant, amount_cents=250_000, tranche="midpoint", requester=staff
        )
        start = cohort.starts_on
        for week in range(3):
            make_checkin(
                enrollment,
                period_on=start + timedelta(weeks=week),
                health=Health.RED if (i == 0 and week == 2) else Health.GREEN,
                revenue_cents=100_000 * (week + 1),
            )
        make_milestone(
            enrollment, due_on=start + timedelta(days=7), status="approved", reviewer=staff
        )
        make_milestone(enrollment, due_on=date.today() - timedelta(days=2))  # overdue
        make_milestone(enrollment, due_on=date.today() + timedelta(days=9))  # due
        mentor = factories.make_user(role="mentor")
        startup = db.session.get(Startup, enrollment.startup_id)
        match = make_match(cohort, startup, mentor)
        make_session(match, minutes=45, days_ago=10)
        make_session(match, minutes=90, days_ago=2)
        make_session(match, minutes=30, days_ago=1, confirmed=False)
    return cohort, grants
