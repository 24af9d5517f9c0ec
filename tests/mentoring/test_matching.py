"""The matching engine: optimal against brute force and an LP, rules held, bad input refused."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from scipy.sparse import csr_array

from accelerator.mentoring.matching import assign, total_fit

TOLERANCE = 1e-6
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- independent references -------------------------------------------------------------------


def brute_force(fit, per_startup, capacity, forbidden) -> tuple[int, float]:
    """Best (count, total fit) over every subset of allowed pairs: tiny instances only."""
    startups, mentors = fit.shape
    cells = [
        (s, m) for s, m in itertools.product(range(startups), range(mentors)) if not forbidden[s, m]
    ]
    if not cells:
        return 0, 0.0
    bits = (np.arange(1 << len(cells))[:, None] >> np.arange(len(cells))) & 1  # subsets x cells
    by_startup = np.array([[s == i for s, _ in cells] for i in range(startups)], dtype=int).T
    by_mentor = np.array([[m == j for _, m in cells] for j in range(mentors)], dtype=int).T
    feasible = np.all(bits @ by_startup <= per_startup, axis=1) & np.all(
        bits @ by_mentor <= np.asarray(capacity), axis=1
    )
    counts = bits[feasible].sum(axis=1)
    totals = bits[feasible] @ np.array([fit[s, m] for s, m in cells])
    best = counts.max()
    return int(best), float(totals[counts == best].max())


def linear_program(fit, per_startup, capacity, forbidden) -> tuple[int, float]:
    """(count, total fit) by HiGHS in two stages: the most pairs, then the most fit among them."""
    startup_idx, mentor_idx = np.nonzero(~forbidden)
    n = startup_idx.size
    if n == 0:
        return 0, 0.0
    startups = fit.shape[0]
    rows = np.concatenate([startup_idx, startups + mentor_idx])
    matrix = csr_array(
        (np.ones(2 * n), (rows, np.tile(np.arange(n), 2))), shape=(startups + fit.shape[1], n)
    )
    bounds = np.concatenate([np.full(startups, per_startup), capacity]).astype(float)
    first = linprog(-np.ones(n), A_ub=matrix, b_ub=bounds, bounds=(0, 1), method="highs")
    count = round(-first.fun)
    second = linprog(
        -fit[startup_idx, mentor_idx],
        A_ub=matrix,
        b_ub=bounds,
        A_eq=np.ones((1, n)),
        b_eq=[count],
        bounds=(0, 1),
        method="highs",
    )
    return count, float(-second.fun)


def assert_rules(pairs, fit, per_startup, capacity, forbidden) -> None:
    startups, mentors = fit.shape
    assert pairs == sorted(pairs)
    assert len(set(pairs)) == len(pairs), "a pair made twice"
    for s, m in pairs:
        assert isinstance(s, int) and isinstance(m, int)
        assert 0 <= s < startups and 0 <= m < mentors
        assert not forbidden[s, m], f"forbidden pair {(s, m)}"
    for s in range(startups):
        assert sum(1 for a, _ in pairs if a == s) <= per_startup
    for m in range(mentors):
        assert sum(1 for _, b in pairs if b == m) <= capacity[m]


# --- instances ----------------------------------------------------------------------------------

fits = st.one_of(
    st.floats(0, 100, allow_nan=False, allow_infinity=False),
    st.integers(0, 3).map(float),  # small integers: many ties
)


@st.composite
def instances(draw, max_startups=3, max_mentors=4):
    startups = draw(st.integers(0, max_startups))
    mentors = draw(st.integers(0, max_mentors))
    cells = startups * mentors
    fit = np.array(draw(st.lists(fits, min_size=cells, max_size=cells)), dtype=float)
    forbidden = np.array(draw(st.lists(st.booleans(), min_size=cells, max_size=cells)), dtype=bool)
    if draw(st.booleans()):
        forbidden[:] = False
    capacity = draw(st.lists(st.integers(0, 5), min_size=mentors, max_size=mentors))
    per_startup = draw(st.integers(0, 4))
    return (
        fit.reshape(startups, mentors),
        per_startup,
        capacity,
        forbidden.reshape(startups, mentors),
    )


def check_against(reference, fit, per_startup, capacity, forbidden) -> None:
    pairs = assign(fit, per_startup=per_startup, capacity=capacity, forbidden=forbidden)
    assert_rules(pairs, fit, per_startup, capacity, forbidden)
    count, total = reference(fit, per_startup, capacity, forbidden)
    assert len(pairs) == count
    assert total_fit(fit, pairs) == pytest.approx(total, abs=TOLERANCE)


# --- optimality ---------------------------------------------------------------------------------


@SETTINGS
@given(instances())
def test_optimal_against_brute_force(instance):
    check_against(brute_force, *instance)


@settings(max_examples=60, deadline=None)
@given(instances(max_startups=8, max_mentors=7))
def test_optimal_against_linear_programming(instance):
    check_against(linear_program, *instance)


@st.composite
def trap_instances(draw):
    """One mentor with room for everyone and the best fit everywhere: the pair-twice trap."""
    fit, per_startup, capacity, forbidden = draw(instances(max_startups=3, max_mentors=3))
    if fit.shape[1] == 0:
        fit, capacity, forbidden = np.zeros((fit.shape[0], 1)), [0], np.zeros((fit.shape[0], 1))
        forbidden = forbidden.astype(bool)
    fit = np.hstack([np.full((fit.shape[0], 1), 1000.0), fit])
    capacity = [draw(st.integers(6, 20)), *capacity]
    forbidden = np.hstack([np.zeros((fit.shape[0], 1), dtype=bool), forbidden])
    return fit, max(per_startup, 2), capacity, forbidden


@SETTINGS
@given(trap_instances())
def test_big_mentor_trap_against_brute_force(instance):
    fit, per_startup, capacity, forbidden = instance
    check_against(brute_force, *instance)
    pairs = assign(fit, per_startup=per_startup, capacity=capacity, forbidden=forbidden)
    assert all((s, 0) in pairs for s in range(fit.shape[0])), "every startup gets the big mentor"


def test_big_mentor_is_paired_once_with_each_startup():
    fit = np.array([[10.0, 1.0], [10.0, 1.0]])
    assert assign(fit, per_startup=2, capacity=[5, 5]) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    # With a single mentor, a startup still gets it only once.
    assert assign(fit[:, :1], per_startup=2, capacity=[5]) == [(0, 0), (1, 0)]


def test_more_pairs_beat_more_fit():
    fit = np.array([[100.0, 1.0], [1.0, 0.0]])
    forbidden = np.array([[False, False], [False, True]])
    # Greedy takes (0, 0) for 100 and leaves startup 1 alone; two pairs come first.
    pairs = assign(fit, per_startup=1, capacity=[1, 1], forbidden=forbidden)
    assert pairs == [(0, 1), (1, 0)]


def test_fit_decides_among_equally_many_pairs():
    fit = np.array([[0.2, 0.9], [0.8, 0.3]])
    assert assign(fit, per_startup=1, capacity=[1, 1]) == [(0, 1), (1, 0)]


def test_zero_fit_pairs_are_still_made():
    assert assign(np.zeros((2, 2)), per_startup=1, capacity=[1, 1]) in (
        [(0, 0), (1, 1)],
        [(0, 1), (1, 0)],
    )


def test_tiny_fit_differences_are_seen_next_to_large_fits():
    fit = np.array([[1e6, 1e6 + 1e-3], [1e6 + 2e-3, 1e6]])
    assert assign(fit, per_startup=1, capacity=[1, 1]) == [(0, 1), (1, 0)]


@pytest.mark.parametrize("scale", [5e-324, 2.2e-311, 1e-200, 1e200, 5e307])
def test_extreme_fit_magnitudes_are_scaled_safely(scale):
    fit = np.array([[1.0, 3.0], [2.0, 1.0]]) * scale
    assert assign(fit, per_startup=1, capacity=[1, 1]) == [(0, 1), (1, 0)]


# --- rules --------------------------------------------------------------------------------------


def test_forbidden_pairs_are_never_made_even_when_it_costs_pairs():
    fit = np.full((2, 2), 5.0)
    forbidden = np.array([[True, True], [False, True]])
    assert assign(fit, per_startup=2, capacity=[3, 3], forbidden=forbidden) == [(1, 0)]
    assert assign(fit, per_startup=2, capacity=[3, 3], forbidden=np.ones((2, 2), bool)) == []


def test_zero_capacity_mentors_get_nobody():
    fit = np.array([[9.0, 1.0], [9.0, 1.0]])
    assert assign(fit, per_startup=2, capacity=[0, 1]) in ([(0, 1)], [(1, 1)])
    assert assign(fit, per_startup=2, capacity=np.array([0, 0])) == []


def test_capacity_is_shared_out_for_the_most_pairs():
    fit = np.array([[5.0, 4.0], [5.0, 0.0], [5.0, 0.0]])
    forbidden = np.array([[False, False], [False, True], [False, True]])
    pairs = assign(fit, per_startup=1, capacity=[2, 1], forbidden=forbidden)
    assert pairs == [(0, 1), (1, 0), (2, 0)]


def test_zero_per_startup_makes_no_pairs():
    assert assign(np.ones((3, 2)), per_startup=0, capacity=[2, 2]) == []


@pytest.mark.parametrize("shape", [(0, 0), (0, 3), (3, 0)])
def test_empty_inputs_make_no_pairs(shape):
    fit = np.zeros(shape)
    assert assign(fit, per_startup=2, capacity=[1] * shape[1]) == []
    no_conflicts = np.zeros(shape, dtype=bool)
    assert assign(fit, per_startup=2, capacity=[1] * shape[1], forbidden=no_conflicts) == []


def test_plain_lists_and_numpy_integers_are_accepted():
    pairs = assign(
        [[1, 2], [3, 4]],
        per_startup=np.int64(1),
        capacity=np.array([1, 1], dtype=np.int32),
        forbidden=[[False, False], [False, False]],
    )
    assert pairs == [(0, 1), (1, 0)]
    assert assign([[1.0]], per_startup=1, capacity=[1.0]) == [(0, 0)]


def test_rules_hold_at_scale():
    rng = np.random.default_rng(7)
    fit = rng.random((300, 120))
    capacity = rng.integers(0, 5, 120)
    forbidden = rng.random((300, 120)) < 0.05
    pairs = assign(fit, per_startup=2, capacity=capacity, forbidden=forbidden)
    assert_rules(pairs, fit, 2, capacity, forbidden)
    assert len(pairs) == min(600, int(capacity.sum()))


# --- bad input ----------------------------------------------------------------------------------

GOOD = {"fit": np.ones((2, 3)), "per_startup": 2, "capacity": [1, 1, 1], "forbidden": None}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"fit": np.array([[1.0, -0.1, 0.0], [0.0, 0.0, 0.0]])}, "fit must be non-negative"),
        ({"fit": np.array([[1.0, np.nan, 0.0], [0.0, 0.0, 0.0]])}, "finite"),
        ({"fit": np.array([[1.0, np.inf, 0.0], [0.0, 0.0, 0.0]])}, "finite"),
        ({"fit": np.ones(3)}, "2-D"),
        ({"fit": np.ones((2, 3, 1))}, "2-D"),
        ({"fit": [["a", "b", "c"], ["d", "e", "f"]]}, "array of numbers"),
        ({"per_startup": -1}, "per_startup must be 0 or more"),
        ({"per_startup": 1.5}, "per_startup must be an integer"),
        ({"per_startup": True}, "per_startup must be an integer"),
        ({"capacity": [1, 1]}, r"one integer per mentor \(3\)"),
        ({"capacity": [[1, 1, 1]]}, "one integer per mentor"),
        ({"capacity": [1, -1, 1]}, "capacity must be 0 or more"),
        ({"capacity": [1, 1.5, 1]}, "capacity must hold integers"),
        ({"capacity": ["a", "b", "c"]}, "capacity must hold integers"),
        ({"forbidden": np.zeros((3, 2), bool)}, r"forbidden must have the shape of fit \(2, 3\)"),
        ({"forbidden": np.zeros((2, 3), int)}, "forbidden must be a boolean array"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(change, message):
    arguments = {**GOOD, **change}
    fit = arguments.pop("fit")
    with pytest.raises(ValueError, match=message):
        assign(fit, **arguments)
