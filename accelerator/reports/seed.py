"""Demo data the dashboards need that no other domain seeds: the completed cohort's story,
and the programs' transparency pages (seed_data/transparency.json, written and published
through the services; a program whose page exists is left alone).

Season 11 finished (demo day done, grants paid by the grants seed): here its startups get the
fortnightly check-ins of their three months (KPI curves that grow) and two mentors each with
confirmed sessions, so its dashboard and reports read as a finished cohort. Idempotent: a
cohort that already has check-ins or matches is left alone.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select

from accelerator.auth.models import Role, User
from accelerator.extensions import db
from accelerator.grants.seed import staff_pair
from accelerator.mentoring.models import Match, MatchStatus
from accelerator.milestones.models import CheckIn, Health
from accelerator.milestones.seed import demo_cohort, enrolled, founder_of
from accelerator.programs.models import Cohort, Program
from accelerator.reports import services
from accelerator.sessions.models import MentorSession, SessionFormat, SessionState

COHORT = "Season 11"
PERIODS = 6  # fortnightly over the three months
HIGHLIGHTS = (
    "Kickoff with the business unit sponsor; pilot scope agreed.",
    "First pilot users onboarded.",
    "Pilot running with two business units.",
    "Mid-program review passed; first paying customer.",
    "Pilot extended to a second country.",
    "Demo day pitch rehearsed; contract with the group signed.",
)


def seed(seed_dir: Path, echo) -> int:
    pages = _transparency(seed_dir, echo)
    cohort = demo_cohort(COHORT)
    if cohort is None:
        return pages
    rows = enrolled(cohort)
    created = _checkins(cohort, rows) + _mentoring(cohort, rows)
    echo(f"  {COHORT}: {created} check-ins, matches and sessions")
    return created + pages


def _transparency(seed_dir: Path, echo) -> int:
    """The transparency pages of seed_data/transparency.json, through the services."""
    path = seed_dir / "transparency.json"
    pair = staff_pair()
    if not path.exists() or pair is None:
        return 0
    made = 0
    for entry in json.loads(path.read_text(encoding="utf-8"))["pages"]:
        program = db.session.scalar(select(Program).where(Program.name == entry["program"]))
        if program is None or services.transparency_page(program) is not None:
            continue
        services.edit_transparency(program, actor=pair[0], introduction=entry["introduction"])
        if entry.get("published"):
            services.publish_transparency(program, actor=pair[0])
        made += 1
        echo(f"  {program.name}: transparency page")
    return made


def _checkins(cohort: Cohort, rows) -> int:
    ids = [enrollment.id for enrollment, _startup in rows]
    if not ids or db.session.scalar(
        select(func.count(CheckIn.id)).where(CheckIn.enrollment_id.in_(ids))
    ):
        return 0
    created = 0
    staff_id = db.session.scalar(select(User.id).where(User.role == Role.STAFF).limit(1))
    for n, (enrollment, startup) in enumerate(rows):
        founder = founder_of(startup.id)
        founder_id = founder.id if founder is not None else staff_id
        for period in range(PERIODS):
            growth = 1 + 0.18 * period + 0.04 * n
            db.session.add(
                CheckIn(
                    enrollment_id=enrollment.id,
                    period_on=cohort.starts_on + timedelta(weeks=2 * period),
                    health=Health.AMBER if (period == 2 and n % 3 == 0) else Health.GREEN,
                    revenue_cents=int(300_000 * growth) // 100 * 100,
                    currency=cohort.currency,
                    active_users=int(80 * growth * growth),
                    headcount=4 + period // 2 + n % 3,
                    raised_cents=50_000_000 if period == 4 and n % 2 == 0 else 0,
                    pilots=min(period // 2 + 1, 3),
                    highlights=HIGHLIGHTS[period],
                    submitted_by_id=founder_id,
                )
            )
            created += 1
    db.session.flush()
    return created


def _mentoring(cohort: Cohort, rows) -> int:
    if not rows or db.session.scalar(
        select(func.count(Match.id)).where(Match.cohort_id == cohort.id)
    ):
        return 0
    mentors = list(
        db.session.scalars(
            select(User.id).where(User.role == Role.MENTOR, User.active.is_(True)).order_by(User.id)
        )
    )
    if len(mentors) < 2:
        return 0
    created = 0
    confirmed_at = datetime.combine(cohort.starts_on, time(9), tzinfo=UTC)
    for n, (_enrollment, startup) in enumerate(rows):
        for k in range(2):
            mentor_id = mentors[(2 * n + k) % len(mentors)]
            match = Match(
                cohort_id=cohort.id,
                startup_id=startup.id,
                mentor_id=mentor_id,
                status=MatchStatus.ACCEPTED,
                score=0.8 - 0.1 * k,
                confirmed_at=confirmed_at,
                responded_at=confirmed_at + timedelta(days=1),
            )
            db.session.add(match)
            db.session.flush()
            created += 1
            for week in range(1, 12, 3 + k):
                starts = confirmed_at + timedelta(weeks=week, hours=5 + k)
                db.session.add(
                    MentorSession(
                        match_id=match.id,
                        cohort_id=cohort.id,
                        mentor_id=mentor_id,
                        startup_id=startup.id,
                        starts_at=starts,
                        duration_minutes=60 if week % 2 else 45,
                        format=SessionFormat.VIDEO if week % 2 else SessionFormat.IN_PERSON,
                        summary="Reviewed the pilot plan and next steps with the business unit.",
                        state=SessionState.CONFIRMED,
                        confirmed_at=starts + timedelta(hours=2),
                        logged_by_id=mentor_id,
                    )
                )
                created += 1
    db.session.flush()
    return created
