"""Builders for mentoring: profiles and matches."""

from __future__ import annotations

from datetime import timedelta

from accelerator.auth.models import User
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.mentoring.models import Match, MatchStatus, MentorProfile
from tests.factories.auth import make_user

__all__ = ["make_match", "make_mentor"]


def make_mentor(
    *,
    user: User | None = None,
    expertise=(),
    industries=("Telecom",),
    languages=("fr", "en"),
    capacity: int = 2,
    available: bool = True,
    organisation: str = "Orange Innovation",
    name: str | None = None,
) -> User:
    """A mentor user with a profile."""
    user = user or make_user(role="mentor", **({"name": name} if name else {}))
    profile = MentorProfile(
        user_id=user.id,
        organisation=organisation,
        title="Expert",
        bio="Helps startups.",
        industries=list(industries),
        languages=list(languages),
        capacity=capacity,
        available=available,
    )
    profile.expertise = list(expertise)
    db.session.add(profile)
    db.session.flush()
    return user


def make_match(
    *, cohort_id: int, startup_id: int, mentor_id: int, status=MatchStatus.ACCEPTED, score=1.0
) -> Match:
    status = MatchStatus(status)
    now = utcnow()
    match = Match(
        cohort_id=cohort_id,
        startup_id=startup_id,
        mentor_id=mentor_id,
        status=status,
        score=score,
        explanation={"tags": [], "industries": [], "languages": [], "preference": None},
        confirmed_at=now - timedelta(days=2) if status != MatchStatus.PROPOSED else None,
        responded_at=now - timedelta(days=1)
        if status in (MatchStatus.ACCEPTED, MatchStatus.DECLINED)
        else None,
    )
    db.session.add(match)
    db.session.flush()
    return match
