"""Everything matching needs about one cohort, loaded in a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from accelerator.applications.models import Startup
from accelerator.auth.models import Role, User
from accelerator.extensions import db
from accelerator.mentoring.fit import Fit, MentorFacts, StartupFacts, fit_of
from accelerator.mentoring.models import (
    ENDED,
    Match,
    MatchStatus,
    MentorConflict,
    MentorPreference,
    MentorProfile,
)
from accelerator.programs.models import Cohort, Enrollment


@dataclass
class CohortPicture:
    cohort: Cohort
    startups: list[StartupFacts]
    mentors: list[MentorFacts]  # every active mentor with a profile
    available: dict[int, bool]  # mentor id -> available for matching
    preferences: dict[tuple[int, int], int]  # (startup id, mentor id) -> rank
    conflicts: dict[tuple[int, int], str]  # (startup id, mentor id) -> reason
    matches: list[Match]  # every match of the cohort, oldest first

    @cached_property
    def startup_by_id(self) -> dict[int, StartupFacts]:
        return {s.id: s for s in self.startups}

    @cached_property
    def mentor_by_id(self) -> dict[int, MentorFacts]:
        return {m.id: m for m in self.mentors}

    def alive(self) -> list[Match]:
        return [m for m in self.matches if m.status not in ENDED]

    def load(self) -> Counter[int]:
        """Live pairs (proposed, confirmed, accepted) per mentor in this cohort."""
        return Counter(m.mentor_id for m in self.alive())

    def matched_load(self) -> Counter[int]:
        """Confirmed or accepted pairs per mentor in this cohort."""
        return Counter(
            m.mentor_id
            for m in self.matches
            if m.status in (MatchStatus.CONFIRMED, MatchStatus.ACCEPTED)
        )

    def fit(self, startup_id: int, mentor_id: int) -> Fit:
        return fit_of(
            self.startup_by_id[startup_id],
            self.mentor_by_id[mentor_id],
            self.preferences.get((startup_id, mentor_id)),
        )


def mentor_facts(profile: MentorProfile) -> MentorFacts:
    return MentorFacts(
        id=profile.user_id,
        name=profile.user.name,
        expertise=frozenset(tag.name for tag in profile.expertise),
        industries=tuple(profile.industries or ()),
        languages=tuple(profile.languages or ()),
        capacity=profile.capacity,
        organisation=profile.organisation,
    )


def load_picture(cohort: Cohort) -> CohortPicture:
    startups = db.session.scalars(
        select(Startup)
        .join(Enrollment, Enrollment.startup_id == Startup.id)
        .where(Enrollment.cohort_id == cohort.id)
        .options(selectinload(Startup.needs))
        .order_by(Startup.name, Startup.id)
    ).all()
    profiles = db.session.scalars(
        select(MentorProfile)
        .join(User, User.id == MentorProfile.user_id)
        .where(User.role == Role.MENTOR, User.active.is_(True))
        .options(joinedload(MentorProfile.user), selectinload(MentorProfile.expertise))
        .order_by(User.name, User.id)
    ).all()
    startup_ids = [s.id for s in startups]
    preferences = {
        (p.startup_id, p.mentor_id): p.rank
        for p in db.session.scalars(
            select(MentorPreference).where(MentorPreference.cohort_id == cohort.id)
        )
    }
    conflicts = {
        (c.startup_id, c.mentor_id): c.reason
        for c in db.session.scalars(
            select(MentorConflict).where(MentorConflict.startup_id.in_(startup_ids))
        )
    }
    matches = db.session.scalars(
        select(Match)
        .where(Match.cohort_id == cohort.id)
        .order_by(Match.id)
        .execution_options(populate_existing=True)
    ).all()
    return CohortPicture(
        cohort=cohort,
        startups=[
            StartupFacts(
                id=s.id,
                name=s.name,
                sector=s.sector,
                country=s.country,
                needs=frozenset(t.name for t in s.needs),
            )
            for s in startups
        ],
        mentors=[mentor_facts(p) for p in profiles],
        available={p.user_id: p.available for p in profiles},
        preferences=preferences,
        conflicts=conflicts,
        matches=list(matches),
    )
