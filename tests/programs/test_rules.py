"""The cohort rules as pure functions: dates, numbers, tranche plan and criteria."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accelerator.core.errors import ValidationFailed
from accelerator.programs.models import DEFAULT_CRITERIA, DEFAULT_TRANCHE_PLAN
from accelerator.programs.rules import (
    MAX_GRANT_CENTS,
    CohortInput,
    CohortInvalid,
    add_months,
    check_cohort,
    check_timezone,
    clean_criteria,
    clean_tranche_plan,
)
from tests.factories import cohort_input

PARIS = "Europe/Paris"


def errors_of(data: CohortInput, tz: str = PARIS, **kwargs) -> dict[str, str]:
    with pytest.raises(CohortInvalid) as caught:
        check_cohort(data, tz, **kwargs)
    return caught.value.errors


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


def test_defaults_give_a_valid_cohort_with_times_converted_to_utc():
    values = check_cohort(cohort_input(), PARIS)
    # 09:00 in Paris in March (UTC+1) is 08:00 UTC; 18:00 in April (UTC+2) is 16:00 UTC.
    assert values["applications_open_at"] == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    assert values["applications_close_at"] == datetime(2026, 4, 15, 16, 0, tzinfo=UTC)
    assert values["ends_on"] == date(2026, 8, 11)  # three months after the start
    assert values["capacity"] == 6
    assert values["grant_amount_cents"] == 2_000_000
    assert values["currency"] == "USD"
    assert [t["percent"] for t in values["tranche_plan"]] == [50, 25, 25]
    assert [t["key"] for t in values["tranche_plan"]] == ["kickoff", "midpoint", "demo_day"]
    assert [c["name"] for c in values["review_criteria"]] == [
        "Team",
        "Market",
        "Product",
        "Traction",
        "Fit with the company's business units",
    ]


def test_times_follow_the_programs_timezone():
    values = check_cohort(cohort_input(), "America/Los_Angeles")
    assert values["applications_open_at"] == datetime(2026, 3, 1, 17, 0, tzinfo=UTC)


def test_aware_datetimes_are_kept_as_the_same_instant():
    opens = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    values = check_cohort(cohort_input(applications_open_at=opens), "Asia/Tokyo")
    assert values["applications_open_at"] == opens


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"applications_close_at": datetime(2026, 3, 1, 9, 0)}, "applications_close_at"),
        ({"applications_close_at": datetime(2026, 2, 1, 9, 0)}, "applications_close_at"),
        ({"starts_on": date(2026, 4, 15)}, "starts_on"),  # same day as the deadline
        ({"starts_on": date(2026, 4, 1)}, "starts_on"),
        ({"ends_on": date(2026, 5, 11)}, "ends_on"),
        ({"ends_on": date(2026, 5, 1)}, "ends_on"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": -3}, "capacity"),
        ({"capacity": 10_000}, "capacity"),
        ({"grant_amount_cents": 0}, "grant_amount"),
        ({"grant_amount_cents": -100}, "grant_amount"),
        ({"grant_amount_cents": MAX_GRANT_CENTS + 1}, "grant_amount"),
        ({"grant_amount_cents": None}, "grant_amount"),
        ({"currency": "XYZ"}, "currency"),
        ({"reviewers_per_application": 0}, "reviewers_per_application"),
        ({"confirmation_days": 0}, "confirmation_days"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"applications_open_at": datetime(1, 1, 1, 0, 0)}, "applications_open_at"),
        ({"starts_on": date(9999, 12, 31)}, "starts_on"),
        ({"ends_on": date(1999, 12, 31)}, "ends_on"),
        ({"tranche_plan": []}, "tranche_plan"),
        ({"review_criteria": []}, "review_criteria"),
    ],
)
def test_each_rule_is_reported_beside_its_field(changes, field):
    assert field in errors_of(cohort_input(**changes))


def test_several_broken_rules_are_reported_at_once():
    errors = errors_of(cohort_input(capacity=0, grant_amount_cents=0, currency="?"))
    assert set(errors) == {"capacity", "grant_amount", "currency"}


def test_capacity_cannot_drop_below_the_enrolled_startups():
    errors = errors_of(cohort_input(capacity=3), enrolled=4)
    assert "at least 4" in errors["capacity"]
    assert check_cohort(cohort_input(capacity=4), PARIS, enrolled=4)["capacity"] == 4


def test_timezones_are_checked_against_zoneinfo():
    assert check_timezone(" Europe/Paris ") == "Europe/Paris"
    for bad in ("Mars/Olympus", "", "../../etc/passwd", "europe/paris"):
        with pytest.raises(ValidationFailed):
            check_timezone(bad)


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2026, 1, 15), 3, date(2026, 4, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2026, 10, 31), 3, date(2027, 1, 31)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


# Tranche plan ---------------------------------------------------------------------------------


def test_default_tranche_plan_is_valid():
    assert clean_tranche_plan([dict(t) for t in DEFAULT_TRANCHE_PLAN]) == DEFAULT_TRANCHE_PLAN


def test_blank_rows_are_dropped_and_new_rows_get_keys():
    rows = [
        {"key": "kickoff", "name": "Kickoff", "percent": 40},
        {"key": "", "name": "", "percent": None},
        {"key": "", "name": "Pilot signed!", "percent": "60"},
    ]
    assert clean_tranche_plan(rows) == [
        {"key": "kickoff", "name": "Kickoff", "percent": 40},
        {"key": "pilot_signed", "name": "Pilot signed!", "percent": 60},
    ]


@pytest.mark.parametrize(
    "rows, message",
    [
        ([{"name": "A", "percent": 60}, {"name": "B", "percent": 30}], "add up to 90%"),
        ([{"name": "A", "percent": 100}, {"name": "a", "percent": 0}], "1 to 100"),
        ([{"name": "A", "percent": 50}, {"name": "a", "percent": 50}], "same name"),
        ([{"name": "", "percent": 100}], "needs a name"),
        ([{"name": "A", "percent": "half"}], "1 to 100"),
        ([{"name": "A", "percent": 150}], "1 to 100"),
        ([{"name": "A", "percent": True}], "1 to 100"),
        ([], "at least one row"),
    ],
)
def test_bad_tranche_plans_are_refused(rows, message):
    with pytest.raises(ValidationFailed) as caught:
        clean_tranche_plan(rows)
    assert message in caught.value.message
    assert caught.value.field == "tranche_plan"


def test_tampered_keys_are_replaced_and_duplicates_made_unique():
    rows = [
        {"key": "<script>", "name": "Kick off", "percent": 50},
        {"key": "kick_off", "name": "Kick-off", "percent": 50},
    ]
    keys = [row["key"] for row in clean_tranche_plan(rows)]
    assert keys == ["kick_off", "kick_off_2"]


rows_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "key": st.one_of(st.none(), st.text(max_size=12)),
            "name": st.text(max_size=20),
            "percent": st.one_of(st.none(), st.integers(-50, 150), st.text(max_size=4)),
        }
    ),
    max_size=8,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows_strategy)
def test_a_cleaned_tranche_plan_always_sums_to_100_with_unique_keys(rows):
    try:
        plan = clean_tranche_plan(rows)
    except ValidationFailed as error:
        assert error.field == "tranche_plan"
        return
    assert sum(t["percent"] for t in plan) == 100
    assert all(1 <= t["percent"] <= 100 and t["name"].strip() == t["name"] for t in plan)
    assert len({t["key"] for t in plan}) == len(plan)
    assert len({t["name"].casefold() for t in plan}) == len(plan)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(percents=st.lists(st.integers(1, 100), min_size=1, max_size=6))
def test_any_positive_split_summing_to_100_is_accepted(percents):
    rows = [{"name": f"Tranche {i}", "percent": p} for i, p in enumerate(percents)]
    if sum(percents) == 100:
        assert [t["percent"] for t in clean_tranche_plan(rows)] == percents
    else:
        with pytest.raises(ValidationFailed):
            clean_tranche_plan(rows)


# Review criteria ------------------------------------------------------------------------------


def test_default_criteria_are_valid():
    assert clean_criteria([dict(c) for c in DEFAULT_CRITERIA]) == DEFAULT_CRITERIA


@pytest.mark.parametrize("weight", [0, -1, None, "heavy", 1001])
def test_criteria_weights_must_be_positive_whole_numbers(weight):
    with pytest.raises(ValidationFailed) as caught:
        clean_criteria([{"name": "Team", "weight": weight}])
    assert caught.value.field == "review_criteria"


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "name": st.text(max_size=20),
                "weight": st.one_of(st.none(), st.integers(-5, 2000), st.text(max_size=3)),
            }
        ),
        max_size=14,
    )
)
def test_cleaned_criteria_have_names_and_positive_weights(rows):
    try:
        criteria = clean_criteria(rows)
    except ValidationFailed as error:
        assert error.field == "review_criteria"
        return
    assert 1 <= len(criteria) <= 12
    assert all(c["name"] and c["weight"] >= 1 for c in criteria)
    assert len({c["key"] for c in criteria}) == len(criteria)
