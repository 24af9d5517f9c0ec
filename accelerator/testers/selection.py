"""Fair selection of a test panel: `size` testers meeting every quota, random among equals."""

# select() is a pure function of a candidates table (no database, no Flask), in three steps,
# all reproducible from the seed:
# 1. The unconstrained pick. Candidates are put in one order: by `priority` (lower first; the
#    service passes "least recently invited first"), ties broken by a seeded random draw. With
#    no quotas, or when its first `size` candidates already meet them, that pick is the answer.
# 2. The fewest swaps. Candidates are grouped by their quota signature (which quotas each one
#    counts towards); members of a group are interchangeable for the quotas. A tiny integer
#    program over the groups (scipy's milp, HiGHS) chooses how many to take from each: n_g in
#    [0, |g|], sum n_g = size, each quota's groups summing to at least its `at_least`, while
#    moving as few people as possible in or out of the unconstrained pick. A second solve
#    breaks ties between equally small changes towards dropping the lowest-placed and adding
#    the highest-placed people (judged by the first person each group would lose or gain).
# 3. The people. Each group gives its first n_g members in the order of step 1, so candidates
#    equal for the quotas and in priority are equally likely to be chosen.
# When no choice of `size` candidates meets the quotas, the same integer program (without an
# objective) runs a deletion filter: drop each quota in turn, keep it out when the rest still
# conflict. What remains is an irreducible conflicting subset, named in InfeasibleQuotas.
# At 40,000 candidates a selection takes about 50 ms; importing scipy's optimizer the first
# time takes a few hundred more, so it is imported only when a solve is needed.

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

# HiGHS stops on a relative gap of 1e-4 by default; the tie-breaking objective differs by far
# less than that between allocations, and the programs are tiny, so ask for the true optimum.
_SOLVER_OPTIONS = {"presolve": True, "mip_rel_gap": 0.0, "time_limit": 30.0}


@dataclass(frozen=True)
class Quota:
    """At least `at_least` of the selected people have `value` for `attribute`."""

    attribute: str
    value: str
    at_least: int

    def __post_init__(self) -> None:
        if not isinstance(self.attribute, str) or not self.attribute:
            raise ValueError(f"a quota's attribute must be a non-empty string: {self.attribute!r}")
        if not isinstance(self.value, str):
            raise ValueError(f"a quota's value must be a string: {self.value!r}")
        if isinstance(self.at_least, bool) or not isinstance(self.at_least, int | np.integer):
            raise ValueError(f"a quota's at_least must be an integer: {self.at_least!r}")
        if self.at_least < 0:
            raise ValueError(f"a quota's at_least must be 0 or more: {self.at_least}")

    def __str__(self) -> str:
        return f"{self.value} ≥ {self.at_least}"


class InfeasibleQuotas(Exception):
    """No choice of `size` candidates meets `quotas` together (none named: too few candidates)."""

    def __init__(self, message: str, *, quotas: Sequence[Quota] = (), size: int) -> None:
        super().__init__(message)
        self.quotas: tuple[Quota, ...] = tuple(quotas)
        self.size = size


def select(candidates: pd.DataFrame, *, size: int, quotas: Sequence[Quota], seed: int) -> list[int]:
    """`size` distinct ids meeting every quota, best placed first; InfeasibleQuotas if none can."""
    # Raises InfeasibleQuotas naming a minimal conflicting subset of the quotas, or none when
    # there are fewer than `size` candidates; ValueError on malformed input.
    ids, priority, quotas = _validated(candidates, size, quotas)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        # None would draw from the system's entropy: a selection nobody could reproduce.
        raise ValueError(f"seed must be an integer, 0 or more, got {seed!r}")
    total = ids.size
    if total < size:
        raise InfeasibleQuotas(f"only {total} {_candidates(total)} for {_people(size)}", size=size)

    # One canonical order (by id) before drawing, so the result depends on the candidates and
    # the seed, not on the order of the table's rows.
    canonical = np.argsort(ids, kind="stable")
    ids, priority = ids[canonical], priority[canonical]
    members = _membership(candidates, quotas)[canonical]
    draw = np.random.default_rng(seed).random(total)
    order = np.lexsort((draw, priority))  # the unconstrained preference order
    rank = np.empty(total, dtype=np.int64)
    rank[order] = np.arange(total)

    # Quotas asking for nobody hold whatever is chosen: they neither group nor conflict.
    active = [i for i, quota in enumerate(quotas) if quota.at_least > 0]
    signatures, group = _groups(members[:, active])
    by_group = order[np.argsort(group[order], kind="stable")]  # each group's members, in order
    counts = np.bincount(group, minlength=len(signatures))
    starts = np.concatenate([[0], np.cumsum(counts)])
    need = np.array([quotas[i].at_least for i in active], dtype=np.int64)

    ideal = np.bincount(group[order[:size]], minlength=len(signatures))
    if np.all(signatures.T.astype(np.int64) @ ideal >= need):
        take = ideal
    else:
        take = _fewest_swaps(signatures, counts, need, size, ideal, by_group, starts, rank)
        if take is None:
            conflict = _deletion_filter(signatures, counts, need, size)
            named = [quotas[active[i]] for i in conflict]
            raise InfeasibleQuotas(
                _conflict_message(named, size, members[:, [active[i] for i in conflict]]),
                quotas=named,
                size=size,
            )

    chosen = np.concatenate(
        [by_group[starts[g] : starts[g] + take[g]] for g in range(len(signatures))]
    )
    chosen = chosen[np.argsort(rank[chosen])]
    _verify(chosen, members[:, active], need, size)
    return ids[chosen].tolist()


def _validated(
    candidates: pd.DataFrame, size: int, quotas: Sequence[Quota]
) -> tuple[np.ndarray, np.ndarray, list[Quota]]:
    if isinstance(size, bool) or not isinstance(size, int | np.integer):
        raise ValueError(f"size must be an integer, got {size!r}")
    if size <= 0:
        raise ValueError(f"size must be 1 or more, got {size}")
    if not isinstance(candidates, pd.DataFrame):
        raise ValueError("candidates must be a pandas DataFrame")
    if "id" not in candidates.columns:
        raise ValueError("candidates must have an 'id' column")
    quotas = list(quotas)
    for quota in quotas:
        if not isinstance(quota, Quota):
            raise ValueError(f"quotas must be Quota objects, got {quota!r}")

    id_column = candidates["id"]
    # An empty table (no one free to invite) may come typed as objects: it is still a table.
    integral = pd.api.types.is_integer_dtype(id_column.dtype) or id_column.empty
    if id_column.isna().any() or not integral:
        raise ValueError("candidate ids must be integers, none missing")
    ids = id_column.to_numpy(dtype=np.int64)
    if np.unique(ids).size != ids.size:
        raise ValueError("candidate ids must be distinct")

    if "priority" not in candidates.columns:
        return ids, np.zeros(ids.size, dtype=np.int64), quotas
    column = candidates["priority"]
    if pd.api.types.is_integer_dtype(column.dtype) and not column.isna().any():
        # Kept whole: nanosecond timestamps as floats would tie testers invited apart.
        return ids, column.to_numpy(dtype=np.int64), quotas
    if pd.api.types.is_bool_dtype(column.dtype):
        raise ValueError("candidates' priority must be numbers")
    try:
        priority = pd.to_numeric(column).to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise ValueError("candidates' priority must be numbers") from None
    # No priority (say, never invited) comes first, before the least recently invited.
    priority = np.where(np.isnan(priority), -np.inf, priority)
    return ids, priority, quotas


def _membership(candidates: pd.DataFrame, quotas: Sequence[Quota]) -> np.ndarray:
    """candidates x quotas booleans: True where the candidate counts towards the quota."""
    members = np.zeros((len(candidates), len(quotas)), dtype=bool)
    for j, quota in enumerate(quotas):
        if quota.attribute in candidates.columns:
            # A missing value (NaN, None, pd.NA) never equals the quota's value.
            column = candidates[quota.attribute]
            members[:, j] = (column == quota.value).to_numpy(dtype=bool, na_value=False)
    return members


def _groups(members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(signatures: groups x quotas booleans, group index of each candidate)."""
    quotas = members.shape[1]
    if quotas == 0:
        return np.zeros((1, 0), dtype=bool), np.zeros(members.shape[0], dtype=np.int64)
    if quotas < 63:
        # One integer per signature: np.unique on rows (axis=0) sorts a void view, 10x slower.
        bits = np.left_shift(np.int64(1), np.arange(quotas, dtype=np.int64))
        codes, group = np.unique(members.astype(np.int64) @ bits, return_inverse=True)
        return (codes[:, np.newaxis] & bits) != 0, group.reshape(-1)
    signatures, group = np.unique(members, axis=0, return_inverse=True)
    return signatures, group.reshape(-1)


def _fewest_swaps(
    signatures: np.ndarray,
    counts: np.ndarray,
    need: np.ndarray,
    size: int,
    ideal: np.ndarray,
    by_group: np.ndarray,
    starts: np.ndarray,
    rank: np.ndarray,
) -> np.ndarray | None:
    """How many to take from each group: quotas met, fewest changes to `ideal`; None if none."""
    from scipy.optimize import Bounds, LinearConstraint, milp  # 0.3 s: only when quotas bind

    groups = len(counts)
    total = int(counts.sum())
    # Variables: take (integer), then added and dropped relative to the ideal pick.
    eye = np.eye(groups)
    balance = LinearConstraint(
        np.hstack([eye, -eye, eye]), ideal, ideal
    )  # take = ideal + up - down
    constraints = [balance, *_quota_constraints(signatures, need, size, extra_columns=2 * groups)]
    bounds = Bounds(
        np.zeros(3 * groups), np.concatenate([counts, counts - ideal, ideal]).astype(float)
    )
    integrality = np.concatenate([np.ones(groups), np.zeros(2 * groups)])
    moves = np.concatenate([np.zeros(groups), np.ones(2 * groups)])

    first = milp(
        moves,
        integrality=integrality,
        bounds=bounds,
        constraints=constraints,
        options=_SOLVER_OPTIONS,
    )
    if first.status == 2:
        return None
    _check_solved(first)

    # Among allocations as close as the best, add the best-placed person a group has left out
    # and drop the worst-placed one it had in: whole ranks, so the solver compares them exactly.
    first_out = np.array(
        [rank[by_group[starts[g] + ideal[g]]] if ideal[g] < counts[g] else 0 for g in range(groups)]
    )
    last_in = np.array(
        [
            total - 1 - rank[by_group[starts[g] + ideal[g] - 1]] if ideal[g] else 0
            for g in range(groups)
        ]
    )
    fewest = LinearConstraint(moves, -np.inf, round(first.fun))
    second = milp(
        np.concatenate([np.zeros(groups), first_out, last_in]).astype(float),
        integrality=integrality,
        bounds=bounds,
        constraints=[*constraints, fewest],
        options=_SOLVER_OPTIONS,
    )
    _check_solved(second)
    return np.round(second.x[:groups]).astype(np.int64)


def _deletion_filter(
    signatures: np.ndarray, counts: np.ndarray, need: np.ndarray, size: int
) -> list[int]:
    """Indexes of an irreducible set of quotas that cannot be met together."""
    kept = list(range(len(need)))
    for quota in range(len(need)):
        rest = [i for i in kept if i != quota]
        # Fewer quotas are never harder to meet, so a quota whose removal leaves the rest
        # feasible stays needed as the set shrinks: one pass gives an irreducible set.
        if not _feasible(signatures[:, rest], counts, need[rest], size):
            kept = rest
    return kept


def _feasible(signatures: np.ndarray, counts: np.ndarray, need: np.ndarray, size: int) -> bool:
    from scipy.optimize import Bounds, milp

    groups = len(counts)
    result = milp(
        np.zeros(groups),
        integrality=np.ones(groups),
        bounds=Bounds(np.zeros(groups), counts.astype(float)),
        constraints=_quota_constraints(signatures, need, size, extra_columns=0),
        options=_SOLVER_OPTIONS,
    )
    if result.status == 2:
        return False
    _check_solved(result)
    return True


def _quota_constraints(signatures: np.ndarray, need: np.ndarray, size: int, *, extra_columns: int):
    """sum of takes == size, and each quota's groups >= its need (over the first columns)."""
    from scipy.optimize import LinearConstraint

    groups = signatures.shape[0]
    padding = np.zeros((1 + signatures.shape[1], extra_columns))
    matrix = np.vstack([np.ones((1, groups)), signatures.T.astype(float)])
    lower = np.concatenate([[size], need]).astype(float)
    upper = np.concatenate([[size], np.full(need.size, np.inf)])
    return [LinearConstraint(np.hstack([matrix, padding]), lower, upper)]


def _check_solved(result) -> None:
    if result.status != 0:
        raise RuntimeError(f"the selection solver failed: {result.message}")


def _conflict_message(named: Sequence[Quota], size: int, members: np.ndarray) -> str:
    listed = [str(quota) for quota in named]
    if len(listed) == 1:
        (quota,) = named
        matching = int(members.sum())
        message = f"{listed[0]} cannot be met with {_people(size)}"
        if quota.at_least > matching:
            have = "has" if matching == 1 else "have"
            message += f": only {matching} {_candidates(matching)} {have} "
            message += f"{quota.attribute} = {quota.value}"
        return message
    both = "both" if len(listed) == 2 else "all"
    return f"{', '.join(listed[:-1])} and {listed[-1]} cannot {both} be met with {_people(size)}"


def _people(count: int) -> str:
    return f"{count} person" if count == 1 else f"{count} people"


def _candidates(count: int) -> str:
    return "candidate" if count == 1 else "candidates"


def _verify(chosen: np.ndarray, members: np.ndarray, need: np.ndarray, size: int) -> None:
    # The solver works in floating point: check what is handed back rather than trust it.
    if chosen.size != size or np.unique(chosen).size != size:
        raise RuntimeError("the selection is not `size` distinct candidates")
    if np.any(members[chosen].sum(axis=0) < need):
        raise RuntimeError("the selection misses a quota")
