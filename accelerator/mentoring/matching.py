"""The matching engine: assign mentors to startups, optimally, as a pure function of numbers.

`assign()` takes a startups x mentors fit matrix and returns the (startup, mentor) pairs that
maximise first the number of pairs and then the total fit, under these rules: each startup gets
at most `per_startup` mentors, each mentor takes at most `capacity[m]` startups, a pair is made
at most once (even when the mentor has spare capacity) and a forbidden (conflicted) pair never.

It is a bipartite b-matching (a transportation problem with unit arcs): a network
    source -(per_startup)-> startup -(1, cost -fit)-> mentor -(capacity)-> sink
whose maximum flow of minimum cost is exactly the lexicographic optimum above, and whose optima
are integral (the constraint matrix is totally unimodular), so no rounding heuristic is involved.
OR-Tools' min-cost flow (cost-scaling push-relabel) solves it with `solve_max_flow_with_min_cost`
in about 0.3 s at 1,000 x 500 with ~500,000 arcs, where HiGHS's LP takes about 5 s
(bench/matching.py measures both). The solver works on integer costs: fits are scaled so the
largest becomes a large integer N (2**40 on small instances, ~6e11 at the benchmark's size), so
a total is optimal to within (pairs / N) x the largest fit, far below any difference people see.

No database, no Flask: the mentoring services build the matrix from profiles and explain pairs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

Pair = tuple[int, int]

# Largest integer cost handed to the solver. The cost-scaling algorithm multiplies costs by
# (nodes + 1) and sums cost x flow in int64: the scale below keeps both under 2**60.
_MAX_INT_COST = 1 << 40
_INT64_HEADROOM = 1 << 60


def assign(
    fit: ArrayLike,
    *,
    per_startup: int,
    capacity: Sequence[int] | ArrayLike,
    forbidden: ArrayLike | None = None,
) -> list[Pair]:
    """Pairs (startup index, mentor index), sorted, of maximum count and then maximum total fit.

    `fit` is a startups x mentors array of finite non-negative floats; `per_startup` the most
    mentors a startup gets; `capacity` the most startups each mentor takes (one int per mentor);
    `forbidden` a boolean array shaped like `fit`, True where a pair must never be made.
    Raises ValueError on malformed input.
    """
    fit_array, per_startup, capacity_array, allowed = _validated(
        fit, per_startup, capacity, forbidden
    )
    startups, mentors = fit_array.shape
    startup_idx, mentor_idx = np.nonzero(allowed & (capacity_array > 0)[np.newaxis, :])
    if per_startup == 0 or startup_idx.size == 0:
        return []

    pair_fits = fit_array[startup_idx, mentor_idx]
    flow_bound = min(startups * min(per_startup, mentors), int(capacity_array.sum()))
    nodes = startups + mentors + 2
    source, sink = startups + mentors, startups + mentors + 1
    costs = _integer_costs(pair_fits, nodes=nodes, flow_bound=flow_bound)

    tails = np.concatenate(
        [np.full(startups, source), startup_idx, startups + np.arange(mentors)]
    ).astype(np.int64)
    heads = np.concatenate(
        [np.arange(startups), startups + mentor_idx, np.full(mentors, sink)]
    ).astype(np.int64)
    capacities = np.concatenate(
        [
            np.full(startups, min(per_startup, mentors)),
            np.ones(startup_idx.size, dtype=np.int64),
            capacity_array,
        ]
    ).astype(np.int64)
    unit_costs = np.concatenate(
        [np.zeros(startups, dtype=np.int64), costs, np.zeros(mentors, dtype=np.int64)]
    )

    from ortools.graph.python import min_cost_flow  # imported here: 80 ms, only when matching

    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, unit_costs)
    solver.set_node_supply(source, flow_bound)
    solver.set_node_supply(sink, -flow_bound)
    status = solver.solve_max_flow_with_min_cost()
    if status != min_cost_flow.SimpleMinCostFlow.OPTIMAL:
        raise RuntimeError(f"the min-cost flow solver failed: {status!r}")

    pair_arcs = np.arange(startups, startups + startup_idx.size, dtype=np.int64)
    flows = np.asarray(solver.flows(pair_arcs))
    chosen = flows == 1
    pairs = sorted(zip(startup_idx[chosen].tolist(), mentor_idx[chosen].tolist(), strict=True))
    _verify(pairs, flows, per_startup=per_startup, capacity=capacity_array, allowed=allowed)
    return pairs


def total_fit(fit: ArrayLike, pairs: Sequence[Pair]) -> float:
    """The summed fit of `pairs` (0.0 for none): the second objective `assign` maximises."""
    fit_array = np.asarray(fit, dtype=float)
    if not pairs:
        return 0.0
    startups, mentors = zip(*pairs, strict=True)
    return float(fit_array[list(startups), list(mentors)].sum())


def _validated(
    fit: ArrayLike, per_startup: int, capacity: ArrayLike, forbidden: ArrayLike | None
) -> tuple[np.ndarray, int, np.ndarray, np.ndarray]:
    try:
        fit_array = np.asarray(fit, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"fit must be a 2-D array of numbers: {error}") from None
    if fit_array.ndim != 2:
        raise ValueError(
            f"fit must be a 2-D array (startups x mentors), got {fit_array.ndim} dimension(s)"
        )
    if not np.all(np.isfinite(fit_array)):
        raise ValueError("fit must contain only finite numbers (no NaN or infinity)")
    if np.any(fit_array < 0):
        raise ValueError("fit must be non-negative")

    if isinstance(per_startup, bool) or not isinstance(per_startup, int | np.integer):
        raise ValueError(f"per_startup must be an integer, got {per_startup!r}")
    if per_startup < 0:
        raise ValueError(f"per_startup must be 0 or more, got {per_startup}")

    mentors = fit_array.shape[1]
    capacity_array = np.asarray(capacity)
    if capacity_array.ndim != 1 or capacity_array.shape[0] != mentors:
        raise ValueError(
            f"capacity must hold one integer per mentor ({mentors}), "
            f"got shape {capacity_array.shape}"
        )
    integral = capacity_array.dtype.kind in "iu" or (
        capacity_array.dtype.kind == "f"
        and bool(np.all(np.isfinite(capacity_array) & (capacity_array == np.round(capacity_array))))
    )
    if capacity_array.size and not integral:
        raise ValueError("capacity must hold integers")
    capacity_array = capacity_array.astype(np.int64)
    if np.any(capacity_array < 0):
        raise ValueError("capacity must be 0 or more for every mentor")

    if forbidden is None:
        allowed = np.ones(fit_array.shape, dtype=bool)
    else:
        forbidden_array = np.asarray(forbidden)
        if forbidden_array.shape != fit_array.shape:
            raise ValueError(
                f"forbidden must have the shape of fit {fit_array.shape}, "
                f"got {forbidden_array.shape}"
            )
        if forbidden_array.size and forbidden_array.dtype != np.bool_:
            raise ValueError(f"forbidden must be a boolean array, got {forbidden_array.dtype}")
        allowed = ~forbidden_array.astype(bool)
    return fit_array, int(per_startup), capacity_array, allowed


def _integer_costs(pair_fits: np.ndarray, *, nodes: int, flow_bound: int) -> np.ndarray:
    """Negated fits scaled to int64, as fine as the solver's overflow checks allow."""
    largest = float(pair_fits.max())
    if largest == 0.0:
        return np.zeros(pair_fits.size, dtype=np.int64)
    max_int_cost = min(_MAX_INT_COST, _INT64_HEADROOM // ((nodes + 1) * (flow_bound + 1)))
    # Divide first: largest may be subnormal, where 1 / largest overflows to infinity.
    return -np.rint((pair_fits / largest) * max(max_int_cost, 1)).astype(np.int64)


def _verify(
    pairs: list[Pair],
    flows: np.ndarray,
    *,
    per_startup: int,
    capacity: np.ndarray,
    allowed: np.ndarray,
) -> None:
    """Check the solver's answer against every rule; a violation is a bug, never bad input."""
    if flows.size and (flows.min() < 0 or flows.max() > 1):
        raise RuntimeError("the solver returned a non 0/1 flow on a pair")
    if len(set(pairs)) != len(pairs):
        raise RuntimeError("the solver made a pair twice")
    if not pairs:
        return
    startup_idx, mentor_idx = (np.array(column) for column in zip(*pairs, strict=True))
    if not allowed[startup_idx, mentor_idx].all():
        raise RuntimeError("the solver made a forbidden pair")
    if np.bincount(startup_idx).max() > per_startup:
        raise RuntimeError("the solver gave a startup too many mentors")
    if np.any(np.bincount(mentor_idx, minlength=capacity.size) > capacity):
        raise RuntimeError("the solver went over a mentor's capacity")
