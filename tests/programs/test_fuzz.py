"""Generated input posted to the staff forms: never a 500, never a row that breaks a rule."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from accelerator.extensions import db
from accelerator.programs.models import Cohort, ExpertiseTag, Program
from tests.programs.test_views import cohort_form

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
junk = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "2026-02-30",
            "2026-04-15T18:00",
            "9999-12-31T23:59",
            "0001-01-01T00:00",
            "1e309",
            "NaN",
            "20,000.005",
            "\x00",
            "99999999999",
        ]
    ),
)
FIELDS = [
    "name",
    "applications_open_at",
    "applications_close_at",
    "starts_on",
    "ends_on",
    "capacity",
    "grant_amount",
    "currency",
    "tranche_plan-0-percent",
    "tranche_plan-1-name",
    "tranche_plan-7-percent",
    "review_criteria-0-weight",
    "review_criteria-0-key",
    "reviewers_per_application",
    "confirmation_days",
    "description",
]


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(FIELDS), junk, max_size=5))
def test_cohort_form_survives_generated_input(login_as, staff, make, changes):
    program = make.make_program()
    client = login_as(staff)
    response = client.post(f"/programs/{program.id}/cohorts/new", data=cohort_form(**changes))
    assert response.status_code in (302, 409, 422)
    for cohort in db.session.scalars(select(Cohort).where(Cohort.program_id == program.id)):
        assert cohort.applications_close_at > cohort.applications_open_at
        assert cohort.ends_on > cohort.starts_on > cohort.applications_close_at.date()
        assert cohort.capacity >= 1 and cohort.grant_amount_cents > 0
        assert sum(t["percent"] for t in cohort.tranche_plan) == 100
        assert all(c["weight"] >= 1 for c in cohort.review_criteria)
        assert "\x00" not in cohort.name + cohort.description


@FUZZ
@given(name=junk, location=junk, timezone=st.one_of(junk, st.just("Europe/Paris")))
def test_program_and_tag_forms_survive_generated_input(login_as, staff, name, location, timezone):
    client = login_as(staff)
    data = {"name": name, "location": location, "timezone": timezone}
    assert client.post("/programs/new", data=data).status_code in (302, 409, 422)
    assert client.post("/expertise", data={"name": name}).status_code in (302, 409, 422)
    for program in db.session.scalars(select(Program)):
        assert program.name.strip() and "\x00" not in program.name + program.location
    for tag in db.session.scalars(select(ExpertiseTag)):
        assert tag.name.strip() and "\x00" not in tag.name
