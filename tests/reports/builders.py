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


# ---------------------------------------------------------------------------- alumni (impact)


def make_alumnus(cohort, *, startup=None, listed: bool = False, team_size=None, name=None):
    """A startup that completed `cohort`; `listed`: its founders agree to be listed publicly."""
    from accelerator.alumni.models import Alumnus

    if startup is None:
        fields = {"team_size": team_size}
        if name:
            fields["name"] = name
        startup = factories.make_startup(**fields)
    alumnus = Alumnus(
        startup_id=startup.id,
        cohort_id=cohort.id,
        completed_on=cohort.ends_on,
        listed_at=utcnow() if listed else None,
    )
    db.session.add(alumnus)
    db.session.flush()
    return alumnus


def make_survey(
    alumnus,
    *,
    months: int = 6,
    answered: bool = True,
    raised_cents: int = 0,
    currency: str = "EUR",
    headcount: int = 3,
    outcome: str = "operating",
    contracts: int = 0,
    contract_cents: int = 0,
):
    """A survey wave of `alumnus`, answered (by default) with these figures."""
    from accelerator.alumni.models import (
        Outcome,
        RevenueBand,
        RoundType,
        Survey,
        SurveyStatus,
    )

    survey = Survey(
        alumnus_id=alumnus.id,
        startup_id=alumnus.startup_id,
        cohort_id=alumnus.cohort_id,
        months=months,
        due_on=alumnus.completed_on + timedelta(days=30 * months),
        sent_at=utcnow(),
        currency=currency,
        status=SurveyStatus.DUE,
    )
    if answered:
        survey.status = SurveyStatus.ANSWERED
        survey.answered_at = utcnow()
        survey.raised_cents = raised_cents
        survey.round_type = RoundType.SEED if raised_cents else RoundType.NONE
        survey.headcount = headcount
        survey.revenue_band = RevenueBand.UNDER_100K
        survey.outcome = Outcome(outcome)
        survey.contracts = contracts
        survey.contract_cents = contract_cents
    db.session.add(survey)
    db.session.flush()
    return survey


def make_impact_program(alumni: int = 6, *, listed: int | None = None):
    """A program with a completed cohort of `alumni` alumni (the first `listed` of them listed,
    all by default), each answered at 6 and 12 months, applications with reviews and
    decisions; and a cohort open for applications (the current call)."""
    from accelerator.applications.models import ApplicationStatus
    from accelerator.programs.models import Program
    from accelerator.reviews.models import Decision, Outcome

    listed = alumni if listed is None else listed
    past = factories.make_cohort(phase="completed")
    program = db.session.get(Program, past.program_id)
    call = factories.make_cohort(program=program, phase="open")
    for i in range(alumni):
        alumnus = make_alumnus(past, listed=i < listed, team_size=2, name=f"Société Éclair {i}")
        make_survey(alumnus, months=6, raised_cents=100_000, headcount=3)
        make_survey(alumnus, months=12, raised_cents=(i + 1) * 1_000_000, headcount=4 + i)
    for i in range(alumni + 1):
        application = factories.make_application(
            cohort=past, status=ApplicationStatus.REJECTED if i % 2 else ApplicationStatus.ACCEPTED
        )
        factories.make_review(application=application, feedback_tags=["traction"] if i % 2 else [])
        db.session.add(
            Decision(
                application_id=application.id,
                outcome=Outcome.REJECTED if i % 2 else Outcome.ACCEPTED,
                decided_at=past.applications_close_at + timedelta(days=3 + i),
            )
        )
    db.session.flush()
    return program, past, call
