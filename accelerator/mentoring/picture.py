"""Everything matching needs about one cohort, loaded in a fixed number of queries, and the
engine's problem built from it (fit, capacities, forbidden pairs, pairs already held)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from sqlalchemy import select

from accelerator.applications.models import Startup, startup_needs
from accelerator.auth.models import Role, User
from accelerator.core.errors import Conflict, InvalidState, ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.extensions import db
from accelerator.mentoring.fit import Fit, MentorFacts, StartupFacts, fit_matrix, fit_of
from accelerator.mentoring.matching import assign
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

    def check_pair(self, startup_id: int, mentor_id: int) -> None:
        """Refuse a pair the engine would never make: the rules a hand-made pair obeys."""
        if startup_id not in self.startup_by_id:
            raise ValidationFailed(_("Choose a startup enrolled in this cohort."), field="startup")
        mentor = self.mentor_by_id.get(mentor_id)
        if mentor is None:
            raise ValidationFailed(_("Choose a mentor who has a profile."), field="mentor")
        if (startup_id, mentor_id) in self.conflicts:
            raise Conflict(
                _(
                    "%(mentor)s declared a conflict with this startup: %(reason)s",
                    mentor=mentor.name,
                    reason=self.conflicts[(startup_id, mentor_id)],
                ),
                field="mentor",
            )
        alive = self.alive()
        if any(m.startup_id == startup_id and m.mentor_id == mentor_id for m in alive):
            raise Conflict(
                _("%(mentor)s is already paired with this startup.", mentor=mentor.name),
                field="mentor",
            )
        load = sum(1 for m in alive if m.mentor_id == mentor_id)
        if load >= mentor.capacity:
            raise Conflict(
                _(
                    "%(mentor)s is at capacity in this cohort (%(load)d of %(capacity)d).",
                    mentor=mentor.name,
                    load=load,
                    capacity=mentor.capacity,
                ),
                field="mentor",
            )
        held = sum(1 for m in alive if m.startup_id == startup_id)
        if held >= self.cohort.mentors_per_startup:
            raise Conflict(
                _(
                    "This startup already has %(n)d mentors, the cohort's setting. "
                    "Remove one first.",
                    n=held,
                ),
                field="startup",
            )

    def check_no_conflict(self, match: Match) -> None:
        """Refuse to confirm a pair whose mentor declared a conflict since it was proposed."""
        if (match.startup_id, match.mentor_id) in self.conflicts:
            mentor = self.mentor_by_id.get(match.mentor_id)
            raise Conflict(
                _(
                    "%(mentor)s has declared a conflict with %(startup)s since: remove the pair.",
                    mentor=mentor.name if mentor else "?",
                    startup=self.startup_by_id[match.startup_id].name,
                )
            )

    def proposals(self) -> list[tuple[int, int, Fit]]:
        """The engine's new pairs (startup id, mentor id, fit) among available mentors; the
        live pairs stay and count against both sides (see `build_problem`)."""
        if not self.startups:
            raise InvalidState(_("No startup is enrolled in this cohort yet."))
        mentors = [m for m in self.mentors if self.available.get(m.id)]
        if not mentors:
            raise InvalidState(_("No mentor with a profile is available for matching."))
        fit, capacity, forbidden, columns = build_problem(self, mentors)
        pairs = assign(
            fit,
            per_startup=self.cohort.mentors_per_startup,
            capacity=capacity,
            forbidden=forbidden,
        )
        found = []
        for s_index, m_index in pairs:
            mentor_id = columns[m_index]
            if mentor_id is not None:  # None: a placeholder for a pair already held
                startup_id = self.startups[s_index].id
                found.append((startup_id, mentor_id, self.fit(startup_id, mentor_id)))
        return found

    def fit(self, startup_id: int, mentor_id: int) -> Fit:
        return fit_of(
            self.startup_by_id[startup_id],
            self.mentor_by_id[mentor_id],
            self.preferences.get((startup_id, mentor_id)),
        )


def _tag_names(link, column, where) -> dict[int, set[str]]:
    """Tag names per linked row id (a startup's needs, a mentor's expertise): one statement."""
    names: dict[int, set[str]] = defaultdict(set)
    for owner_id, name in db.session.execute(
        select(link.c[column], ExpertiseTag.name)
        .join(ExpertiseTag, ExpertiseTag.id == link.c.tag_id)
        .where(where)
    ):
        names[owner_id].add(name)
    return names


def load_picture(cohort: Cohort) -> CohortPicture:
    """The cohort's picture in six statements, read as rows: the page only prints most of it
    (500 mentors as ORM objects with their users and tags cost more than the rest together)."""
    enrolled = select(Enrollment.startup_id).where(Enrollment.cohort_id == cohort.id)
    startups = db.session.execute(
        select(Startup.id, Startup.name, Startup.sector, Startup.country)
        .join(Enrollment, Enrollment.startup_id == Startup.id)
        .where(Enrollment.cohort_id == cohort.id)
        .order_by(Startup.name, Startup.id)
    ).all()
    needs = (
        _tag_names(startup_needs, "startup_id", startup_needs.c.startup_id.in_(enrolled))
        if startups
        else {}
    )
    mentor_is_listed = (User.role == Role.MENTOR, User.active.is_(True))
    profiles = db.session.execute(
        select(
            MentorProfile.id,
            MentorProfile.user_id,
            User.name,
            MentorProfile.industries,
            MentorProfile.languages,
            MentorProfile.capacity,
            MentorProfile.organisation,
            MentorProfile.available,
        )
        .join(User, User.id == MentorProfile.user_id)
        .where(*mentor_is_listed)
        .order_by(User.name, User.id)
    ).all()
    expertise = (
        _tag_names(
            mentor_expertise,
            "profile_id",
            mentor_expertise.c.profile_id.in_(
                select(MentorProfile.id)
                .join(User, User.id == MentorProfile.user_id)
                .where(*mentor_is_listed)
            ),
        )
        if profiles
        else {}
    )
    preferences = {
        (startup_id, mentor_id): rank
        for startup_id, mentor_id, rank in db.session.execute(
            select(
                MentorPreference.startup_id, MentorPreference.mentor_id, MentorPreference.rank
            ).where(MentorPreference.cohort_id == cohort.id)
        )
    }
    conflicts = {
        (startup_id, mentor_id): reason
        for startup_id, mentor_id, reason in db.session.execute(
            select(
                MentorConflict.startup_id, MentorConflict.mentor_id, MentorConflict.reason
            ).where(MentorConflict.startup_id.in_(enrolled))
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
                needs=frozenset(needs.get(s.id, ())),
            )
            for s in startups
        ],
        mentors=[
            MentorFacts(
                id=p.user_id,
                name=p.name,
                expertise=frozenset(expertise.get(p.id, ())),
                industries=tuple(p.industries or ()),
                languages=tuple(p.languages or ()),
                capacity=p.capacity,
                organisation=p.organisation,
            )
            for p in profiles
        ],
        available={p.user_id: p.available for p in profiles},
        preferences=preferences,
        conflicts=conflicts,
        matches=list(matches),
    )


def build_problem(picture: CohortPicture, mentors):
    """The engine's input: fit, capacities, forbidden pairs, and which mentor each column is.

    Pairs already live count against both sides. A mentor's capacity is reduced by their live
    pairs; a startup's quota is held by one placeholder column per live pair, allowed only to
    that startup and worth more than any real pair, so every optimum takes it (the engine has
    one quota for all startups).
    """
    k = picture.cohort.mentors_per_startup
    startups = picture.startups
    alive = picture.alive()
    load = Counter(m.mentor_id for m in alive)
    held = Counter(m.startup_id for m in alive)
    taken = {(m.startup_id, m.mentor_id) for m in picture.matches}  # live or ended: never again
    fit = fit_matrix(startups, mentors, picture.preferences)
    forbidden = np.zeros_like(fit, dtype=bool)
    rows = {s.id: i for i, s in enumerate(startups)}
    cols = {m.id: j for j, m in enumerate(mentors)}
    for startup_id, mentor_id in set(picture.conflicts) | taken:
        if startup_id in rows and mentor_id in cols:
            forbidden[rows[startup_id], cols[mentor_id]] = True
    fit[forbidden] = 0.0
    capacity = [max(0, m.capacity - load[m.id]) for m in mentors]
    placeholders = [(i, min(k, held[s.id])) for i, s in enumerate(startups)]
    extra = sum(n for _i, n in placeholders)
    columns: list[int | None] = [m.id for m in mentors] + [None] * extra
    if extra:
        high = float(fit.max(initial=0.0)) + 1.0
        fit = np.hstack([fit, np.zeros((len(startups), extra))])
        forbidden = np.hstack([forbidden, np.ones((len(startups), extra), dtype=bool)])
        col = len(mentors)
        for i, n in placeholders:
            for _ in range(n):
                fit[i, col] = high
                forbidden[i, col] = False
                col += 1
        capacity += [1] * extra
    return fit, capacity, forbidden, columns
