"""Engagement for staff: sessions and hours per pair, mentor and startup over a cohort, the
last contact, and pairs quiet for three weeks (three queries whatever the cohort's size); open
red flags, and the at-risk rule they make (hooks.py connects it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from accelerator.applications.models import Startup
from accelerator.auth.models import User
from accelerator.core.i18n import ngettext
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.mentoring.models import Match
from accelerator.mentoring.queries import ACTIVE_MATCH
from accelerator.programs.models import Cohort
from accelerator.sessions.models import MentorSession, SessionState

QUIET_AFTER = timedelta(weeks=3)


@dataclass
class Tally:
    sessions: int = 0
    minutes: int = 0
    last_contact: datetime | None = None

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    def add(self, sessions: int, minutes: int, last: datetime | None) -> None:
        self.sessions += sessions
        self.minutes += minutes
        if last is not None and (self.last_contact is None or last > self.last_contact):
            self.last_contact = last


@dataclass
class PairRow(Tally):
    match_id: int = 0
    mentor_id: int = 0
    mentor_name: str = ""
    startup_id: int = 0
    startup_name: str = ""
    pending: int = 0
    open_flags: int = 0
    quiet: bool = False
    quiet_since: date | None = None


@dataclass
class GroupRow(Tally):
    id: int = 0
    name: str = ""
    pairs: int = 0
    quiet_pairs: int = 0


@dataclass
class Engagement:
    cohort: Cohort
    pairs: list[PairRow] = field(default_factory=list)
    mentors: list[GroupRow] = field(default_factory=list)
    startups: list[GroupRow] = field(default_factory=list)
    total: Tally = field(default_factory=Tally)

    @property
    def quiet_pairs(self) -> list[PairRow]:
        return [p for p in self.pairs if p.quiet]


def shown_cohort(cohort_id: int | None) -> Cohort | None:
    """The cohort the engagement page shows: the one chosen, else the latest that started."""
    chosen = db.session.get(Cohort, cohort_id) if cohort_id else None
    if chosen is not None:
        return chosen
    today = utcnow().date()
    return db.session.scalar(
        select(Cohort)
        .order_by((Cohort.starts_on > today), Cohort.starts_on.desc(), Cohort.id.desc())
        .limit(1)
    )


def _to_utc_day_start(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def engagement(cohort: Cohort, *, now: datetime | None = None) -> Engagement:
    """The cohort's active pairs with their confirmed sessions, grouped three ways."""
    now = now or utcnow()
    pairs = db.session.execute(
        select(Match.id, Match.mentor_id, User.name, Match.startup_id, Startup.name)
        .join(User, User.id == Match.mentor_id)
        .join(Startup, Startup.id == Match.startup_id)
        .where(Match.cohort_id == cohort.id, Match.status.in_(ACTIVE_MATCH))
        .order_by(Startup.name, User.name, Match.id)
    ).all()
    confirmed = MentorSession.state == SessionState.CONFIRMED
    tallies = {
        row.match_id: row
        for row in db.session.execute(
            select(
                MentorSession.match_id,
                func.sum(func.cast(confirmed, db.Integer)).label("sessions"),
                func.sum(func.cast(confirmed, db.Integer) * MentorSession.duration_minutes).label(
                    "minutes"
                ),
                func.max(MentorSession.starts_at).label("last"),
                func.sum(func.cast(~confirmed, db.Integer)).label("pending"),
                func.sum(
                    func.cast(
                        MentorSession.red_flag_at.is_not(None)
                        & MentorSession.red_flag_resolved_at.is_(None),
                        db.Integer,
                    )
                ).label("flags"),
            )
            .where(MentorSession.cohort_id == cohort.id)
            .group_by(MentorSession.match_id)
        )
    }
    result = Engagement(cohort=cohort)
    mentors: dict[int, GroupRow] = {}
    startups: dict[int, GroupRow] = {}
    program_start = _to_utc_day_start(cohort.starts_on)
    for match_id, mentor_id, mentor_name, startup_id, startup_name in pairs:
        row = PairRow(
            match_id=match_id,
            mentor_id=mentor_id,
            mentor_name=mentor_name,
            startup_id=startup_id,
            startup_name=startup_name,
        )
        tally = tallies.get(match_id)
        if tally is not None:
            last = _as_utc(tally.last)
            row.add(int(tally.sessions or 0), int(tally.minutes or 0), last)
            row.pending = int(tally.pending or 0)
            row.open_flags = int(tally.flags or 0)
        since = row.last_contact or program_start
        running = cohort.starts_on <= now.date() <= cohort.ends_on
        row.quiet = running and now - max(since, program_start) > QUIET_AFTER
        row.quiet_since = since.date() if row.quiet else None
        result.pairs.append(row)
        result.total.add(row.sessions, row.minutes, row.last_contact)
        for groups, key, name in (
            (mentors, mentor_id, mentor_name),
            (startups, startup_id, startup_name),
        ):
            group = groups.setdefault(key, GroupRow(id=key, name=name))
            group.add(row.sessions, row.minutes, row.last_contact)
            group.pairs += 1
            group.quiet_pairs += int(row.quiet)
    result.mentors = sorted(mentors.values(), key=lambda g: g.name.casefold())
    result.startups = sorted(startups.values(), key=lambda g: g.name.casefold())
    return result


def _as_utc(value):
    """MAX() over a UTC column comes back naive (or as text) on SQLite."""
    if value is None or isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC) if value else None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def open_red_flags(startup_ids: Sequence[int] | None = None, *, limit: int = 50):
    """Sessions with an open red flag (newest first), with startup and mentor names."""
    statement = (
        select(MentorSession, Startup.name, User.name)
        .join(Startup, Startup.id == MentorSession.startup_id)
        .join(User, User.id == MentorSession.mentor_id)
        .where(MentorSession.red_flag_at.is_not(None), MentorSession.red_flag_resolved_at.is_(None))
        .order_by(MentorSession.red_flag_at.desc())
        .limit(limit)
    )
    if startup_ids is not None:
        statement = statement.where(MentorSession.startup_id.in_(list(startup_ids)))
    return db.session.execute(statement).all()


def mentor_red_flag(
    cohort_id: int, startup_ids: Sequence[int], now: datetime
) -> dict[int, list[str]]:
    """A startup with a mentor's red flag that staff have not resolved is at risk."""
    rows = db.session.execute(
        select(MentorSession.startup_id, func.count(MentorSession.id))
        .where(
            MentorSession.cohort_id == cohort_id,
            MentorSession.startup_id.in_(list(startup_ids)),
            MentorSession.red_flag_at.is_not(None),
            MentorSession.red_flag_at <= now,
            MentorSession.red_flag_resolved_at.is_(None),
        )
        .group_by(MentorSession.startup_id)
    )
    return {
        startup_id: [
            ngettext(
                "A mentor raised a red flag that is not resolved.",
                "Mentors raised %(num)d red flags that are not resolved.",
                count,
            )
        ]
        for startup_id, count in rows
    }
