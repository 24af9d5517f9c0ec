"""The matching service's own work at scale: building the fit matrix and the engine's input
(fixed pairs, conflicts, placeholders) for 1,000 startups x 500 mentors, from profile facts as
the service loads them. No database: the loading itself is a fixed number of queries.
`python -m bench matching_service` runs it alone.
"""

from __future__ import annotations

import random
import statistics
import time
from types import SimpleNamespace

from accelerator.mentoring.fit import MentorFacts, StartupFacts
from accelerator.mentoring.models import MatchStatus
from accelerator.mentoring.picture import CohortPicture, build_problem

SIZES = ((100, 50), (1_000, 500))
RUNS = 3


def picture(startups: int, mentors: int, seed: int = 7) -> CohortPicture:
    rng = random.Random(seed)
    tags = [f"tag-{i}" for i in range(18)]
    sectors = ["Telecom & networks", "AI & data", "Fintech", "Health", "Agritech"]
    s_facts = [
        StartupFacts(
            i + 1,
            f"S{i}",
            rng.choice(sectors),
            rng.choice(["FR", "BE", "US", "ES"]),
            frozenset(rng.sample(tags, 3)),
        )
        for i in range(startups)
    ]
    m_facts = [
        MentorFacts(
            100_000 + j,
            f"M{j}",
            frozenset(rng.sample(tags, 3)),
            (rng.choice(["Telecom", "Fintech", "Health"]),),
            tuple(rng.sample(["fr", "en", "es", "nl"], 2)),
            capacity=rng.randint(1, 4),
        )
        for j in range(mentors)
    ]
    pairs = [(s.id, rng.choice(m_facts).id) for s in s_facts]
    return CohortPicture(
        cohort=SimpleNamespace(mentors_per_startup=2),
        startups=s_facts,
        mentors=m_facts,
        available={m.id: True for m in m_facts},
        preferences={pair: 1 for pair in pairs[::5]},
        conflicts={pair: "x" for pair in pairs[1::7]},
        matches=[
            SimpleNamespace(startup_id=s, mentor_id=m, status=MatchStatus.ACCEPTED)
            for s, m in pairs[2::9]
        ],
    )


def run():
    for startups, mentors in SIZES:
        facts = picture(startups, mentors)
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            build_problem(facts, facts.mentors)
            times.append(time.perf_counter() - started)
        yield (
            f"{startups} startups x {mentors} mentors: build_problem median "
            f"{statistics.median(times):.3f} s, worst {max(times):.3f} s"
        )
