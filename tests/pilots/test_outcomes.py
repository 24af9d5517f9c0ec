"""The pilots report's figures on known data: counts, rates, the median, contract value per
currency, the cohort filter, and no data at all (no division by zero)."""

from __future__ import annotations

import pytest

from accelerator.pilots.models import Decision
from accelerator.pilots.outcomes import pilot_outcomes
from tests import factories
from tests.pilots.outcome_data import make_decided, make_season


@pytest.fixture
def season(db):
    """See tests/pilots/outcome_data.make_season: the figures below are worked out from it."""
    return make_season()


def _by_name(rows):
    return {row.name: row for row in rows}


def test_figures_per_business_unit(season):
    units = _by_name(pilot_outcomes(season.program.id).units)
    assert list(units) == ["Orange Bank", "Orange Cyberdéfense", "Orange Wholesale"]
    bank = units["Orange Bank"]
    assert (bank.introductions, bank.accepted, bank.declined, bank.answered) == (6, 4, 1, 5)
    assert bank.acceptance_rate == 80.0
    assert bank.started == 4  # three decided and one running
    assert (bank.go, bank.no_go, bank.decided) == (2, 1, 3)
    assert bank.go_rate == 66.7
    assert bank.median_days == 20.0
    assert bank.contract_values == [("EUR", 12_000_000), ("USD", 5_000_000)]

    cyber = units["Orange Cyberdéfense"]
    assert (cyber.introductions, cyber.acceptance_rate, cyber.started) == (2, 50.0, 0)
    assert cyber.go_rate is None and cyber.median_days is None and cyber.contract_values == []


def test_figures_per_cohort_and_in_all(season):
    report = pilot_outcomes(season.program.id)
    cohorts = _by_name(report.cohorts)
    assert list(cohorts) == ["Season 12", "Season 11"]  # newest first
    assert cohorts["Season 12"].introductions == 6 and cohorts["Season 12"].go == 2
    assert cohorts["Season 11"].introductions == 2 and cohorts["Season 11"].started == 0
    total = report.total
    assert (total.introductions, total.accepted, total.declined) == (8, 5, 2)
    assert total.acceptance_rate == 71.4
    assert (total.started, total.go_rate, total.median_days) == (4, 66.7, 20.0)
    assert report.currencies == ["EUR", "USD"]


def test_a_cohort_narrows_every_table(season):
    report = pilot_outcomes(season.program.id, season.s11.id)
    assert [row.name for row in report.cohorts] == ["Season 11"]
    units = _by_name(report.units)
    assert units["Orange Bank"].introductions == 0
    assert units["Orange Cyberdéfense"].introductions == 2
    assert report.total.introductions == 2 and report.currencies == []


def test_an_even_number_of_decisions_takes_the_middle_of_two(season):
    make_decided(season.cyber, season.s11, days=3, decision=Decision.NO_GO)
    make_decided(season.cyber, season.s11, days=6)
    cyber = _by_name(pilot_outcomes(season.program.id).units)["Orange Cyberdéfense"]
    assert cyber.median_days == 4.5
    assert cyber.go_rate == 50.0


def test_no_data_divides_by_nothing(db):
    program = factories.make_program()
    report = pilot_outcomes(program.id)
    assert report.units == [] and report.cohorts == []
    assert report.total.acceptance_rate is None and report.total.go_rate is None
    assert report.total.median_days is None and report.currencies == []

    factories.make_unit(program=program, name="Orange Bank")
    factories.make_cohort(program=program, phase="running")
    report = pilot_outcomes(program.id)
    (unit,) = report.units
    (cohort,) = report.cohorts
    for row in (unit, cohort, report.total):
        assert row.introductions == row.started == row.go == 0
        assert row.acceptance_rate is None and row.go_rate is None and row.median_days is None


def test_a_fixed_number_of_statements(season, count_queries):
    with count_queries() as counted:
        pilot_outcomes(season.program.id)
    assert counted.count == 4
    other = factories.make_program()
    with count_queries() as empty:
        pilot_outcomes(other.id)
    assert empty.count == 2  # no unit: nothing more to count
