"""Reads of mentoring shared by pages and by other domains (sessions, milestones, reports):
who is matched with whom, profiles, preferences, the directory."""

from __future__ import annotations

from datetime import date

from flask import g, has_request_context
from sqlalchemy import String, cast, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from accelerator.applications.models import Startup
from accelerator.auth.models import Role, User
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.mentoring.models import (
    ENDED,
    Match,
    MatchStatus,
    MentorConflict,
    MentorPreference,
    MentorProfile,
    mentor_expertise,
)
from accelerator.programs.models import Cohort, Enrollment, ExpertiseTag

#: A mentor is "matched" with a startup (may see it, log sessions, offer office hours) while a
#: match between them is in one of these states.
ACTIVE_MATCH = (MatchStatus.CONFIRMED, MatchStatus.ACCEPTED)


def active_match(mentor_id: int, startup_id: int) -> Match | None:
    """The newest active match between this mentor and this startup, if any."""
    return db.session.scalar(
        select(Match)
        .where(
            Match.mentor_id == mentor_id,
            Match.startup_id == startup_id,
            Match.status.in_(ACTIVE_MATCH),
        )
        .order_by(Match.id.desc())
        .limit(1)
    )


def is_matched(user, startup_id: int) -> bool:
    """Whether `user` (a mentor) is matched with the startup; False for anonymous users."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return active_match(user.id, startup_id) is not None


def _other_side(wanted, side, side_id: int) -> list[int]:
    """The ids in column `wanted` of the active matches whose column `side` is `side_id`, in
    any cohort: a mentor's startups, or a startup's mentors."""
    return list(
        db.session.scalars(
            select(wanted)
            .where(side == side_id, Match.status.in_(ACTIVE_MATCH))
            .distinct()
            .order_by(wanted)
        )
    )


def matched_startup_ids(mentor_id: int) -> list[int]:
    """Startups the mentor is matched with, in any cohort."""
    return _other_side(Match.startup_id, Match.mentor_id, mentor_id)


def mentored_startup_ids(user) -> set[int]:
    """Ids of the startups a signed-in user follows as a matched mentor (asked once a request)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "id", None) is None:
        return set()
    cache = g.setdefault("_mentored_startups", {}) if has_request_context() else {}
    if user.id not in cache:
        cache[user.id] = set(matched_startup_ids(user.id))
    return cache[user.id]


def mentor_ids_of(startup_id: int) -> list[int]:
    """Mentors matched with the startup, in any cohort."""
    return _other_side(Match.mentor_id, Match.startup_id, startup_id)


def matched_load(cohort_id: int, mentor_ids: list[int]) -> dict[int, int]:
    """Confirmed or accepted pairs per mentor in one cohort (the directory's load)."""
    if not mentor_ids:
        return {}
    rows = db.session.execute(
        select(Match.mentor_id, func.count(Match.id))
        .where(
            Match.cohort_id == cohort_id,
            Match.mentor_id.in_(mentor_ids),
            Match.status.in_(ACTIVE_MATCH),
        )
        .group_by(Match.mentor_id)
    ).all()
    return {mentor_id: count for mentor_id, count in rows}


def directory_statement(
    *, q: str = "", tag_id: int | None = None, language: str = "", organisation: str = ""
):
    """Mentors with a profile, filtered; ordered by name."""
    statement = (
        select(MentorProfile)
        .join(User, User.id == MentorProfile.user_id)
        .where(User.role == Role.MENTOR, User.active.is_(True))
        .options(joinedload(MentorProfile.user), selectinload(MentorProfile.expertise))
        .order_by(User.name, User.id)
    )
    if q:
        like = f"%{q.strip()}%"
        statement = statement.where(
            or_(
                User.name.ilike(like),
                MentorProfile.organisation.ilike(like),
                MentorProfile.title.ilike(like),
                MentorProfile.bio.ilike(like),
            )
        )
    if tag_id:
        statement = statement.where(
            exists().where(
                mentor_expertise.c.profile_id == MentorProfile.id,
                mentor_expertise.c.tag_id == tag_id,
            )
        )
    if language:
        # Codes are validated two-letter words, so their quoted form is unambiguous in the JSON.
        statement = statement.where(cast(MentorProfile.languages, String).like(f'%"{language}"%'))
    if organisation:
        statement = statement.where(MentorProfile.organisation == organisation)
    return statement


def directory_facets() -> tuple[list[str], list[str]]:
    """The languages and organisations the directory can filter by."""
    languages: set[str] = set()
    organisations: set[str] = set()
    for langs, org in db.session.execute(
        select(MentorProfile.languages, MentorProfile.organisation)
    ):
        languages.update(langs or [])
        if org:
            organisations.add(org)
    return sorted(languages), sorted(organisations)


def mentors_without_profile(limit: int = 50) -> list[User]:
    """Active mentors who have not filled in a profile (staff can fill it in for them)."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.role == Role.MENTOR,
                User.active.is_(True),
                ~exists().where(MentorProfile.user_id == User.id),
            )
            .order_by(User.name)
            .limit(limit)
        )
    )


def profile_of(user_id: int) -> MentorProfile | None:
    return db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == user_id))


def highest_load(mentor_id: int, *, today: date | None = None) -> int:
    """The most live pairs the mentor holds in one cohort that has not ended."""
    today = today or utcnow().date()
    counts = db.session.scalars(
        select(func.count(Match.id))
        .join(Cohort, Cohort.id == Match.cohort_id)
        .where(
            Match.mentor_id == mentor_id,
            Match.status.not_in(ENDED),
            Cohort.ends_on >= today,
        )
        .group_by(Match.cohort_id)
    ).all()
    return max(counts, default=0)


def current_enrollment(startup_id: int) -> Enrollment | None:
    """The startup's latest enrollment (the cohort its preferences are for)."""
    return db.session.scalar(
        select(Enrollment)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Enrollment.startup_id == startup_id)
        .order_by(Cohort.starts_on.desc(), Enrollment.id.desc())
        .limit(1)
    )


def preferences_of(cohort_id: int, startup_id: int) -> list[MentorPreference]:
    """A startup's mentor wishes in a cohort, by rank."""
    return list(
        db.session.scalars(
            select(MentorPreference)
            .where(
                MentorPreference.cohort_id == cohort_id, MentorPreference.startup_id == startup_id
            )
            .order_by(MentorPreference.rank)
        )
    )


def conflicts_of(mentor_id: int) -> list[MentorConflict]:
    """The startups a mentor declared a conflict with (each with its startup loaded)."""
    return list(
        db.session.scalars(
            select(MentorConflict)
            .where(MentorConflict.mentor_id == mentor_id)
            .options(joinedload(MentorConflict.startup))
            .order_by(MentorConflict.id)
        )
    )


def expertise_tags() -> list[ExpertiseTag]:
    return list(db.session.scalars(select(ExpertiseTag).order_by(ExpertiseTag.name)))


def enrolled_startups() -> list[Startup]:
    """Startups enrolled in any cohort (the ones a mentor may declare a conflict with)."""
    return list(
        db.session.scalars(
            select(Startup)
            .where(select(Enrollment.id).where(Enrollment.startup_id == Startup.id).exists())
            .order_by(Startup.name)
        )
    )


def _with_startups():
    return select(Cohort).where(
        select(Enrollment.id).where(Enrollment.cohort_id == Cohort.id).exists()
    )


def cohorts_with_startups() -> list[Cohort]:
    """Cohorts that have enrolled startups, newest first (the directory's load filter)."""
    return list(db.session.scalars(_with_startups().order_by(Cohort.starts_on.desc())))


def directory_cohort(startup_id: int | None, chosen: int | None) -> Cohort | None:
    """The cohort whose load the directory shows: a founder's startup's, else the one chosen,
    else the latest cohort with startups."""
    if startup_id is not None:
        enrollment = current_enrollment(startup_id)
        return db.session.get(Cohort, enrollment.cohort_id) if enrollment else None
    if chosen:
        return db.session.get(Cohort, chosen)
    return db.session.scalar(_with_startups().order_by(Cohort.starts_on.desc()).limit(1))


def matches_of(*, mentor_id: int | None = None, startup_id: int | None = None) -> list[Match]:
    """A mentor's matches (all but proposals) or a startup's active ones, newest cohort first."""
    statement = (
        select(Match)
        .join(Cohort, Cohort.id == Match.cohort_id)
        .options(joinedload(Match.startup), joinedload(Match.mentor), joinedload(Match.cohort))
        .order_by(Cohort.starts_on.desc(), Match.id)
    )
    if mentor_id is not None:
        statement = statement.where(
            Match.mentor_id == mentor_id, Match.status != MatchStatus.PROPOSED
        )
    if startup_id is not None:
        statement = statement.where(Match.startup_id == startup_id, Match.status.in_(ACTIVE_MATCH))
    return list(db.session.scalars(statement))


def user_names(ids) -> dict[int, str]:
    """Names of users by id, in one statement (none when no id is given)."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
