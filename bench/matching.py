"""The matching engine at scale: 1,000 startups x 500 mentors must be matched in under a second.

Synthetic instances: uniform fits, mentor capacities 1-4, ~5% conflicted pairs, two mentors per
startup. Prints the median wall-clock and CPU time and the worst wall-clock time of `assign()`
over a few runs at each size (the goal is judged on CPU time, steady on a shared machine), and once,
as the reason for the solver choice, the time HiGHS's LP (scipy) takes on the same instance with
the same number of pairs and total fit. `python -m bench matching` runs it alone.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from accelerator.mentoring.matching import assign, total_fit

SIZES = ((100, 50), (1_000, 500), (2_000, 1_000))
GOAL = (1_000, 500)
GOAL_SECONDS = 1.0
RUNS = 5
PER_STARTUP = 2


def instance(startups: int, mentors: int, seed: int = 12):
    rng = np.random.default_rng(seed)
    fit = rng.random((startups, mentors))
    capacity = rng.integers(1, 5, mentors)
    forbidden = rng.random((startups, mentors)) < 0.05
    return fit, capacity, forbidden


def _timed(fit, capacity, forbidden) -> tuple[float, float, list[tuple[int, int]]]:
    """Wall-clock and CPU seconds: on a shared machine the CPU time is the steadier figure."""
    started, started_cpu = time.perf_counter(), time.process_time()
    pairs = assign(fit, per_startup=PER_STARTUP, capacity=capacity, forbidden=forbidden)
    return time.perf_counter() - started, time.process_time() - started_cpu, pairs


def _highs(fit, capacity, forbidden) -> tuple[float, int, float]:
    """The same problem as one LP, weight BIG + fit per pair, solved by HiGHS's dual simplex."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_array

    started = time.perf_counter()
    startups = fit.shape[0]
    startup_idx, mentor_idx = np.nonzero(~forbidden)
    n = startup_idx.size
    rows = np.concatenate([startup_idx, startups + mentor_idx])
    matrix = csr_array(
        (np.ones(2 * n), (rows, np.tile(np.arange(n), 2))), shape=(startups + fit.shape[1], n)
    )
    bounds = np.concatenate([np.full(startups, PER_STARTUP), capacity]).astype(float)
    big = float(fit.max()) * min(startups * PER_STARTUP, int(capacity.sum())) + 1.0
    result = linprog(
        -(big + fit[startup_idx, mentor_idx]),
        A_ub=matrix,
        b_ub=bounds,
        bounds=(0, 1),
        method="highs-ds",
    )
    chosen = result.x > 0.5
    elapsed = time.perf_counter() - started
    return elapsed, int(chosen.sum()), float(fit[startup_idx[chosen], mentor_idx[chosen]].sum())


def run() -> list[str]:
    lines = []
    assign(np.ones((1, 1)), per_startup=1, capacity=[1])  # the solver's import is not timed
    for startups, mentors in SIZES:
        fit, capacity, forbidden = instance(startups, mentors)
        times, cpu_times = [], []
        for _ in range(RUNS if (startups, mentors) == GOAL else 3):
            elapsed, cpu, pairs = _timed(fit, capacity, forbidden)
            times.append(elapsed)
            cpu_times.append(cpu)
        verdict = ""
        if (startups, mentors) == GOAL:
            # CPU time judges: wall-clock time on a shared machine mostly measures the neighbours.
            met = statistics.median(cpu_times) < GOAL_SECONDS
            verdict = "  goal met" if met else f"  OVER THE {GOAL_SECONDS:.0f} s GOAL"
        lines.append(
            f"{startups:>5} startups x {mentors:>4} mentors ({int((~forbidden).sum()):>7} pairs "
            f"allowed): {len(pairs):>4} pairs, fit {total_fit(fit, pairs):9.3f}, "
            f"median {statistics.median(times):.3f} s (cpu {statistics.median(cpu_times):.3f} s), "
            f"worst {max(times):.3f} s{verdict}"
        )
    fit, capacity, forbidden = instance(*GOAL)
    _, _, pairs = _timed(fit, capacity, forbidden)
    try:
        elapsed, count, fit_sum = _highs(fit, capacity, forbidden)
    except ImportError:
        lines.append("HiGHS reference skipped: scipy is not installed (pip install -e '.[dev]')")
    else:
        same = count == len(pairs) and abs(fit_sum - total_fit(fit, pairs)) < 1e-6
        lines.append(
            f"reference at {GOAL[0]} x {GOAL[1]}: HiGHS LP {elapsed:.3f} s, {count} pairs, "
            f"fit {fit_sum:.3f} ({'same optimum' if same else 'DIFFERENT OPTIMUM'})"
        )
    return lines
