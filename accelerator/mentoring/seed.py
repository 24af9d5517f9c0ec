"""Demo mentoring: believable mentor profiles (adding a few mentors), startup needs where the
seed left none, conflicts, founders' preferences and Season 12's matches (all accepted but one,
which waits for the demo mentor's answer). Idempotent: each part is skipped when present. The
sessions domain seeds its office hours and sessions on these matches, after this one."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from accelerator.applications.models import Startup
from accelerator.auth.models import Role, User
from accelerator.auth.seed import DEMO_PASSWORD
from accelerator.auth.services import find_user_by_email
from accelerator.core.errors import DomainError
from accelerator.extensions import db
from accelerator.mentoring.models import (
    Match,
    MatchStatus,
    MentorConflict,
    MentorPreference,
    MentorProfile,
)
from accelerator.mentoring.picture import load_picture
from accelerator.programs.models import Cohort, Enrollment, ExpertiseTag, Program


def seed(seed_dir: Path, echo) -> int:
    path = seed_dir / "mentoring.json"
    if not path.exists():
        return 0
    data = json.loads(path.read_text(encoding="utf-8"))
    tags = {t.name.casefold(): t for t in db.session.scalars(select(ExpertiseTag))}
    created = _mentors(data["mentors"], tags)
    startups = _startups(data["program"])
    created += _needs(data.get("needs", {}), startups, tags)
    created += _conflicts(data.get("conflicts", []), startups)
    for cohort_name, wishes in data.get("preferences", {}).items():
        created += _preferences(_cohort(data["program"], cohort_name), wishes, startups)
    for cohort_name, pairs in data.get("matches", {}).items():
        created += _matches(_cohort(data["program"], cohort_name), pairs, startups, echo)
    db.session.flush()
    return created


def _user(email: str) -> User | None:
    return find_user_by_email(email)


def _mentors(entries: list[dict], tags: dict) -> int:
    created = 0
    for entry in entries:
        user = _user(entry["email"])
        if user is None:
            user = User(email=entry["email"], name=entry["name"], role=Role.MENTOR)
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
            db.session.flush()
            created += 1
        if user.role != Role.MENTOR or db.session.scalar(
            select(MentorProfile.id).where(MentorProfile.user_id == user.id)
        ):
            continue
        profile = MentorProfile(
            user_id=user.id,
            organisation=entry["organisation"],
            title=entry.get("title", ""),
            bio=entry.get("bio", ""),
            industries=entry.get("industries", []),
            languages=entry.get("languages", []),
            capacity=entry.get("capacity", 2),
            available=entry.get("available", True),
            availability_note=entry.get("availability_note", ""),
        )
        profile.expertise = [tags[n.casefold()] for n in entry["expertise"] if n.casefold() in tags]
        db.session.add(profile)
        created += 1
    db.session.flush()
    return created


def _startups(program: str) -> dict[str, Startup]:
    """Startups enrolled in the program's cohorts, by name."""
    rows = db.session.scalars(
        select(Startup)
        .join(Enrollment, Enrollment.startup_id == Startup.id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .where(Program.name == program)
        .options(selectinload(Startup.needs))
    ).all()
    return {s.name: s for s in rows}


def _cohort(program: str, name: str) -> Cohort | None:
    return db.session.scalar(
        select(Cohort)
        .join(Program, Program.id == Cohort.program_id)
        .where(Program.name == program, Cohort.name == name)
    )


def _needs(needs: dict[str, list[str]], startups: dict[str, Startup], tags: dict) -> int:
    created = 0
    for name, wanted in needs.items():
        startup = startups.get(name)
        if startup is None or startup.needs:
            continue
        startup.needs = [tags[n.casefold()] for n in wanted if n.casefold() in tags]
        created += 1
    db.session.flush()
    return created


def _conflicts(entries: list[dict], startups: dict[str, Startup]) -> int:
    created = 0
    for entry in entries:
        mentor, startup = _user(entry["mentor"]), startups.get(entry["startup"])
        if mentor is None or startup is None:
            continue
        if db.session.scalar(
            select(MentorConflict.id).where(
                MentorConflict.mentor_id == mentor.id, MentorConflict.startup_id == startup.id
            )
        ):
            continue
        db.session.add(
            MentorConflict(mentor_id=mentor.id, startup_id=startup.id, reason=entry["reason"])
        )
        created += 1
    db.session.flush()
    return created


def _preferences(cohort: Cohort | None, wishes: dict, startups: dict[str, Startup]) -> int:
    if cohort is None:
        return 0
    created = 0
    for name, emails in wishes.items():
        startup = startups.get(name)
        if startup is None or db.session.scalar(
            select(func.count(MentorPreference.id)).where(
                MentorPreference.cohort_id == cohort.id, MentorPreference.startup_id == startup.id
            )
        ):
            continue
        for rank, email in enumerate(emails[:3], start=1):
            mentor = _user(email)
            if mentor is not None:
                db.session.add(
                    MentorPreference(
                        cohort_id=cohort.id, startup_id=startup.id, mentor_id=mentor.id, rank=rank
                    )
                )
                created += 1
    db.session.flush()
    return created


def _at(day, hours: int = 10) -> datetime:
    return datetime.combine(day, time(hours), UTC)


def _matches(cohort: Cohort | None, pairs: list[dict], startups: dict, echo) -> int:
    """The cohort's pairs as matching would have made them, checked by the same rules."""
    if cohort is None or db.session.scalar(
        select(func.count(Match.id)).where(Match.cohort_id == cohort.id)
    ):
        return 0
    created = 0
    for entry in pairs:
        startup, mentor = startups.get(entry["startup"]), _user(entry["mentor"])
        if startup is None or mentor is None:
            continue
        picture = load_picture(cohort)
        try:
            picture.check_pair(startup.id, mentor.id)
        except DomainError as error:  # a demo pair that breaks a rule is skipped
            echo(f"  mentoring: skipped {entry['startup']} / {entry['mentor']}: {error}")
            continue
        found = picture.fit(startup.id, mentor.id)
        status = MatchStatus(entry["status"])
        confirmed = _at(cohort.starts_on + timedelta(days=3))
        db.session.add(
            Match(
                cohort_id=cohort.id,
                startup_id=startup.id,
                mentor_id=mentor.id,
                status=status,
                score=found.score,
                explanation=found.explanation(by_hand=False),
                created_at=confirmed - timedelta(days=1),
                confirmed_at=confirmed,
                responded_at=confirmed + timedelta(days=2)
                if status == MatchStatus.ACCEPTED
                else None,
            )
        )
        db.session.flush()
        created += 1
    return created
