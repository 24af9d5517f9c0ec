"""What reports add to other pages through the registry: links, and startup page sections."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from accelerator.applications.models import Startup
from accelerator.applications.queries import timezone_of
from accelerator.auth.models import User
from accelerator.core import history
from accelerator.core.timeutil import local_today
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.mentoring.models import Match
from accelerator.mentoring.policies import is_enrolled_founder
from accelerator.mentoring.queries import ACTIVE_MATCH
from accelerator.milestones import queries as milestone_queries
from accelerator.programs.models import Cohort, Phase
from accelerator.programs.queries import demo_day, startup_enrollments
from accelerator.reports import queries
from accelerator.sessions.models import ActionItem, MentorSession, SessionState

RECENT_SESSIONS = 8
HISTORY_PREVIEW = 12


def cohort_link(cohort):
    """The cohort page leads to its dashboard once the cohort has started."""
    return {} if cohort.phase in (Phase.RUNNING, Phase.COMPLETED) else None


def staff_home_panel(user):
    """Running cohorts, each with a link to its dashboard and the days left to its demo day."""
    today = utcnow().date()
    running = [
        (cohort, program_name, (demo_day(cohort) - today).days)
        for cohort, program_name in queries.running_cohorts(today)
    ]
    return {"running": running}


def startup_mentoring(startup):
    """Mentors matched with the startup, hours together and the latest sessions."""
    mentors = db.session.execute(
        select(User.name, Cohort.name)
        .select_from(Match)
        .join(User, User.id == Match.mentor_id)
        .join(Cohort, Cohort.id == Match.cohort_id)
        .where(Match.startup_id == startup.id, Match.status.in_(ACTIVE_MATCH))
        .order_by(Cohort.starts_on.desc(), User.name)
    ).all()
    # the columns the table shows, as rows (read-only: no ORM objects)
    sessions = [
        (row, row.mentor_name)
        for row in db.session.execute(
            select(
                MentorSession.id,
                MentorSession.starts_at,
                MentorSession.duration_minutes,
                MentorSession.state,
                MentorSession.red_flag_at,
                MentorSession.red_flag_resolved_at,
                User.name.label("mentor_name"),
            )
            .join(User, User.id == MentorSession.mentor_id)
            .where(MentorSession.startup_id == startup.id)
            .order_by(MentorSession.starts_at.desc())
            .limit(RECENT_SESSIONS)
        )
    ]
    confirmed = (MentorSession.startup_id == startup.id) & (
        MentorSession.state == SessionState.CONFIRMED
    )
    count, minutes, open_items = db.session.execute(  # one statement for the three totals
        select(
            select(func.count(MentorSession.id)).where(confirmed).scalar_subquery(),
            select(func.coalesce(func.sum(MentorSession.duration_minutes), 0))
            .where(confirmed)
            .scalar_subquery(),
            select(func.count(ActionItem.id))
            .where(ActionItem.startup_id == startup.id, ActionItem.done_at.is_(None))
            .scalar_subquery(),
        )
    ).one()
    if not mentors and not sessions:
        return None
    return {
        "mentors": mentors,
        "sessions": sessions,
        "session_count": count,
        "hours": round(int(minutes) / 60, 1),
        "open_items": open_items,
        "timezone": timezone_of(startup),
    }


def startup_progress(startup):
    """Per enrollment: milestones, and the check-in KPIs as a chart and a table."""
    # latest cohort first, read once per request for every section of the page
    enrollments = [(row.id, row.cohort_name) for row in startup_enrollments(startup.id)]
    if not enrollments:
        return None
    return {
        "enrollments": enrollments,
        "milestones": milestone_queries.milestones_of(e[0] for e in enrollments),
        "checkins": milestone_queries.startup_checkins(startup.id),
        "today": local_today(timezone_of(startup)),
    }


def startup_history(startup):
    """The latest acts of the startup's story, as sentences, with a link to all of it."""
    events = db.session.scalars(
        queries.history_statement(startup.id).limit(HISTORY_PREVIEW + 1)
    ).all()
    return {
        "entries": history.entries(events[:HISTORY_PREVIEW]),
        "more": len(events) > HISTORY_PREVIEW,
        "timezone": timezone_of(startup),
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
    # The newest check-in of each startup, whichever cohort it was in (oldest first: the last wins).
    latest = {c.startup_id: c for c in milestone_queries.latest_checkins(startup_ids=ids)}
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
            "health": latest[row.id].health if row.id in latest else None,
            "checkin_on": latest[row.id].period_on if row.id in latest else None,
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


#: What the founder home's card reads (table names): a committed write there renews the
#: startup's kept home (site.views).
FOUNDER_HOME_READS = ("enrollments", "startup_members")
