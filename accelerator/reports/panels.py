"""What reports add to other pages through the registry: links, and startup page sections."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from accelerator.applications.models import Application, Startup
from accelerator.auth.models import User
from accelerator.core import history
from accelerator.core.models import AuditEvent
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.mentoring.models import Match
from accelerator.mentoring.policies import is_enrolled_founder
from accelerator.mentoring.queries import ACTIVE_MATCH
from accelerator.mentoring.session_models import ActionItem, MentorSession, SessionState
from accelerator.milestones.models import CheckIn, Milestone
from accelerator.programs.models import Cohort, Enrollment, Phase, Program

RECENT_SESSIONS = 8
HISTORY_PREVIEW = 12


def cohort_link(cohort):
    """The cohort page leads to its dashboard once the cohort has started."""
    return {} if cohort.phase in (Phase.RUNNING, Phase.COMPLETED) else None


def staff_home_panel(user):
    """Running cohorts, each with a link to its dashboard."""
    today = utcnow().date()
    cohorts = db.session.execute(
        select(Cohort.id, Cohort.name, Program.name, Cohort.ends_on)
        .join(Program, Program.id == Cohort.program_id)
        .where(Cohort.starts_on <= today, Cohort.ends_on >= today)
        .order_by(Cohort.ends_on)
    ).all()
    return {"running": cohorts, "today": today}


def startup_mentoring(startup):
    """Mentors matched with the startup, hours together and the latest sessions."""
    mentors = db.session.execute(
        select(User.name, Cohort.name, Match.status)
        .join(User, User.id == Match.mentor_id)
        .join(Cohort, Cohort.id == Match.cohort_id)
        .where(Match.startup_id == startup.id, Match.status.in_(ACTIVE_MATCH))
        .order_by(Cohort.starts_on.desc(), User.name)
    ).all()
    sessions = db.session.execute(
        select(MentorSession, User.name)
        .join(User, User.id == MentorSession.mentor_id)
        .where(MentorSession.startup_id == startup.id)
        .order_by(MentorSession.starts_at.desc())
        .limit(RECENT_SESSIONS)
    ).all()
    confirmed = MentorSession.state == SessionState.CONFIRMED
    count, minutes = db.session.execute(
        select(
            func.count(MentorSession.id), func.coalesce(func.sum(MentorSession.duration_minutes), 0)
        ).where(MentorSession.startup_id == startup.id, confirmed)
    ).one()
    open_items = db.session.scalar(
        select(func.count(ActionItem.id)).where(
            ActionItem.startup_id == startup.id, ActionItem.done_at.is_(None)
        )
    )
    if not mentors and not sessions:
        return None
    return {
        "mentors": mentors,
        "sessions": sessions,
        "session_count": count,
        "hours": round(int(minutes) / 60, 1),
        "open_items": open_items,
    }


def startup_progress(startup):
    """Per enrollment: milestones, and the check-in KPIs as a chart and a table."""
    from accelerator.reports.chart_views import startup_checkins

    enrollments = db.session.execute(
        select(Enrollment.id, Cohort.name, Program.timezone)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .where(Enrollment.startup_id == startup.id)
        .order_by(Cohort.starts_on.desc())
    ).all()
    if not enrollments:
        return None
    milestones = db.session.scalars(
        select(Milestone)
        .where(Milestone.enrollment_id.in_([e.id for e in enrollments]))
        .order_by(Milestone.due_on, Milestone.id)
    ).all()
    by_enrollment: dict[int, list[Milestone]] = {}
    for milestone in milestones:
        by_enrollment.setdefault(milestone.enrollment_id, []).append(milestone)
    return {
        "enrollments": enrollments,
        "milestones": by_enrollment,
        "checkins": startup_checkins(startup.id),
        "today": utcnow().date(),
    }


def startup_timezone(startup_id: int) -> str | None:
    """The timezone of the program the startup last applied to (its history is read in it)."""
    return db.session.scalar(
        select(Program.timezone)
        .join(Cohort, Cohort.program_id == Program.id)
        .join(Application, Application.cohort_id == Cohort.id)
        .where(Application.startup_id == startup_id)
        .order_by(Cohort.starts_on.desc())
        .limit(1)
    )


def history_statement(startup_id: int):
    """The startup's audit events, newest first, with who did them."""
    return (
        select(AuditEvent)
        .where(AuditEvent.startup_id == startup_id)
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )


def startup_history(startup):
    """The latest acts of the startup's story, as sentences, with a link to all of it."""
    events = db.session.scalars(history_statement(startup.id).limit(HISTORY_PREVIEW + 1)).all()
    return {
        "entries": history.entries(events[:HISTORY_PREVIEW]),
        "more": len(events) > HISTORY_PREVIEW,
        "timezone": startup_timezone(startup.id),
    }


def _month_start(now) -> datetime:
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def mentor_home_panel(user):
    """What the mentoring and milestones panels leave out: each matched startup's last
    check-in health, open action items and this month's sessions, with a quick "log a session"."""
    startups = db.session.execute(
        select(Startup.id, Startup.name, Match.cohort_id)
        .join(Match, Match.startup_id == Startup.id)
        .where(Match.mentor_id == user.id, Match.status.in_(ACTIVE_MATCH))
        .order_by(Startup.name)
    ).all()
    if not startups:
        return None
    ids = [row.id for row in startups]
    latest = (
        select(CheckIn.enrollment_id, func.max(CheckIn.period_on).label("period_on"))
        .group_by(CheckIn.enrollment_id)
        .subquery()
    )
    health = {
        startup_id: (value, period_on)
        for startup_id, value, period_on in db.session.execute(
            select(Enrollment.startup_id, CheckIn.health, CheckIn.period_on)
            .join(CheckIn, CheckIn.enrollment_id == Enrollment.id)
            .join(
                latest,
                (latest.c.enrollment_id == CheckIn.enrollment_id)
                & (latest.c.period_on == CheckIn.period_on),
            )
            .where(Enrollment.startup_id.in_(ids))
            .order_by(CheckIn.period_on)
        )
    }
    items = dict(
        db.session.execute(
            select(ActionItem.startup_id, func.count(ActionItem.id))
            .where(
                ActionItem.startup_id.in_(ids),
                ActionItem.mentor_id == user.id,
                ActionItem.done_at.is_(None),
            )
            .group_by(ActionItem.startup_id)
        ).all()
    )
    sessions = dict(
        db.session.execute(
            select(MentorSession.startup_id, func.count(MentorSession.id))
            .where(
                MentorSession.mentor_id == user.id,
                MentorSession.startup_id.in_(ids),
                MentorSession.starts_at >= _month_start(utcnow()),
            )
            .group_by(MentorSession.startup_id)
        ).all()
    )
    rows = [
        {
            "id": row.id,
            "name": row.name,
            "health": health.get(row.id, (None, None))[0],
            "checkin_on": health.get(row.id, (None, None))[1],
            "open_items": items.get(row.id, 0),
            "sessions": sessions.get(row.id, 0),
        }
        for row in {r.id: r for r in startups}.values()
    ]
    return {"startups": rows, "sessions_this_month": sum(sessions.values())}


def founder_home_panel(user):
    """What the other founder panels leave out: the cohort calendar (mentors, next office hour,
    action items, milestones and the grant have their own panels). For enrolled founders."""
    return {} if is_enrolled_founder(user) else None  # asked once per request
