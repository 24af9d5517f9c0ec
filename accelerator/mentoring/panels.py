"""What mentoring adds to pages it does not own (hooks.py connects them): context functions."""

from __future__ import annotations

from collections import Counter
from datetime import date

from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from accelerator.applications.models import Startup
from accelerator.applications.queries import founder_startup_id
from accelerator.auth.models import Role
from accelerator.extensions import db
from accelerator.mentoring import queries
from accelerator.mentoring.models import ENDED, Match, MatchStatus, MentorProfile
from accelerator.mentoring.policies import can_view_directory
from accelerator.programs.models import Cohort, Enrollment


def nav(**_kwargs):
    if not current_user.is_authenticated:
        return None
    if current_user.role == Role.FOUNDER and not can_view_directory(current_user):
        return None
    return {}


def mentor_home(user):
    """The matches waiting for the mentor's answer (names only: the card prints them), how
    many they mentor and whether they have a profile: two statements of rows."""
    waiting = db.session.execute(
        select(Startup.name.label("startup_name"), Cohort.name.label("cohort_name"))
        .select_from(Match)
        .join(Startup, Startup.id == Match.startup_id)
        .join(Cohort, Cohort.id == Match.cohort_id)
        .where(Match.mentor_id == user.id, Match.status == MatchStatus.CONFIRMED)
        .order_by(Match.id)
    ).all()
    active, has_profile = db.session.execute(
        select(
            select(func.count(Match.id))
            .where(Match.mentor_id == user.id, Match.status == MatchStatus.ACCEPTED)
            .scalar_subquery(),
            select(MentorProfile.id).where(MentorProfile.user_id == user.id).exists(),
        )
    ).one()
    if has_profile and not waiting and not active:
        return None  # nothing to say: the home page keeps its empty state
    return {"has_profile": has_profile, "waiting": waiting, "active": active}


def founder_home(user):
    startup_id = founder_startup_id(user)
    if startup_id is None:
        return None
    found = db.session.scalars(
        select(Match)
        .where(Match.startup_id == startup_id, Match.status.in_(queries.ACTIVE_MATCH))
        .options(joinedload(Match.mentor), joinedload(Match.cohort))
        .order_by(Match.id.desc())
    ).all()
    if not found and not can_view_directory(user):
        return None
    return {"mentor_matches": found, "S": MatchStatus}


def cohort_staff(cohort):
    counts = Counter(
        dict(
            db.session.execute(
                select(Match.status, func.count(Match.id))
                .where(Match.cohort_id == cohort.id)
                .group_by(Match.status)
            ).all()
        )
    )
    return {"match_counts": [(status, counts[status]) for status in MatchStatus if counts[status]]}


def staff_home(user):
    """Cohorts not ended whose startups lack mentors, or whose mentors have not answered."""
    today = date.today()
    cohorts = db.session.scalars(
        select(Cohort)
        .where(
            Cohort.ends_on >= today,
            select(Enrollment.id).where(Enrollment.cohort_id == Cohort.id).exists(),
        )
        .order_by(Cohort.starts_on)
    ).all()
    if not cohorts:
        return None
    ids = [c.id for c in cohorts]
    enrolled = db.session.execute(
        select(Enrollment.cohort_id, Enrollment.startup_id).where(Enrollment.cohort_id.in_(ids))
    ).all()
    live = Counter(
        {
            (cohort_id, startup_id): n
            for cohort_id, startup_id, n in db.session.execute(
                select(Match.cohort_id, Match.startup_id, func.count(Match.id))
                .where(Match.cohort_id.in_(ids), Match.status.not_in(ENDED))
                .group_by(Match.cohort_id, Match.startup_id)
            )
        }
    )
    waiting = Counter(
        dict(
            db.session.execute(
                select(Match.cohort_id, func.count(Match.id))
                .where(Match.cohort_id.in_(ids), Match.status == MatchStatus.CONFIRMED)
                .group_by(Match.cohort_id)
            ).all()
        )
    )
    by_id = {c.id: c for c in cohorts}
    short = Counter(
        cohort_id
        for cohort_id, startup_id in enrolled
        if live[(cohort_id, startup_id)] < by_id[cohort_id].mentors_per_startup
    )
    rows = [
        {"cohort": c, "short": short[c.id], "waiting": waiting[c.id]}
        for c in cohorts
        if short[c.id] or waiting[c.id]
    ]
    return {"matching_rows": rows} if rows else None


#: What the founder home's card reads (table names): a committed write there renews the
#: startup's kept home (site.views).
FOUNDER_HOME_READS = (
    "mentor_matches",
    "users",
    "cohorts",
    "enrollments",
    "programs",
    "startup_members",
)
