"""The shared staff filter (program/cohort) and the SQL mirror of the cohort phase."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs.filters import (
    cohort_choices,
    narrow,
    phase_condition,
    program_choices,
    selected_filter,
)
from accelerator.programs.models import Cohort, CohortState, Phase


def test_cohort_choices_are_grouped_by_program(make):
    paris, sf = make.make_program(name="Paris"), make.make_program(name="SF")
    s12 = make.make_cohort(program=paris, name="Season 12", phase="running")
    s13 = make.make_cohort(program=paris, name="Season 13", phase="open")
    c8 = make.make_cohort(program=sf, name="Cohort 8", phase="upcoming")
    assert [(c.value, c.label, c.optgroup) for c in cohort_choices()] == [
        (str(s13.id), "Season 13", "Paris"),
        (str(s12.id), "Season 12", "Paris"),
        (str(c8.id), "Cohort 8", "SF"),
    ]
    assert [c.label for c in program_choices()] == ["Paris", "SF"]


def test_selected_filter_ignores_junk():
    assert selected_filter({"program": "3", "cohort": "7"}) == (3, 7)
    assert selected_filter({"program": "x", "cohort": "-1"}) == (None, None)
    assert selected_filter({"cohort": "99999999999999"}) == (None, None)
    assert selected_filter({}) == (None, None)


def test_narrow_by_program_or_cohort(make):
    paris, sf = make.make_program(), make.make_program()
    a = make.make_application(cohort=make.make_cohort(program=paris))
    b = make.make_application(cohort=make.make_cohort(program=sf))
    from accelerator.applications.models import Application

    def ids(program_id=None, cohort_id=None):
        statement = narrow(select(Application.id), Application.cohort_id, program_id, cohort_id)
        return set(db.session.scalars(statement))

    assert ids() == {a.id, b.id}
    assert ids(program_id=paris.id) == {a.id}
    assert ids(cohort_id=b.cohort_id) == {b.id}
    assert ids(program_id=paris.id, cohort_id=b.cohort_id) == set()


def test_the_filter_partial_renders_grouped_options(app, make):
    from flask import render_template_string

    program = make.make_program(name="Paris")
    cohort = make.make_cohort(program=program, name="Season 13")
    with app.test_request_context(f"/?cohort={cohort.id}"):
        html = render_template_string(
            '{% set filter_program = true %}{% include "programs/_cohort_filter.html" %}'
        )
    assert 'name="program"' in html and 'name="cohort"' in html
    assert '<optgroup label="Paris">' in html
    assert f'<option value="{cohort.id}" selected>Season 13</option>' in html


DAY = timedelta(days=1)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    opens=st.integers(-400, 400),
    open_days=st.integers(1, 60),
    start_gap=st.integers(1, 60),
    length=st.integers(1, 120),
    draft=st.booleans(),
)
def test_the_sql_phase_matches_the_python_phase(make, opens, open_days, start_gap, length, draft):
    now = utcnow().replace(microsecond=0)
    open_at = now + opens * DAY + timedelta(hours=1)
    close_at = open_at + open_days * DAY
    starts_on = close_at.date() + start_gap * DAY
    cohort = make.make_cohort(
        state=CohortState.DRAFT if draft else CohortState.PUBLISHED,
        applications_open_at=open_at,
        applications_close_at=close_at,
        starts_on=starts_on,
        ends_on=starts_on + length * DAY,
    )
    matching = [
        phase
        for phase in Phase
        if db.session.scalar(
            select(Cohort.id).where(Cohort.id == cohort.id, phase_condition(phase, now))
        )
    ]
    assert matching == [cohort.phase_at(now)]
    db.session.delete(cohort)
    db.session.flush()


def test_phase_boundaries(make):
    moment = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    cohort = make.make_cohort(
        applications_open_at=moment,
        applications_close_at=moment + 10 * DAY,
        starts_on=date(2026, 6, 20),
        ends_on=date(2026, 9, 20),
    )
    assert cohort.phase_at(moment - timedelta(seconds=1)) == Phase.UPCOMING
    assert cohort.phase_at(moment) == Phase.OPEN
    assert cohort.phase_at(moment + 10 * DAY) == Phase.REVIEWING
    assert cohort.phase_at(datetime(2026, 6, 20, 0, 0, tzinfo=UTC)) == Phase.RUNNING
    assert cohort.phase_at(datetime(2026, 9, 20, 23, 0, tzinfo=UTC)) == Phase.RUNNING
    assert cohort.phase_at(datetime(2026, 9, 21, 0, 0, tzinfo=UTC)) == Phase.COMPLETED
