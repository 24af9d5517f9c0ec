"""The alumni pages through HTTP: the survey form (422 beside each field, everything typed
kept), consent, the timeline on the founder's and the staff's pages, the founder's home card,
the staff directory (filters, pagination, fixed statements) and its export."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from sqlalchemy import select

from accelerator.alumni.models import Survey, SurveyStatus
from accelerator.applications.models import Startup
from accelerator.extensions import db
from accelerator.programs.models import Cohort
from tests import factories

ANSWERS = {
    "raised": "1,500,000.50",
    "currency": "EUR",
    "round_type": "seed",
    "headcount": "12",
    "revenue_band": "100k_1m",
    "outcome": "operating",
    "contracts": "2",
    "contract_value": "80,000",
    "comment": "Série A en préparation.",
}


@pytest.fixture
def alumnus(db):
    startup = factories.make_startup(name="Société Éclair", sector="Énergie")
    return factories.make_alumnus(startup=startup, ended_days_ago=200)


def _founder(alumnus):
    return factories.founder_of(db.session.get(Startup, alumnus.startup_id))


def test_the_founder_answers_in_major_units_stored_as_cents(alumnus, login_as):
    survey = factories.survey_of(alumnus)
    client = login_as(_founder(alumnus))
    page = client.get(f"/alumni/surveys/{survey.id}")
    assert page.status_code == 200 and "Société Éclair, 6 months after" in page.text
    response = client.post(f"/alumni/surveys/{survey.id}", data=ANSWERS)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/alumni/startups/{alumnus.startup_id}")
    db.session.refresh(survey)
    assert survey.status == SurveyStatus.ANSWERED
    assert (survey.raised_cents, survey.contract_cents) == (150_000_050, 8_000_000)
    assert survey.comment == "Série A en préparation."
    page = client.get(f"/alumni/startups/{alumnus.startup_id}").text
    assert "€1,500,000.50" in page and 'data-headcount="12"' in page
    assert "answered the 6-month alumni survey" in page
    # the answer comes back in the form to correct
    form = client.get(f"/alumni/surveys/{survey.id}").text
    assert 'value="1,500,000.50"' in form and "You may correct these answers until" in form


def test_impossible_numbers_come_back_422_beside_each_field_with_what_was_typed(alumnus, login_as):
    survey = factories.survey_of(alumnus)
    client = login_as(_founder(alumnus))
    typed = {
        **ANSWERS,
        "raised": "-5,000",
        "headcount": "250000",
        "contracts": "0",
        "contract_value": "12,000",
        "outcome": "",
    }
    response = client.post(f"/alumni/surveys/{survey.id}", data=typed)
    assert response.status_code == 422
    page = response.text
    for message in (
        "The money raised cannot be negative.",
        "At most 100000 people",
        "A value without contracts",
        "Say whether the startup operates",
    ):
        assert message in page, message
    assert 'value="-5,000"' in page and 'value="250000"' in page and 'value="12,000"' in page
    assert "Série A en préparation." in page
    db.session.refresh(survey)
    assert survey.status == SurveyStatus.DUE


def test_raised_less_than_an_earlier_answer_is_refused_beside_it(login_as):
    alumnus = factories.make_alumnus(ended_days_ago=400)  # the 12-month survey is due
    founder = _founder(alumnus)
    factories.answer(factories.survey_of(alumnus, 6), founder, raised_cents=200_000_000)
    twelve = factories.survey_of(alumnus, 12)
    client = login_as(founder)
    response = client.post(f"/alumni/surveys/{twelve.id}", data=ANSWERS)
    assert response.status_code == 422
    assert "Less than the 6-month answer" in response.text
    assert 'data-earlier="6"' in response.text
    ok = client.post(f"/alumni/surveys/{twelve.id}", data={**ANSWERS, "raised": "2,500,000"})
    assert ok.status_code == 302


def test_staff_fill_it_in_on_the_founders_behalf(alumnus, login_as, staff):
    survey = factories.survey_of(alumnus)
    client = login_as(staff)
    assert "on the founders" in client.get(f"/alumni/surveys/{survey.id}").text
    assert client.post(f"/alumni/surveys/{survey.id}", data=ANSWERS).status_code == 302
    db.session.refresh(survey)
    assert survey.answered_by_id == staff.id


def test_the_founders_consent_to_be_listed_and_change_their_mind(alumnus, login_as):
    founder = _founder(alumnus)
    client = login_as(founder)
    page = client.get(f"/alumni/startups/{alumnus.startup_id}").text
    assert "is not listed on the program" in page and "List the startup publicly" in page
    url = f"/alumni/{alumnus.id}/listing"
    assert client.post(url, data={"listed": "yes"}).status_code == 302
    db.session.refresh(alumnus)
    assert alumnus.listed_at is not None and alumnus.listed_by_id == founder.id
    page = client.get(f"/alumni/startups/{alumnus.startup_id}").text
    assert "agreed to list the startup" in page and "Stop listing the startup" in page
    assert client.post(url, data={"listed": "no"}).status_code == 302
    db.session.refresh(alumnus)
    assert alumnus.listed_at is None
    assert client.post(url, data={"listed": "maybe"}).status_code == 302
    db.session.refresh(alumnus)
    assert alumnus.listed_at is None


def test_the_founder_home_card_shows_a_due_survey(alumnus, login_as):
    founder = _founder(alumnus)
    client = login_as(founder)
    survey = factories.survey_of(alumnus)
    page = client.get("/").text
    assert f'data-survey="{survey.id}"' in page and "Answer the survey" in page
    factories.answer(survey, founder)
    page = client.get("/").text
    assert f'data-survey="{survey.id}"' not in page and "No survey to answer now" in page
    fresh = factories.make_alumnus(ended_days_ago=30)
    page = login_as(_founder(fresh)).get("/").text
    assert "No survey to answer now" in page and "Answer the survey" not in page
    newcomer = factories.make_user(role="founder")
    factories.make_enrollment(startup=factories.make_startup(founders=[newcomer]))
    assert "founder-alumni" not in login_as(newcomer).get("/").text


def test_the_staff_startup_page_shows_the_timeline(alumnus, login_as, staff):
    factories.answer(factories.survey_of(alumnus), _founder(alumnus), headcount=7)
    page = login_as(staff).get(f"/reports/startups/{alumnus.startup_id}").text
    assert "After the program" in page and 'data-headcount="7"' in page
    other = factories.make_startup()
    assert "alumni-startup-section" not in login_as(staff).get(f"/reports/startups/{other.id}").text


def test_the_nav_link_is_for_staff_only(alumnus, login_as, staff):
    assert 'href="/alumni/"' in login_as(staff).get("/").text
    assert 'href="/alumni/"' not in login_as(_founder(alumnus)).get("/").text
    assert 'href="/alumni/"' not in login_as(factories.make_user(role="mentor")).get("/").text


# --- The directory and its export -----------------------------------------------------------


def _cohort_of(alumnus):
    return db.session.get(Cohort, alumnus.cohort_id)


def _population(alumnus):
    """Three more alumni of the same cohort: one acquired and listed, one closed, one silent."""
    from accelerator.alumni import services

    cohort = _cohort_of(alumnus)
    made = []
    for outcome in ("acquired", "closed", None):
        other = factories.make_alumnus(cohort=cohort)
        founder = _founder(other)
        if outcome:
            factories.answer(
                factories.survey_of(other),
                founder,
                outcome=outcome,
                round_type="series_a" if outcome == "acquired" else "none",
            )
        if outcome == "acquired":
            services.set_listing(other, listed=True, actor=founder)
        made.append(other)
    factories.answer(factories.survey_of(alumnus), _founder(alumnus))
    return made


def test_the_directory_lists_and_filters(alumnus, login_as, staff):
    acquired, closed, silent = _population(alumnus)
    client = login_as(staff)
    page = client.get("/alumni/").text
    for a in (alumnus, acquired, closed, silent):
        assert f'data-alumnus="{a.id}"' in page
    assert "Société Éclair" in page and "€1,500,000.00" in page

    def shown(query):
        text = client.get(f"/alumni/?{query}").text
        return {
            a.id for a in (alumnus, acquired, closed, silent) if f'data-alumnus="{a.id}"' in text
        }

    assert shown("outcome=acquired") == {acquired.id}
    assert shown("outcome=closed") == {closed.id}
    assert shown("listed=yes") == {acquired.id}
    assert shown("listed=no") == {alumnus.id, closed.id, silent.id}
    assert shown("round=series_a") == {acquired.id}
    assert shown("sector=%C3%89nergie") == {alumnus.id}
    assert shown(f"cohort={alumnus.cohort_id}") == {alumnus.id, acquired.id, closed.id, silent.id}
    assert shown(f"program={_cohort_of(alumnus).program_id + 1000}") == set()
    assert "No alumni match these filters." in client.get("/alumni/?outcome=closed&listed=yes").text
    from accelerator.alumni.reminders import send_surveys
    from accelerator.core.types import utcnow

    send_surveys(utcnow())
    row = client.get("/alumni/?outcome=&listed=no").text.split(f'data-alumnus="{silent.id}"')[1]
    assert "6 months: awaiting answer" in row.split("</tr>")[0]


def test_the_directory_paginates(alumnus, login_as, staff, app):
    cohort = _cohort_of(alumnus)
    for _ in range(3):
        factories.make_alumnus(cohort=cohort)
    app.config["PER_PAGE"], per_page = 2, app.config["PER_PAGE"]
    try:
        client = login_as(staff)
        first, second = client.get("/alumni/").text, client.get("/alumni/?page=2").text
        assert first.count('data-alumnus="') == 2 and second.count('data-alumnus="') == 2
        assert "Page 1 of 2" in first and "4 in all" in first
    finally:
        app.config["PER_PAGE"] = per_page


def test_the_directory_runs_a_fixed_number_of_statements(alumnus, login_as, staff, count_queries):
    client = login_as(staff)
    client.get("/alumni/")
    with count_queries() as small:
        assert client.get("/alumni/").status_code == 200
    _population(alumnus)
    for _ in range(6):
        other = factories.make_alumnus()
        factories.answer(factories.survey_of(other), _founder(other))
    with count_queries() as large:
        assert client.get("/alumni/").status_code == 200
    assert large.count == small.count


def test_the_export_in_csv_and_xlsx_follows_the_filters(alumnus, login_as, staff):
    acquired, _closed, _silent = _population(alumnus)
    client = login_as(staff)
    response = client.get("/alumni/export?format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 4
    mine = next(r for r in rows if r["Startup"] == "Société Éclair")
    assert mine["Raised since the program"] == "1500000.00" and mine["Currency"] == "EUR"
    assert mine["Outcome"] == "Operating" and mine["Listed publicly"] == "no"
    assert mine["Latest answer (months)"] == "6"
    response = client.get("/alumni/export?format=xlsx&outcome=acquired")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    header = [cell.value for cell in sheet[1]]
    (row,) = list(sheet.iter_rows(min_row=2, values_only=True))
    row = dict(zip(header, row, strict=True))
    assert row["Outcome"] == "Acquired" and row["Listed publicly"] == "yes"
    # Outcomes are confidential: each download is audited with who, the rows and the filters.
    from accelerator.core.models import AuditEvent

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "alumni.exported").order_by(AuditEvent.id)
    ).all()
    assert [(e.actor_id, e.data["rows"]) for e in events] == [(staff.id, 4), (staff.id, 1)]
    assert events[1].data["filters"]["outcome"] == "acquired"


def test_a_survey_is_private(alumnus, login_as):
    survey = factories.survey_of(alumnus)
    other_founder = factories.make_user(role="founder")
    factories.make_startup(founders=[other_founder])
    assert login_as(other_founder).get(f"/alumni/surveys/{survey.id}").status_code == 404
    for role in ("mentor", "partner"):
        user = factories.make_user(role=role)
        assert login_as(user).get(f"/alumni/surveys/{survey.id}").status_code == 403
        assert login_as(user).get(f"/alumni/startups/{alumnus.startup_id}").status_code == 403
    assert db.session.scalar(select(Survey.status).where(Survey.id == survey.id)) == "due"
