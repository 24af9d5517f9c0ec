"""Reads about mentor matches shared by pages and by the sessions side of mentoring."""

from __future__ import annotations

from sqlalchemy import select

from accelerator.extensions import db
from accelerator.mentoring.models import Match, MatchStatus

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


def matched_startup_ids(mentor_id: int) -> list[int]:
    """Startups the mentor is matched with, in any cohort."""
    return list(
        db.session.scalars(
            select(Match.startup_id)
            .where(Match.mentor_id == mentor_id, Match.status.in_(ACTIVE_MATCH))
            .distinct()
            .order_by(Match.startup_id)
        )
    )


def mentor_ids_of(startup_id: int) -> list[int]:
    """Mentors matched with the startup, in any cohort."""
    return list(
        db.session.scalars(
            select(Match.mentor_id)
            .where(Match.startup_id == startup_id, Match.status.in_(ACTIVE_MATCH))
            .distinct()
            .order_by(Match.mentor_id)
        )
    )
