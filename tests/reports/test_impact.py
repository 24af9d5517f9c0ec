"""The impact report: its rules (latest answers, survival, money per currency, medians, jobs,
small groups, contracts), the staff page with its cohort filter, chart and downloads, and its
statement count."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from accelerator.extensions import db
from accelerator.programs.models import Program
from accelerator.reports.impact import program_impact
from tests import factories
from tests.reports import builders


def _program_of(cohort) -> Program:
    return db.session.get(Program, cohort.program_id)


def test_the_latest_answer_decides_survival(db):
    cohort = factories.make_cohort(phase="completed")
    closed_later = builders.make_alumnus(cohort)
    builders.make_survey(closed_later, months=6, outcome="operating")
    builders.make_survey(closed_later, months=12, outcome="closed")
    acquired = builders.make_alumnus(cohort)
    builders.make_survey(acquired, months=24, outcome="acquired")
    builders.make_survey(acquired, months=6, outcome="closed")
    waiting = builders.make_alumnus(cohort)  # an alumnus with no answer is not in the rate
    builders.make_survey(waiting, months=6, answered=False)
    operating = builders.make_alumnus(cohort)
    builders.make_survey(operating, months=6, outcome="operating")

    [figures] = program_impact(_program_of(cohort)).cohorts
    assert figures.count == 4
    assert len(figures.answered) == 3
    assert figures.surviving == 2
    assert figures.survival_rate == round(100 * 2 / 3, 1)
    assert figures.small  # 4 alumni: under 5


def test_no_answer_means_no_rate(db):
    cohort = factories.make_cohort(phase="completed")
    builders.make_alumnus(cohort)
    [figures] = program_impact(_program_of(cohort)).cohorts
    assert figures.survival_rate is None
    assert figures.raised == [] and figures.jobs_created is None


def test_money_is_grouped_per_currency_never_added_across(db):
    program = factories.make_program()
    euro = factories.make_cohort(program=program, phase="completed", currency="EUR")
    dollar = factories.make_cohort(program=program, phase="completed", currency="USD")
    for amount in (1_000_00, 5_000_00, 2_000_00):
        builders.make_survey(builders.make_alumnus(euro), raised_cents=amount, currency="EUR")
    for amount in (10_000_00, 30_000_00):
        builders.make_survey(builders.make_alumnus(dollar), raised_cents=amount, currency="USD")
    # A later answer replaces an earlier one (cumulative): only the 12-month figure counts.
    later = builders.make_alumnus(euro)
    builders.make_survey(later, months=6, raised_cents=50_00, currency="EUR")
    builders.make_survey(later, months=12, raised_cents=4_000_00, currency="EUR")

    report = program_impact(program)
    by_cohort = {f.cohort.id: f for f in report.cohorts}
    [eur] = by_cohort[euro.id].raised
    assert (eur.currency, eur.count, eur.total, eur.median) == ("EUR", 4, 12_000_00, 3_000_00)
    [usd] = by_cohort[dollar.id].raised
    assert (usd.total, usd.median) == (40_000_00, 20_000_00)
    assert [(m.currency, m.total) for m in report.total.raised] == [
        ("EUR", 12_000_00),
        ("USD", 40_000_00),
    ]
    assert report.currencies == ["EUR", "USD"]


def test_jobs_created_count_from_the_team_size_given_when_applying(db):
    cohort = factories.make_cohort(phase="completed")
    builders.make_survey(builders.make_alumnus(cohort, team_size=2), headcount=7)
    builders.make_survey(builders.make_alumnus(cohort, team_size=5), headcount=3)
    builders.make_survey(builders.make_alumnus(cohort, team_size=None), headcount=10)
    [figures] = program_impact(_program_of(cohort)).cohorts
    assert figures.jobs_created == (7 - 2) + (3 - 5)
    assert figures.team_known == 2
    assert figures.headcount == 20


def test_small_groups_are_marked_not_hidden_for_staff(db):
    program, past, call = builders.make_impact_program(alumni=6)
    small = factories.make_cohort(program=program, phase="completed")
    builders.make_survey(builders.make_alumnus(small), raised_cents=5_00)
    report = program_impact(program)
    by_cohort = {f.cohort.id: f for f in report.cohorts}
    assert not by_cohort[past.id].small and by_cohort[small.id].small
    assert by_cohort[call.id].count == 0 and by_cohort[call.id].small
    assert report.total.count == 7 and not report.total.small


def test_go_pilots_count_as_contracts_with_their_value(db):
    from tests.pilots.outcome_data import make_season

    season = make_season()
    report = program_impact(season.program)
    total_go = sum(f.go for f in report.cohorts)
    from accelerator.pilots.queries import pilot_outcomes

    outcomes = pilot_outcomes(season.program.id)
    assert total_go == outcomes.total.go > 0
    assert report.total.contract_value == outcomes.total.contract_value


def test_contracts_reported_by_the_alumni_come_from_their_latest_answers(db):
    cohort = factories.make_cohort(phase="completed")
    first = builders.make_alumnus(cohort)
    builders.make_survey(first, months=6, contracts=1, contract_cents=10_000_00)
    builders.make_survey(first, months=12, contracts=2, contract_cents=25_000_00)
    builders.make_survey(
        builders.make_alumnus(cohort), contracts=1, contract_cents=7_000_00, currency="USD"
    )
    [figures] = program_impact(_program_of(cohort)).cohorts
    assert figures.reported_contracts == 3
    assert figures.reported_contract_values == [("EUR", 25_000_00), ("USD", 7_000_00)]


def test_listed_only_keeps_the_consenting_alumni(db):
    program, past, _call = builders.make_impact_program(alumni=6, listed=2)
    [figures] = [
        f for f in program_impact(program, listed_only=True).cohorts if f.cohort.id == past.id
    ]
    assert [a.name for a in figures.alumni] == ["Société Éclair 0", "Société Éclair 1"]


# ---------------------------------------------------------------------------- the staff page


@pytest.fixture
def impact_program(db):
    return builders.make_impact_program(alumni=6)


def test_the_page_compares_cohorts_and_filters_them(impact_program, login_as, staff):
    program, past, call = impact_program
    client = login_as(staff)
    html = client.get(f"/reports/impact?program={program.id}").get_data(as_text=True)
    assert f'data-cohort="{past.id}"' in html and f'data-cohort="{call.id}"' in html
    assert "fewer than 5 startups" in html  # the open call has no alumni: marked small
    assert "€210,000.00" in html  # raised: (1 + ... + 6) × €10,000, the latest answers
    assert f"/reports/programs/{program.id}/impact.json" in html
    only = client.get(f"/reports/impact?program={program.id}&cohort={past.id}")
    text = only.get_data(as_text=True)
    assert only.status_code == 200
    assert f'data-cohort="{past.id}"' in text and f'data-cohort="{call.id}"' not in text


def test_the_page_reads_in_french(impact_program, login_as, staff):
    program, _past, _call = impact_program
    client = login_as(staff)
    response = client.get(
        f"/reports/impact?program={program.id}", headers={"Accept-Language": "fr"}
    )
    assert response.status_code == 200
    assert "210\u202f000,00\xa0€" in response.get_data(as_text=True)


def test_an_unknown_program_or_cohort(impact_program, login_as, staff):
    program, _past, _call = impact_program
    client = login_as(staff)
    assert client.get("/reports/impact?program=999999").status_code == 404
    assert client.get(f"/reports/impact?program={program.id}&cohort=abc").status_code == 200
    assert client.get("/reports/programs/999999/impact.json").status_code == 404


def test_no_program_yet(db, login_as, staff):
    response = login_as(staff).get("/reports/impact")
    assert response.status_code == 200
    assert "No program yet." in response.get_data(as_text=True)


def test_the_chart_data(impact_program, login_as, staff):
    program, past, _call = impact_program
    data = login_as(staff).get(f"/reports/programs/{program.id}/impact.json").get_json()
    assert data["type"] == "bar" and past.name in data["labels"]
    alumni = data["datasets"][0]["data"][data["labels"].index(past.name)]
    assert alumni == 6


def test_the_downloads(impact_program, login_as, staff):
    program, past, _call = impact_program
    client = login_as(staff)
    response = client.get(f"/reports/programs/{program.id}/impact.csv?cohort={past.id}")
    assert response.status_code == 200
    frame = pd.read_csv(io.BytesIO(response.data))
    assert list(frame.iloc[:, 0]) == [past.name, "All cohorts"]
    assert frame.iloc[0, 2] == 6  # alumni
    workbook = load_workbook(
        io.BytesIO(client.get(f"/reports/programs/{program.id}/impact.xlsx").data)
    )
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert "Alumni" in headers and any("EUR" in str(h) for h in headers)


def _go_pilot(cohort) -> None:
    """A pilot of `cohort` decided go, with its contract value."""
    introduction = factories.make_introduction(cohort=cohort, status="accepted")
    factories.make_pilot(status="decided", introduction=introduction)


def _grow(program, past, alumni: int) -> None:
    more = factories.make_cohort(program=program, phase="completed")
    _go_pilot(more)
    _go_pilot(past)
    for cohort in (past, more):
        for i in range(alumni):
            alumnus = builders.make_alumnus(cohort, team_size=3, listed=True)
            builders.make_survey(alumnus, months=6, currency="USD" if i % 2 else "EUR")
            builders.make_survey(alumnus, months=12, outcome="closed" if i % 3 else "acquired")
        for _ in range(alumni):
            application = factories.make_application(cohort=cohort)
            factories.make_review(application=application, feedback_tags=["team"])


@pytest.mark.parametrize(
    "url",
    [
        "/reports/impact?program={p}",
        "/reports/programs/{p}/impact.json",
        "/reports/programs/{p}/impact.csv",
    ],
)
def test_statements_do_not_grow_with_the_data(url, impact_program, login_as, staff, count_queries):
    program, past, _call = impact_program
    _go_pilot(past)
    client = login_as(staff)
    url = url.format(p=program.id)
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _grow(program, past, 8)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count, (url, small.count, large.count)
