"""The balancing algorithm on its own: conflicts never assigned, loads as even as they can be."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from accelerator.reviews.balancing import balance


def _spread(loads: dict) -> int:
    return max(loads.values()) - min(loads.values())


def _final_loads(plan, start):
    loads = dict(start)
    for reviewers in plan.values():
        for reviewer in reviewers:
            loads[reviewer] += 1
    return loads


def test_no_conflicts_gives_everyone_within_one():
    reviewers = [f"r{i}" for i in range(5)]
    apps = [f"a{i}" for i in range(7)]
    plan = balance(
        {a: 3 for a in apps}, {a: set(reviewers) for a in apps}, {r: 0 for r in reviewers}
    )
    assert all(len(set(v)) == 3 for v in plan.values())
    loads = _final_loads(plan, {r: 0 for r in reviewers})
    assert sum(loads.values()) == 21 and _spread(loads) <= 1


def test_existing_loads_are_evened_out():
    plan = balance({"a": 2, "b": 2}, {"a": {1, 2, 3}, "b": {1, 2, 3}}, {1: 3, 2: 0, 3: 0})
    assert plan == {"a": [2, 3], "b": [2, 3]}


def test_swaps_along_a_path_when_the_direct_choice_is_overloaded():
    # "b" may only go to reviewer 1; "a" first took 1, and must swap to 2 so loads even out.
    plan = balance({"a": 1, "b": 1}, {"a": {1, 2}, "b": {1}}, {1: 0, 2: 0})
    assert plan == {"a": [2], "b": [1]}


def test_an_application_with_fewer_eligible_reviewers_gets_them_all():
    plan = balance({"a": 3}, {"a": {1}}, {1: 0, 2: 0, 3: 0})
    assert plan == {"a": [1]}


instances = st.integers(min_value=1, max_value=4).flatmap(
    lambda n_reviewers: st.tuples(
        st.just(n_reviewers),
        st.integers(min_value=1, max_value=4),  # applications
        st.integers(min_value=1, max_value=3),  # reviewers per application
        st.lists(st.tuples(st.integers(0, 3), st.integers(0, n_reviewers - 1)), max_size=6),
        st.lists(st.integers(0, 2), min_size=n_reviewers, max_size=n_reviewers),
    )
)


@settings(max_examples=150, deadline=None)
@given(instances)
def test_matches_the_best_spread_found_by_brute_force(instance):
    n_reviewers, n_apps, per_app, conflict_pairs, start = instance
    reviewers = list(range(n_reviewers))
    apps = list(range(n_apps))
    conflicts = {(a, r) for a, r in conflict_pairs if a < n_apps}
    eligible = {a: {r for r in reviewers if (a, r) not in conflicts} for a in apps}
    loads = dict(zip(reviewers, start, strict=True))
    plan = balance({a: per_app for a in apps}, eligible, loads)

    for app, chosen in plan.items():
        assert len(chosen) == len(set(chosen)) == min(per_app, len(eligible[app]))
        assert all((app, r) not in conflicts for r in chosen)
    got = _spread(_final_loads(plan, loads))

    options = [
        list(itertools.combinations(sorted(eligible[a]), min(per_app, len(eligible[a]))))
        for a in apps
    ]
    best = min(
        _spread(_final_loads(dict(zip(apps, choice, strict=True)), loads))
        for choice in itertools.product(*options)
    )
    assert got == best
