"""Demo office hours and sessions in the running cohort (Season 12), on the matches the
mentoring seed made (it runs first): sessions with summaries, private notes and action items
(some ticked off), upcoming office hours (one booked), and a red flag on one startup. Idempotent:
a pair that has sessions and a mentor who has office hours are skipped. Rows are written
directly: history is not news, so no mail."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from accelerator.applications.models import Startup, StartupMember
from accelerator.auth.models import User
from accelerator.core.timeutil import local_to_utc
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.mentoring.models import Match
from accelerator.mentoring.queries import ACTIVE_MATCH
from accelerator.programs.models import Cohort, ExpertiseTag, Program
from accelerator.sessions.models import (
    ActionItem,
    ItemOwner,
    MentorSession,
    OfficeHourSlot,
    SessionFormat,
    SessionState,
)


def seed(seed_dir: Path, echo) -> int:
    path = seed_dir / "sessions.json"
    if not path.exists():
        return 0
    data = json.loads(path.read_text(encoding="utf-8"))
    found = db.session.execute(
        select(Cohort, Program.timezone)
        .join(Program, Program.id == Cohort.program_id)
        .where(Program.name == data["program"], Cohort.name == data["cohort"])
    ).first()
    if found is None:
        return 0
    cohort, tz = found
    created = sum(_session(cohort, entry) for entry in data.get("sessions", []))
    created += _slots(data.get("office_hours", []), tz)
    db.session.flush()
    return created


def _user_id(email: str) -> int | None:
    return db.session.scalar(select(User.id).where(User.email == email.lower()))


def _startup_id(name: str) -> int | None:
    return db.session.scalar(select(Startup.id).where(Startup.name == name).order_by(Startup.id))


def _session(cohort: Cohort, entry: dict) -> int:
    mentor_id, startup_id = _user_id(entry["mentor"]), _startup_id(entry["startup"])
    match = db.session.scalar(
        select(Match).where(
            Match.cohort_id == cohort.id,
            Match.mentor_id == mentor_id,
            Match.startup_id == startup_id,
            Match.status.in_(ACTIVE_MATCH),
        )
    )
    if match is None:
        return 0
    starts_on = max(
        cohort.starts_on + timedelta(days=1), utcnow().date() - timedelta(days=entry["days_ago"])
    )
    starts_at = datetime.combine(starts_on, time(9, 0), UTC)
    exists = db.session.scalar(
        select(MentorSession.id).where(
            MentorSession.match_id == match.id, MentorSession.summary == entry["summary"]
        )
    )
    if exists or starts_at > utcnow():
        return 0
    names = [t.casefold() for t in entry.get("topics", [])]
    topics = [t for t in db.session.scalars(select(ExpertiseTag)) if t.name.casefold() in names]
    flag = entry.get("red_flag")
    session = MentorSession(
        match_id=match.id,
        cohort_id=cohort.id,
        mentor_id=match.mentor_id,
        startup_id=match.startup_id,
        starts_at=starts_at,
        duration_minutes=entry["minutes"],
        format=SessionFormat(entry["format"]),
        summary=entry["summary"],
        private_notes=entry.get("private_notes", ""),
        state=SessionState.CONFIRMED,
        logged_by_id=match.mentor_id,
        confirmed_at=starts_at + timedelta(hours=2),
        red_flag_reason=flag,
        red_flag_at=starts_at + timedelta(hours=2) if flag else None,
        created_at=starts_at + timedelta(hours=2),
    )
    session.topics = topics
    db.session.add(session)
    db.session.flush()
    for item in entry.get("items", []):
        done = bool(item.get("done"))
        db.session.add(
            ActionItem(
                session_id=session.id,
                mentor_id=match.mentor_id,
                startup_id=match.startup_id,
                text=item["text"],
                owner=ItemOwner(item["owner"]),
                due_on=utcnow().date() + timedelta(days=item["due_in_days"]),
                done_at=utcnow() - timedelta(days=1) if done else None,
                done_by_id=match.mentor_id if done else None,
            )
        )
    return 1


def _slots(entries: list[dict], tz: str) -> int:
    """A mentor who already has office hours ahead keeps their own: theirs are skipped."""
    by_mentor: dict[str, list[dict]] = {}
    for entry in entries:
        by_mentor.setdefault(entry["mentor"], []).append(entry)
    created = 0
    for email, mine in by_mentor.items():
        mentor_id = _user_id(email)
        if mentor_id is None or db.session.scalar(
            select(OfficeHourSlot.id).where(
                OfficeHourSlot.mentor_id == mentor_id, OfficeHourSlot.starts_at > utcnow()
            )
        ):
            continue
        created += sum(_slot(mentor_id, entry, tz) for entry in mine)
    return created


def _slot(mentor_id: int, entry: dict, tz: str) -> int:
    day = utcnow().date() + timedelta(days=entry["in_days"])
    slot = OfficeHourSlot(
        mentor_id=mentor_id,
        starts_at=local_to_utc(datetime.combine(day, time(entry["hour"], 0)), tz),
        duration_minutes=entry["minutes"],
        location=entry["location"],
        timezone=tz,
    )
    booker = entry.get("booked_by")
    if booker:
        startup_id = _startup_id(booker)
        founder_id = db.session.scalar(
            select(StartupMember.user_id)
            .where(StartupMember.startup_id == startup_id)
            .order_by(StartupMember.user_id)
        )
        if startup_id and founder_id:
            slot.startup_id, slot.booked_by_id, slot.booked_at = startup_id, founder_id, utcnow()
    db.session.add(slot)
    db.session.flush()
    return 1
