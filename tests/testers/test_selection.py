"""Panel selection: quotas met when brute force says they can be, conflicts named and minimal,
fewest swaps from the unconstrained pick, priority then seeded chance, bad input refused."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from accelerator.testers.selection import InfeasibleQuotas, Quota, select

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

OS = ["ios", "android"]
AGES = ["young", "old"]


# --- independent references -------------------------------------------------------------------


def membership(frame: pd.DataFrame, quotas) -> np.ndarray:
    """rows x quotas: whether each row counts towards each quota, read cell by cell."""
    columns = [
        frame[quota.attribute].map(lambda cell, value=quota.value: cell == value).to_numpy(bool)
        if quota.attribute in frame.columns
        else np.zeros(len(frame), dtype=bool)
        for quota in quotas
    ]
    return np.array(columns, dtype=bool).reshape(len(quotas), len(frame)).T


def meets(frame: pd.DataFrame, ids, quotas) -> bool:
    """Whether the rows of `ids` meet every quota."""
    rows = frame["id"].isin(list(ids)).to_numpy()
    need = np.array([quota.at_least for quota in quotas], dtype=int)
    return bool(np.all(membership(frame, quotas)[rows].sum(axis=0) >= need))


def feasible_choices(frame: pd.DataFrame, size: int, quotas) -> list[frozenset[int]]:
    """Every choice of `size` ids meeting the quotas: tiny tables only."""
    members = membership(frame, quotas)
    need = np.array([quota.at_least for quota in quotas], dtype=int)
    ids = frame["id"].tolist()
    return [
        frozenset(ids[i] for i in combo)
        for combo in itertools.combinations(range(len(ids)), size)
        if np.all(members[list(combo)].sum(axis=0) >= need)
    ]


# --- strategies -------------------------------------------------------------------------------


@st.composite
def instances(draw, max_rows: int = 9, *, tight: bool = False):
    rows = draw(st.integers(min_value=1, max_value=max_rows))
    ids = draw(st.lists(st.integers(1, 1000), min_size=rows, max_size=rows, unique=True))
    values = st.sampled_from([*OS, *OS, None]), st.sampled_from([*AGES, *AGES, np.nan])
    frame = pd.DataFrame(
        {
            "id": ids,
            "os": draw(st.lists(values[0], min_size=rows, max_size=rows)),
            "age": draw(st.lists(values[1], min_size=rows, max_size=rows)),
        }
    )
    if draw(st.booleans()):
        frame["priority"] = draw(st.lists(st.integers(0, 3), min_size=rows, max_size=rows))
    # Now and then more people than candidates; otherwise quotas of up to about half the panel,
    # mostly on columns that exist, so that they bind, swap people and conflict in pairs and
    # threes rather than alone.
    too_many = not tight and draw(st.sampled_from([False] * 9 + [True]))
    size = rows + 1 if too_many else draw(st.integers(1, rows))
    if tight:  # quotas of up to the whole panel, on columns that exist: they bind or conflict
        at_least = st.sampled_from(range(1, size + 1))  # sampled: not crowded at the ends
    else:
        at_least = st.integers(0, size + 1).map(lambda wanted: wanted // 2 + wanted % 2)
    quota = st.one_of(
        st.builds(Quota, st.just("os"), st.sampled_from(OS), at_least),
        st.builds(Quota, st.just("age"), st.sampled_from(AGES), at_least),
        st.builds(Quota, st.just("device"), st.just("tablet"), st.integers(0, 1)),  # no column
    )
    if tight:
        quota = st.one_of(
            st.builds(Quota, st.just("os"), st.sampled_from(OS), at_least),
            st.builds(Quota, st.just("age"), st.sampled_from(AGES), at_least),
        )
    quotas = draw(st.lists(quota, min_size=2 if tight else 0, max_size=5))
    seed = draw(st.integers(0, 2**32 - 1))
    return frame, size, quotas, seed


def pool(rows: int, *, seed: int = 0) -> pd.DataFrame:
    """A believable panel: os, age band, segment, some countries missing, a priority."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "id": rng.permutation(np.arange(1, rows + 1)),
            "os": rng.choice(["ios", "android", "other"], rows, p=[0.3, 0.6, 0.1]),
            "age_band": rng.choice(["18-24", "25-34", "35-49", "50-64", "65+"], rows),
            "segment": rng.choice(["consumer", "pro"], rows, p=[0.9, 0.1]),
            "country": rng.choice(np.array(["FR", "US", None], dtype=object), rows),
            "priority": rng.integers(0, 20, rows),
        }
    )


BANDS = [Quota("age_band", band, 20) for band in ["18-24", "25-34", "35-49", "50-64", "65+"]]


# --- properties against brute force -----------------------------------------------------------


def check_against_brute_force(frame, size, quotas, seed) -> None:
    """select() answers when and only when a choice exists; a conflict it names is minimal."""
    choices = feasible_choices(frame, size, quotas) if size <= len(frame) else []
    if choices:
        event("feasible")
        chosen = select(frame, size=size, quotas=quotas, seed=seed)
        assert len(chosen) == size
        assert len(set(chosen)) == size
        assert set(chosen) <= set(frame["id"])
        assert meets(frame, chosen, quotas)
        assert all(isinstance(i, int) for i in chosen)
        return
    with pytest.raises(InfeasibleQuotas) as raised:
        select(frame, size=size, quotas=quotas, seed=seed)
    named = raised.value.quotas
    event(f"infeasible, {len(named)} quota(s) named")
    if size > len(frame):
        assert named == ()
        return
    # The named quotas conflict on their own, and each of them is needed for the conflict.
    assert named and set(named) <= set(quotas)
    assert not feasible_choices(frame, size, named)
    for left_out in range(len(named)):
        rest = named[:left_out] + named[left_out + 1 :]
        assert feasible_choices(frame, size, rest)
    assert all(str(quota) in str(raised.value) for quota in named)


@SETTINGS
@given(st.one_of(instances(), instances(tight=True)))
def test_quotas_are_met_exactly_when_some_choice_meets_them(instance):
    check_against_brute_force(*instance)


@st.composite
def crowded_quotas(draw):
    """Quotas each possible alone, on three operating systems and two ages, often too many
    together for the panel: conflicts of two, three and more quotas."""
    rows = draw(st.integers(min_value=3, max_value=9))
    ids = list(range(1, rows + 1))
    frame = pd.DataFrame(
        {
            "id": ids,
            "os": draw(
                st.lists(st.sampled_from(["ios", "android", "other"]), min_size=rows, max_size=rows)
            ),
            "age": draw(st.lists(st.sampled_from(AGES), min_size=rows, max_size=rows)),
        }
    )
    size = draw(st.sampled_from(range(2, rows + 1)))
    quotas = []
    for attribute in ("os", "age"):
        for value, count in frame[attribute].value_counts().items():
            if draw(st.booleans()):
                wanted = draw(st.sampled_from(range(1, min(count, size) + 1)))
                quotas.append(Quota(attribute, value, wanted))
    return frame, size, draw(st.permutations(quotas)), draw(st.integers(0, 2**32 - 1))


@st.composite
def three_way_conflicts(draw):
    """Three quotas on one attribute, any two of which fit the panel but not all three, among
    others that may or may not: the filter must keep all three."""
    size = draw(st.integers(3, 6))
    wanted = draw(st.lists(st.integers(1, size - 1), min_size=3, max_size=3))
    assume(sum(wanted) > size and all(sum(wanted) - one <= size for one in wanted))
    os_values = []
    for value, at_least in zip(["ios", "android", "other"], wanted, strict=True):
        os_values += [value] * (at_least + draw(st.integers(0, 1)))
    os_values += [None] * draw(st.integers(0, 2))
    rows = len(os_values)
    frame = pd.DataFrame(
        {
            "id": range(1, rows + 1),
            "os": os_values,
            "age": draw(st.lists(st.sampled_from(AGES), min_size=rows, max_size=rows)),
        }
    )
    quotas = [
        Quota("os", value, at_least)
        for value, at_least in zip(["ios", "android", "other"], wanted, strict=True)
    ]
    quotas += draw(
        st.lists(
            st.builds(Quota, st.just("age"), st.sampled_from(AGES), st.integers(0, 2)), max_size=2
        )
    )
    return frame, size, draw(st.permutations(quotas)), draw(st.integers(0, 2**32 - 1))


@SETTINGS
@given(st.one_of(crowded_quotas(), three_way_conflicts()))
def test_a_conflict_of_several_quotas_is_named_whole_and_minimal(instance):
    check_against_brute_force(*instance)


@SETTINGS
@given(st.one_of(instances(), instances(tight=True)))
def test_the_fewest_people_are_swapped_out_of_the_unconstrained_pick(instance):
    frame, size, quotas, seed = instance
    if size > len(frame):
        return
    choices = feasible_choices(frame, size, quotas)
    if not choices:
        return
    unconstrained = set(select(frame, size=size, quotas=[], seed=seed))
    chosen = set(select(frame, size=size, quotas=quotas, seed=seed))
    event(f"{len(chosen - unconstrained)} swapped")
    assert len(chosen - unconstrained) == min(len(choice - unconstrained) for choice in choices)


@settings(SETTINGS, max_examples=100)
@given(instances(max_rows=30))
def test_within_a_quota_signature_lower_priority_goes_first(instance):
    frame, size, quotas, seed = instance
    if "priority" not in frame or size > len(frame):
        return
    try:
        chosen = set(select(frame, size=size, quotas=quotas, seed=seed))
    except InfeasibleQuotas:
        return
    signature = frame.apply(
        lambda row: tuple(
            quota.attribute in frame.columns and row[quota.attribute] == quota.value
            for quota in quotas
            if quota.at_least > 0
        ),
        axis=1,
    )
    taken = frame["id"].isin(chosen)
    for _, members in frame.groupby(signature):
        inside = members.loc[taken[members.index], "priority"]
        outside = members.loc[~taken[members.index], "priority"]
        if len(inside) and len(outside):
            assert inside.max() <= outside.min()


@settings(SETTINGS, max_examples=100)
@given(instances(max_rows=30))
def test_the_same_input_and_seed_give_the_same_ids_whatever_the_row_order(instance):
    frame, size, quotas, seed = instance
    shuffled = frame.sample(frac=1, random_state=seed % 1000).reset_index(drop=True)
    try:
        first = select(frame, size=size, quotas=quotas, seed=seed)
    except InfeasibleQuotas as error:
        with pytest.raises(InfeasibleQuotas) as again:
            select(shuffled, size=size, quotas=quotas, seed=seed)
        assert again.value.quotas == error.quotas
        return
    assert select(frame, size=size, quotas=quotas, seed=seed) == first
    assert select(shuffled, size=size, quotas=quotas, seed=seed) == first


@SETTINGS
@given(instances())
def test_quotas_the_unconstrained_pick_already_meets_change_nothing(instance):
    frame, size, quotas, seed = instance
    if size > len(frame):
        return
    unconstrained = select(frame, size=size, quotas=[], seed=seed)
    if meets(frame, unconstrained, quotas):
        assert select(frame, size=size, quotas=quotas, seed=seed) == unconstrained


# --- randomness and priority ------------------------------------------------------------------


def test_different_seeds_give_different_panels_on_a_big_pool():
    candidates = pool(5000)
    panels = {
        tuple(sorted(select(candidates, size=100, quotas=BANDS, seed=seed))) for seed in range(5)
    }
    assert len(panels) == 5


def test_equals_are_equally_likely_to_be_chosen():
    candidates = pd.DataFrame({"id": range(1, 11), "os": ["ios"] * 5 + ["android"] * 5})
    quotas = [Quota("os", "ios", 2), Quota("os", "android", 2)]
    times = {i: 0 for i in range(1, 11)}
    for seed in range(1000):
        for chosen in select(candidates, size=5, quotas=quotas, seed=seed):
            times[chosen] += 1
    # Each of the 10 is chosen half the time: 500 of 1000, a standard deviation of about 16.
    assert all(440 < count < 560 for count in times.values()), times


def test_priorities_as_nanosecond_timestamps_are_compared_whole():
    # Two testers invited 100 ns apart: as floats (53 bits) these instants would be equal.
    invited = pd.Timestamp("2026-03-01T09:00:00", tz="UTC").value
    candidates = pd.DataFrame({"id": [1, 2], "priority": [invited + 100, invited]})
    assert float(invited + 100) == float(invited)
    assert all(select(candidates, size=1, quotas=[], seed=seed) == [2] for seed in range(20))


def test_least_recently_invited_come_first_and_never_invited_before_them():
    candidates = pd.DataFrame(
        {
            "id": [1, 2, 3, 4, 5, 6],
            "os": ["ios", "ios", "ios", "android", "android", "android"],
            "priority": [30.0, 10.0, np.nan, 20.0, 5.0, 40.0],
        }
    )
    for seed in range(20):
        chosen = select(candidates, size=4, quotas=[Quota("os", "ios", 2)], seed=seed)
        # The unconstrained pick is 3 (never invited), 5, 2 and 4; it holds two ios already.
        assert chosen == [3, 5, 2, 4]
        chosen = select(candidates, size=4, quotas=[Quota("os", "ios", 3)], seed=seed)
        # One ios (1, the only one left) comes in; the worst-placed android (4) goes out.
        assert chosen == [3, 5, 2, 1]


def test_ties_between_equally_small_changes_go_to_the_better_placed():
    # Bringing in one ios while keeping two young and two old: swap a young android for the
    # young ios, or an old android for the old ios. One swap either way.
    candidates = pd.DataFrame(
        {
            "id": [1, 2, 3, 4, 5, 6],
            "os": ["android", "android", "android", "android", "ios", "ios"],
            "age": ["young", "old", "young", "old", "young", "old"],
            "priority": [1, 2, 4, 3, 5, 6],
        }
    )
    quotas = [Quota("os", "ios", 1), Quota("age", "young", 2), Quota("age", "old", 2)]
    # Unconstrained: 1, 2, 4, 3 (no ios). The young ios (5) is the better placed and the young
    # android (3) the worse placed: 5 comes in, 3 goes out.
    assert select(candidates, size=4, quotas=quotas, seed=0) == [1, 2, 4, 5]
    candidates["priority"] = [1, 2, 3, 4, 6, 5]
    # Now the old ios (6) is the better placed and the old android (4) the worse placed.
    assert select(candidates, size=4, quotas=quotas, seed=0) == [1, 2, 3, 6]


# --- conflicts --------------------------------------------------------------------------------


def test_two_quotas_that_cannot_both_be_met_are_named_together():
    candidates = pool(2000)
    quotas = [Quota("segment", "pro", 10), Quota("os", "ios", 40), Quota("os", "android", 70)]
    with pytest.raises(InfeasibleQuotas) as raised:
        select(candidates, size=100, quotas=quotas, seed=1)
    assert raised.value.quotas == (Quota("os", "ios", 40), Quota("os", "android", 70))
    assert raised.value.size == 100
    assert str(raised.value) == "ios ≥ 40 and android ≥ 70 cannot both be met with 100 people"


def test_three_quotas_that_conflict_only_together_are_all_named():
    candidates = pool(2000)
    quotas = [Quota("os", "ios", 40), Quota("os", "android", 40), Quota("os", "other", 40)]
    with pytest.raises(InfeasibleQuotas) as raised:
        select(candidates, size=100, quotas=quotas, seed=1)
    assert raised.value.quotas == tuple(quotas)
    assert str(raised.value) == (
        "ios ≥ 40, android ≥ 40 and other ≥ 40 cannot all be met with 100 people"
    )


def test_a_quota_larger_than_the_panel_or_its_pool_is_named_alone():
    candidates = pd.DataFrame({"id": [1, 2, 3, 4], "os": ["ios", "android", "android", "android"]})
    with pytest.raises(InfeasibleQuotas) as raised:
        select(candidates, size=2, quotas=[Quota("os", "android", 3)], seed=0)
    assert raised.value.quotas == (Quota("os", "android", 3),)
    assert str(raised.value) == "android ≥ 3 cannot be met with 2 people"
    with pytest.raises(InfeasibleQuotas) as raised:
        select(candidates, size=3, quotas=[Quota("os", "ios", 2)], seed=0)
    assert str(raised.value) == "ios ≥ 2 cannot be met with 3 people: only 1 candidate has os = ios"


def test_a_missing_column_matches_no_one_and_missing_values_never_count():
    candidates = pd.DataFrame({"id": [1, 2, 3], "os": ["ios", None, np.nan]})
    with pytest.raises(InfeasibleQuotas) as raised:
        select(candidates, size=2, quotas=[Quota("device", "tablet", 1)], seed=0)
    assert raised.value.quotas == (Quota("device", "tablet", 1),)
    assert "only 0 candidates" in str(raised.value)
    # A quota asking for nobody holds even on a column that does not exist.
    assert len(select(candidates, size=2, quotas=[Quota("device", "tablet", 0)], seed=0)) == 2
    with pytest.raises(InfeasibleQuotas):
        select(candidates, size=2, quotas=[Quota("os", "ios", 2)], seed=0)
    assert 1 in select(candidates, size=2, quotas=[Quota("os", "ios", 1)], seed=0)


def test_fewer_candidates_than_the_panel_names_no_quota():
    candidates = pd.DataFrame({"id": [1, 2, 3], "os": ["ios", "ios", "ios"]})
    with pytest.raises(InfeasibleQuotas) as raised:
        select(candidates, size=4, quotas=[Quota("os", "ios", 1)], seed=0)
    assert raised.value.quotas == ()
    assert str(raised.value) == "only 3 candidates for 4 people"
    assert sorted(select(candidates, size=3, quotas=[], seed=0)) == [1, 2, 3]
    with pytest.raises(InfeasibleQuotas, match="^only 0 candidates for 1 person$"):
        select(pd.DataFrame({"id": [], "os": []}), size=1, quotas=[], seed=0)


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, -1, True, 2.0, "3"])
def test_a_size_that_is_not_a_positive_integer_is_refused(size):
    with pytest.raises(ValueError, match="size"):
        select(pd.DataFrame({"id": [1, 2, 3]}), size=size, quotas=[], seed=0)


@pytest.mark.parametrize("seed", [None, -1, 1.5, "7"])
def test_a_seed_that_cannot_reproduce_the_draw_is_refused(seed):
    with pytest.raises(ValueError, match="seed"):
        select(pd.DataFrame({"id": [1, 2, 3]}), size=1, quotas=[], seed=seed)


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"name": ["a"]}),
        pd.DataFrame({"id": [1, 1]}),
        pd.DataFrame({"id": [1.0, None]}),
        pd.DataFrame({"id": ["a", "b"]}),
        pd.DataFrame({"id": [1, 2], "priority": ["soon", "late"]}),
        pd.DataFrame({"id": [1, 2], "priority": [True, False]}),
    ],
)
def test_malformed_candidates_are_refused(frame):
    with pytest.raises(ValueError):
        select(frame, size=1, quotas=[], seed=0)


@pytest.mark.parametrize(
    "arguments",
    [("", "ios", 1), ("os", 3, 1), ("os", "ios", -1), ("os", "ios", 1.5), ("os", "ios", True)],
)
def test_malformed_quotas_are_refused(arguments):
    with pytest.raises(ValueError):
        Quota(*arguments)


def test_quotas_that_are_not_quota_objects_are_refused():
    with pytest.raises(ValueError, match="Quota"):
        select(pd.DataFrame({"id": [1]}), size=1, quotas=[("os", "ios", 1)], seed=0)


# --- scale ------------------------------------------------------------------------------------


def test_forty_thousand_candidates_are_selected_well_within_a_second():
    candidates = pool(40_000)
    quotas = [Quota("os", "ios", 40), Quota("segment", "pro", 30), *BANDS]
    select(candidates, size=100, quotas=quotas, seed=0)  # the solver imported once
    started = time.perf_counter()
    chosen = select(candidates, size=100, quotas=quotas, seed=1)
    elapsed = time.perf_counter() - started
    assert meets(candidates, chosen, quotas)
    assert elapsed < 1.0, f"{elapsed:.2f} s"
    # Quotas binding hard on a 10,000-person wave stay fast too.
    started = time.perf_counter()
    wave = select(candidates, size=10_000, quotas=[*quotas, Quota("os", "ios", 5000)], seed=2)
    assert time.perf_counter() - started < 1.0
    assert len(set(wave)) == 10_000
