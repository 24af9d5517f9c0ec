"""Reads of the sessions domain shared by its pages and by other domains (reports): whose
sessions and office hours a person sees, a pair's open action items, the zone a pair's times
are typed in, and the engagement of a cohort (engagement.py)."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from accelerator.applications.models import Startup
from accelerator.applications.queries import founder_startup_id, timezone_of
from accelerator.auth.models import Role, User
from accelerator.extensions import db
from accelerator.mentoring.models import Match
from accelerator.mentoring.queries import ACTIVE_MATCH, active_match, mentor_ids_of
from accelerator.programs.models import Cohort, Program
from accelerator.programs.queries import cohort_timezones
from accelerator.sessions.engagement import Engagement, engagement, open_red_flags
from accelerator.sessions.models import ActionItem, MentorSession, OfficeHourSlot, SessionRating
from accelerator.sessions.policies import can_read_ratings, can_see_own_rating

__all__ = [
    "Engagement",
    "Pair",
    "engagement",
    "open_red_flags",
]


def names_of(model, ids) -> dict[int, str]:
    """Names of users or startups by id, in one statement (none when no id is given)."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(model.id, model.name).where(model.id.in_(ids))).all())


# --- sessions --------------------------------------------------------------------------------


def sessions_statement(user, *, cohort_id: int | None = None, flagged: bool = False) -> Select:
    """The sessions `user` sees, newest first: staff all (narrowed by cohort and open red
    flags), a mentor those of their pairs, a founder those of their startup."""
    statement = select(MentorSession).order_by(
        MentorSession.starts_at.desc(), MentorSession.id.desc()
    )
    if user.is_staff:
        if cohort_id:
            statement = statement.where(MentorSession.cohort_id == cohort_id)
        if flagged:
            statement = statement.where(
                MentorSession.red_flag_at.is_not(None),
                MentorSession.red_flag_resolved_at.is_(None),
            )
        return statement
    if user.role == Role.MENTOR:
        return statement.where(MentorSession.mentor_id == user.id)
    return statement.where(MentorSession.startup_id == founder_startup_id(user))


def with_names(sessions: list[MentorSession]) -> list[tuple[MentorSession, str, str]]:
    """Each session with its startup's and mentor's names (two statements for the page); the
    zones of their programs are asked at once for `timezone_of` (a third)."""
    cohort_timezones(s.cohort_id for s in sessions)
    startups = names_of(Startup, (s.startup_id for s in sessions))
    mentors = names_of(User, (s.mentor_id for s in sessions))
    return [(s, startups.get(s.startup_id, ""), mentors.get(s.mentor_id, "")) for s in sessions]


class Pair(NamedTuple):
    """A matched mentor and startup someone may log a session for, and the zone of its
    program (a time typed for the pair is read there)."""

    startup_id: int
    startup_name: str
    mentor_id: int
    mentor_name: str
    timezone: str


def pairs_of(user) -> list[Pair]:
    """The active pairs of a mentor, or of a founder's startup, by startup and mentor name."""
    statement = (
        select(Match.startup_id, Startup.name, Match.mentor_id, User.name, Program.timezone)
        .join(Startup, Startup.id == Match.startup_id)
        .join(User, User.id == Match.mentor_id)
        .join(Cohort, Cohort.id == Match.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .where(Match.status.in_(ACTIVE_MATCH))
        .order_by(Startup.name, User.name, Cohort.starts_on.desc())
    )
    if user.role == Role.MENTOR:
        statement = statement.where(Match.mentor_id == user.id)
    else:
        statement = statement.where(Match.startup_id == founder_startup_id(user))
    found: dict[tuple[int, int], Pair] = {}
    for row in db.session.execute(statement):
        found.setdefault((row[0], row[2]), Pair(*row))  # the newest cohort's zone wins
    return list(found.values())


def pair_timezone(mentor_id: int | None, startup_id: int | None) -> str:
    """The zone a time typed for this pair is read in: the program of their active match."""
    if mentor_id is None or startup_id is None:
        return timezone_of(None)
    return timezone_of(active_match(mentor_id, startup_id))


def open_items(mentor_id: int, startup_id: int) -> list[ActionItem]:
    """The pair's action items not done yet, oldest first: they carry to the next session."""
    return list(
        db.session.scalars(
            select(ActionItem)
            .where(
                ActionItem.mentor_id == mentor_id,
                ActionItem.startup_id == startup_id,
                ActionItem.done_at.is_(None),
            )
            .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
        )
    )


def session_items(session: MentorSession) -> tuple[list[ActionItem], list[ActionItem]]:
    """The items a session created, and the earlier ones ticked off in it."""
    created = db.session.scalars(
        select(ActionItem).where(ActionItem.session_id == session.id).order_by(ActionItem.id)
    )
    ticked = db.session.scalars(
        select(ActionItem)
        .where(ActionItem.done_in_session_id == session.id)
        .order_by(ActionItem.id)
    )
    return list(created), list(ticked)


def ratings_seen_by(user, session: MentorSession) -> list[SessionRating]:
    """The ratings of a session `user` may read: staff all of them, a founder their own."""
    statement = (
        select(SessionRating)
        .where(SessionRating.session_id == session.id)
        .options(selectinload(SessionRating.rater))
        .order_by(SessionRating.id)
    )
    if can_read_ratings(user, session):
        return list(db.session.scalars(statement))
    if can_see_own_rating(user, session):
        return list(db.session.scalars(statement.where(SessionRating.rater_id == user.id)))
    return []


# --- office hours ----------------------------------------------------------------------------


def mentor_programs(mentor_id: int) -> list[Program]:
    """The programs of the startups a mentor follows (their office hours are for these)."""
    return list(
        db.session.scalars(
            select(Program)
            .where(
                Program.id.in_(
                    select(Cohort.program_id)
                    .join(Match, Match.cohort_id == Cohort.id)
                    .where(Match.mentor_id == mentor_id, Match.status.in_(ACTIVE_MATCH))
                )
            )
            .order_by(Program.name, Program.id)
        )
    )


def slots_statement(user, since: datetime) -> Select:
    """The office hours from `since` that `user` sees, soonest first: staff all, a mentor
    their own, a founder their startup's bookings and the free slots of its mentors."""
    statement = (
        select(OfficeHourSlot)
        .where(OfficeHourSlot.starts_at >= since)
        .order_by(OfficeHourSlot.starts_at, OfficeHourSlot.id)
    )
    if user.is_staff:
        return statement
    if user.role == Role.MENTOR:
        return statement.where(OfficeHourSlot.mentor_id == user.id)
    startup_id = founder_startup_id(user)
    mentors = mentor_ids_of(startup_id) if startup_id is not None else []
    return statement.where(
        (OfficeHourSlot.startup_id == startup_id)
        | (OfficeHourSlot.mentor_id.in_(mentors) & OfficeHourSlot.startup_id.is_(None))
    )


def slots_with_names(
    slots: list[OfficeHourSlot], *, mentor=None
) -> list[tuple[OfficeHourSlot, str, str | None]]:
    """Each slot with its mentor's and its startup's names (two statements for the page; one
    for a `mentor`'s own slots, whose name is known)."""
    if mentor is not None and all(s.mentor_id == mentor.id for s in slots):
        mentors = {mentor.id: mentor.name}
    else:
        mentors = names_of(User, (s.mentor_id for s in slots))
    startups = names_of(Startup, (s.startup_id for s in slots))
    return [(s, mentors.get(s.mentor_id, ""), startups.get(s.startup_id)) for s in slots]


def logged_slot_ids(slot_ids) -> set[int]:
    """The slots among these a session was logged from (they stay booked)."""
    ids = list(slot_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(select(MentorSession.slot_id).where(MentorSession.slot_id.in_(ids)))
    )
