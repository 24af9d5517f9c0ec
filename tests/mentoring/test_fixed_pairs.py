"""The service's problem with pairs already held: against brute force on small instances.

build_problem() hands the engine one quota for every startup and holds a startup's live pairs
with placeholder columns; this checks that the engine's answer is then exactly the best set of
new pairs with per-startup quotas K - held, mentor capacities minus load, and no pair twice.
"""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accelerator.mentoring.fit import MentorFacts, StartupFacts
from accelerator.mentoring.matching import assign
from accelerator.mentoring.models import MatchStatus
from accelerator.mentoring.picture import CohortPicture, build_problem

TAGS = ["a", "b", "c"]


@st.composite
def instances(draw):
    n_startups = draw(st.integers(1, 3))
    n_mentors = draw(st.integers(1, 3))
    k = draw(st.integers(1, 2))
    startups = [
        StartupFacts(
            i + 1,
            f"S{i}",
            draw(st.sampled_from(["Telecom", "Health", None])),
            draw(st.sampled_from(["FR", "ES", None])),
            frozenset(draw(st.lists(st.sampled_from(TAGS), max_size=3))),
        )
        for i in range(n_startups)
    ]
    mentors = [
        MentorFacts(
            100 + j,
            f"M{j}",
            frozenset(draw(st.lists(st.sampled_from(TAGS), max_size=3))),
            tuple(draw(st.lists(st.sampled_from(["Telecom", "Health"]), max_size=1))),
            tuple(draw(st.lists(st.sampled_from(["fr", "es", "en"]), max_size=2))),
            capacity=draw(st.integers(0, 3)),
        )
        for j in range(n_mentors)
    ]
    pairs = [(s.id, m.id) for s in startups for m in mentors]
    matches = []
    for pair in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3)):
        status = draw(st.sampled_from([MatchStatus.ACCEPTED, MatchStatus.DECLINED]))
        matches.append(SimpleNamespace(startup_id=pair[0], mentor_id=pair[1], status=status))
    conflicts = {
        pair: "x" for pair in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=2))
    }
    preferences = {
        pair: 1 for pair in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=2))
    }
    return CohortPicture(
        cohort=SimpleNamespace(mentors_per_startup=k),
        startups=startups,
        mentors=mentors,
        available={m.id: True for m in mentors},
        preferences=preferences,
        conflicts=conflicts,
        matches=matches,
    )


def brute_force(picture: CohortPicture) -> tuple[int, float]:
    """Best (pairs, total fit) over every set of allowed new pairs."""
    k = picture.cohort.mentors_per_startup
    alive = picture.alive()
    taken = {(m.startup_id, m.mentor_id) for m in picture.matches}
    allowed = [
        (s.id, m.id)
        for s in picture.startups
        for m in picture.mentors
        if (s.id, m.id) not in taken and (s.id, m.id) not in picture.conflicts
    ]
    quota = {
        s.id: max(0, k - sum(1 for m in alive if m.startup_id == s.id)) for s in picture.startups
    }
    room = {
        m.id: max(0, m.capacity - sum(1 for a in alive if a.mentor_id == m.id))
        for m in picture.mentors
    }
    best = (0, 0.0)
    for size in range(len(allowed) + 1):
        for chosen in itertools.combinations(allowed, size):
            if any(sum(1 for s, _m in chosen if s == sid) > q for sid, q in quota.items()):
                continue
            if any(sum(1 for _s, m in chosen if m == mid) > r for mid, r in room.items()):
                continue
            total = sum(picture.fit(s, m).score for s, m in chosen)
            best = max(best, (size, round(total, 6)))
    return best


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_new_pairs_are_optimal_around_the_pairs_already_held(picture):
    fit, capacity, forbidden, columns = build_problem(picture, picture.mentors)
    for i, startup in enumerate(picture.startups):  # the array equals the pair-by-pair score
        for j, mentor in enumerate(picture.mentors):
            if not forbidden[i, j]:
                assert fit[i, j] == pytest.approx(
                    picture.fit(startup.id, mentor.id).score, abs=1e-3
                )
    result = assign(
        fit,
        per_startup=picture.cohort.mentors_per_startup,
        capacity=capacity,
        forbidden=forbidden,
    )
    new = [(picture.startups[i].id, columns[j]) for i, j in result if columns[j] is not None]
    taken = {(m.startup_id, m.mentor_id) for m in picture.matches}
    assert not set(new) & taken
    assert not set(new) & set(picture.conflicts)
    total = round(sum(picture.fit(s, m).score for s, m in new), 6)
    best_count, best_total = brute_force(picture)
    assert len(new) == best_count
    assert abs(total - best_total) < 1e-6
