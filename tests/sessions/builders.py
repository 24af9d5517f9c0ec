"""Builders for the sessions side of mentoring: pairs (matches), slots and sessions."""

from __future__ import annotations

from datetime import timedelta

from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.mentoring.models import Match, MatchStatus
from accelerator.programs.models import Phase
from accelerator.sessions.models import (
    ActionItem,
    ItemOwner,
    MentorSession,
    OfficeHourSlot,
    SessionFormat,
    SessionState,
)
from tests import factories


def make_pair(*, mentor=None, startup=None, cohort=None, status=MatchStatus.ACCEPTED) -> Match:
    """A mentor matched with a startup enrolled in a running cohort (accepted by default)."""
    cohort = cohort or factories.make_cohort(phase=Phase.RUNNING)
    startup = startup or factories.make_startup()
    mentor = mentor or factories.make_user(role="mentor")
    now = utcnow()
    match = Match(
        cohort_id=cohort.id,
        startup_id=startup.id,
        mentor_id=mentor.id,
        status=status,
        score=1.0,
        explanation={},
        confirmed_at=now if status != MatchStatus.PROPOSED else None,
        responded_at=now if status in (MatchStatus.ACCEPTED, MatchStatus.DECLINED) else None,
    )
    db.session.add(match)
    db.session.flush()
    return match


def make_slot(mentor, *, in_hours: float = 48, minutes: int = 30, startup=None, booker=None):
    slot = OfficeHourSlot(
        mentor_id=mentor.id,
        starts_at=utcnow().replace(microsecond=0) + timedelta(hours=in_hours),
        duration_minutes=minutes,
        location="Orange Gardens, room 4.12",
        timezone="Europe/Paris",
    )
    if startup is not None:
        slot.startup_id = startup.id
        slot.booked_by_id = booker.id
        slot.booked_at = utcnow()
    db.session.add(slot)
    db.session.flush()
    return slot


def make_session(
    match: Match,
    *,
    days_ago: int = 3,
    minutes: int = 60,
    summary: str = "We worked on the pilot plan.",
    private_notes: str = "Team seems tired.",
    red_flag: str | None = None,
    pending: bool = False,
    items: tuple[str, ...] = (),
) -> MentorSession:
    now = utcnow()
    session = MentorSession(
        match_id=match.id,
        cohort_id=match.cohort_id,
        mentor_id=match.mentor_id,
        startup_id=match.startup_id,
        starts_at=now - timedelta(days=days_ago),
        duration_minutes=minutes,
        format=SessionFormat.VIDEO,
        summary=summary,
        private_notes=private_notes,
        state=SessionState.PENDING if pending else SessionState.CONFIRMED,
        confirmed_at=None if pending else now,
        logged_by_id=match.mentor_id,
        red_flag_reason=red_flag,
        red_flag_at=now if red_flag else None,
    )
    db.session.add(session)
    db.session.flush()
    for text in items:
        db.session.add(
            ActionItem(
                session_id=session.id,
                mentor_id=match.mentor_id,
                startup_id=match.startup_id,
                text=text,
                owner=ItemOwner.STARTUP,
            )
        )
    db.session.flush()
    return session
