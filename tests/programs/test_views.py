"""Staff pages for programs, cohorts and tags, through HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from accelerator.programs.models import Cohort, CohortState, ExpertiseTag, Program


def cohort_form(**changes) -> dict:
    data = {
        "name": "Season 14",
        "description": "Who should apply.",
        "applications_open_at": "2026-03-01T09:00",
        "applications_close_at": "2026-04-15T18:00",
        "starts_on": "2026-05-11",
        "ends_on": "",
        "capacity": "6",
        "grant_amount": "20,000",
        "currency": "USD",
        "tranche_plan-0-key": "kickoff",
        "tranche_plan-0-name": "Kickoff",
        "tranche_plan-0-percent": "50",
        "tranche_plan-1-key": "midpoint",
        "tranche_plan-1-name": "Mid-program milestone",
        "tranche_plan-1-percent": "25",
        "tranche_plan-2-key": "demo_day",
        "tranche_plan-2-name": "Demo day",
        "tranche_plan-2-percent": "25",
        "tranche_plan-3-key": "",
        "tranche_plan-3-name": "",
        "tranche_plan-3-percent": "",
        "review_criteria-0-key": "team",
        "review_criteria-0-name": "Team",
        "review_criteria-0-weight": "60",
        "review_criteria-1-key": "",
        "review_criteria-1-name": "Traction",
        "review_criteria-1-weight": "40",
        "reviewers_per_application": "3",
        "confirmation_days": "7",
        "mentors_per_startup": "2",
    }
    data.update(changes)
    return data


@pytest.fixture
def staff_client(login_as, staff):
    return login_as(staff)


def refused(response, status: int = 409) -> str:
    """A refused action answers with its status and the page with the message at the top."""
    assert response.status_code == status, response.status_code
    return response.get_data(as_text=True)


def follow(client, response) -> str:
    """The page a POST redirected to (the test client's follow_redirects leaves the test's
    isolated app context, so the redirect is followed by hand)."""
    assert response.status_code == 302, response.status_code
    return client.get(response.location).get_data(as_text=True)


# Programs -------------------------------------------------------------------------------------


def test_program_list_shows_programs_and_cohort_phases(staff_client, make):
    program = make.make_program(name="Orange Fab France")
    make.make_cohort(program=program, phase="open", name="Season 13")
    make.make_cohort(program=program, phase="completed", name="Season 11")
    make.make_program(name="Orange Fab Silicon Valley")
    page = staff_client.get("/programs").get_data(as_text=True)
    assert "Orange Fab France" in page and "Orange Fab Silicon Valley" in page
    assert 'data-status="open"' in page and 'data-status="completed"' in page
    assert "No cohorts yet." in page


def test_program_list_empty_state(staff_client):
    assert "No programs yet" in staff_client.get("/programs").get_data(as_text=True)


def test_create_program(staff_client):
    response = staff_client.post(
        "/programs/new",
        data={
            "name": "Orange Fab Japan",
            "location": "Tokyo",
            "timezone": "Asia/Tokyo",
            "description": "",
        },
    )
    program = db.session.scalar(select(Program).where(Program.name == "Orange Fab Japan"))
    assert response.status_code == 302 and response.location == f"/programs/{program.id}"
    assert program.timezone == "Asia/Tokyo"


def test_create_program_refuses_an_unknown_timezone_and_a_duplicate_name(staff_client, make):
    make.make_program(name="Taken")
    page = staff_client.post(
        "/programs/new", data={"name": "Taken", "location": "X", "timezone": "Mars/Base"}
    ).get_data(as_text=True)
    assert "Not a valid choice" in page
    page = staff_client.post(
        "/programs/new", data={"name": "taken", "location": "X", "timezone": "UTC"}
    ).get_data(as_text=True)
    assert "A program with this name already exists." in page
    assert db.session.scalar(select(Program).where(Program.location == "X")) is None


def test_edit_program(staff_client, make):
    program = make.make_program(name="Old name")
    page = staff_client.get(f"/programs/{program.id}/edit").get_data(as_text=True)
    assert 'value="Old name"' in page
    response = staff_client.post(
        f"/programs/{program.id}/edit",
        data={"name": "New name", "location": "Lyon", "timezone": "Europe/Paris"},
    )
    assert response.status_code == 302
    assert db.session.get(Program, program.id).name == "New name"


def test_program_page_lists_its_cohorts(staff_client, make):
    program = make.make_program()
    make.make_cohort(program=program, name="Season 12", phase="running")
    make.make_cohort(name="Elsewhere")
    page = staff_client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert "Season 12" in page and "Elsewhere" not in page
    assert 'data-status="running"' in page


# Cohorts --------------------------------------------------------------------------------------


def test_new_cohort_form_is_prefilled_with_the_defaults(staff_client, make):
    program = make.make_program()
    page = staff_client.get(f"/programs/{program.id}/cohorts/new").get_data(as_text=True)
    for expected in (
        'value="6"',
        'value="20,000"',
        'value="Kickoff"',
        'value="50"',
        "Fit with the company&#39;s business units",
        'selected value="USD"',
    ):
        assert expected in page, expected
    assert "Europe/Paris" in page


def test_create_cohort_with_defaults(staff_client, make):
    program = make.make_program(timezone="America/Los_Angeles")
    response = staff_client.post(f"/programs/{program.id}/cohorts/new", data=cohort_form())
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == "Season 14"))
    assert response.status_code == 302 and response.location == f"/cohorts/{cohort.id}"
    assert cohort.state == CohortState.DRAFT
    # 09:00 in Los Angeles (PST, UTC-8) is 17:00 UTC.
    assert cohort.applications_open_at == datetime(2026, 3, 1, 17, 0, tzinfo=UTC)
    assert cohort.ends_on.isoformat() == "2026-08-11"
    assert cohort.grant_amount_cents == 2_000_000
    assert [t["percent"] for t in cohort.tranche_plan] == [50, 25, 25]
    assert cohort.review_criteria == [
        {"key": "team", "name": "Team", "weight": 60},
        {"key": "traction", "name": "Traction", "weight": 40},
    ]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"applications_close_at": "2026-02-01T09:00"}, "Applications must close after they open."),
        ({"starts_on": "2026-04-01"}, "The program must start after applications close."),
        ({"ends_on": "2026-05-01"}, "The program must end after it starts."),
        ({"capacity": "0"}, "Number must be between 1 and 500."),
        ({"grant_amount": "twenty"}, "Enter an amount such as 20000 or 20,000.00."),
        ({"grant_amount": "-5"}, "The grant must be a positive amount"),
        ({"grant_amount": "1.005"}, "Enter an amount such as"),
        (
            {"tranche_plan-0-percent": "60"},
            "The tranches add up to 110%; they must add up to 100%.",
        ),
        ({"review_criteria-0-weight": "0"}, "Number must be between 1 and 1000."),
        ({"currency": "BTC"}, "Not a valid choice"),
        ({"applications_open_at": "yesterday"}, "Not a valid datetime value."),
        ({"starts_on": "2026-02-30"}, "Not a valid date value."),
        ({"capacity": "99999999999999999999"}, "Number must be between 1 and 500."),
    ],
)
def test_cohort_form_shows_errors_beside_fields_and_saves_nothing(
    staff_client, make, changes, message
):
    program = make.make_program()
    response = staff_client.post(f"/programs/{program.id}/cohorts/new", data=cohort_form(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message.replace("'", "&#39;") in page
    assert "Please correct the fields marked below." in page
    assert db.session.scalar(select(Cohort)) is None


def test_edit_cohort_shows_local_times_and_saves(staff_client, make):
    program = make.make_program(timezone="Europe/Paris")
    cohort = make.make_cohort(
        program=program,
        phase="draft",
        applications_open_at=datetime(2026, 3, 1, 8, 0, tzinfo=UTC),
        applications_close_at=datetime(2026, 4, 15, 16, 0, tzinfo=UTC),
    )
    page = staff_client.get(f"/cohorts/{cohort.id}/edit").get_data(as_text=True)
    assert 'value="2026-03-01T09:00"' in page and 'value="2026-04-15T18:00"' in page
    response = staff_client.post(
        f"/cohorts/{cohort.id}/edit", data=cohort_form(name="Renamed", capacity="8")
    )
    assert response.status_code == 302
    cohort = db.session.get(Cohort, cohort.id)
    assert (cohort.name, cohort.capacity) == ("Renamed", 8)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cohort.updated")).data[
        "changed"
    ]


def test_cohort_page_shows_details_and_the_hooks_render(staff_client, make):
    cohort = make.make_cohort(phase="open", name="Season 13", grant_amount_cents=3_000_000)
    page = staff_client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Season 13" in page and "$30,000.00" in page and "$15,000.00" in page
    assert 'data-status="open"' in page and "Unpublish" in page
    assert "Team" in page and "weight 25" in page


def test_publish_then_unpublish_from_the_cohort_page(staff_client, make):
    cohort = make.make_cohort(phase="draft")
    assert "Publish" in staff_client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    page = follow(staff_client, staff_client.post(f"/cohorts/{cohort.id}/publish"))
    assert "is published on the calls page." in page
    assert db.session.get(Cohort, cohort.id).state == CohortState.PUBLISHED
    page = follow(staff_client, staff_client.post(f"/cohorts/{cohort.id}/unpublish"))
    assert "is back to draft" in page
    assert "cohort.published" in page and "cohort.unpublished" in page  # history
    assert "published Cohort" in page and "back to draft." in page  # read as sentences


def test_unpublish_refused_once_startups_applied(staff_client, make):
    cohort = make.make_cohort(phase="open")
    make.make_application(cohort=cohort)
    page = refused(staff_client.post(f"/cohorts/{cohort.id}/unpublish"))
    assert "cannot go back to draft" in page
    assert db.session.get(Cohort, cohort.id).state == CohortState.PUBLISHED


def test_cohort_list_narrows_to_a_program_and_a_phase(staff_client, make):
    paris, sf = make.make_program(name="Paris"), make.make_program(name="SF")
    make.make_cohort(program=paris, name="P-open", phase="open")
    make.make_cohort(program=paris, name="P-done", phase="completed")
    make.make_cohort(program=sf, name="S-open", phase="open")
    page = staff_client.get(f"/cohorts?program={paris.id}").get_data(as_text=True)
    assert "P-open" in page and "P-done" in page and "S-open" not in page
    page = staff_client.get("/cohorts?phase=open").get_data(as_text=True)
    assert "P-open" in page and "S-open" in page and "P-done" not in page
    # Junk filters are ignored, never a 500.
    assert staff_client.get("/cohorts?program=abc&phase=nope&page=-3").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/cohorts/999999",
        "/cohorts/999999/edit",
        "/programs/999999/edit",
        "/programs/999999/cohorts/new",
    ],
)
def test_unknown_ids_are_404(staff_client, url):
    assert staff_client.get(url).status_code == 404


# Tags -----------------------------------------------------------------------------------------


def test_tags_list_add_rename_delete(staff_client, make):
    make.make_tag("pricing")
    page = follow(staff_client, staff_client.post("/expertise", data={"name": "IoT"}))
    assert "Tag IoT added." in page and 'value="pricing"' in page
    tag = db.session.scalar(select(ExpertiseTag).where(ExpertiseTag.name == "IoT"))
    staff_client.post(f"/expertise/{tag.id}/rename", data={"name": "Internet of Things"})
    assert db.session.get(ExpertiseTag, tag.id).name == "Internet of Things"
    tag_id = tag.id
    staff_client.post(f"/expertise/{tag_id}/delete")
    assert db.session.get(ExpertiseTag, tag_id) is None


def test_tag_errors_are_shown(staff_client, make):
    make.make_tag("legal")
    tag = make.make_tag("finance")
    page = staff_client.post("/expertise", data={"name": "LEGAL"}).get_data(as_text=True)
    assert "This tag already exists." in page
    page = staff_client.post(f"/expertise/{tag.id}/rename", data={"name": "Legal"}).get_data(
        as_text=True
    )
    assert "This tag already exists." in page and "is-invalid" in page
    assert db.session.get(ExpertiseTag, tag.id).name == "finance"


def test_a_used_tag_shows_no_delete_button_and_cannot_be_deleted(staff_client, make):
    from accelerator.applications.models import startup_needs

    tag = make.make_tag("hiring")
    startup = make.make_startup()
    db.session.execute(startup_needs.insert().values(startup_id=startup.id, tag_id=tag.id))
    page = staff_client.get("/expertise").get_data(as_text=True)
    assert f"/expertise/{tag.id}/delete" not in page
    page = refused(staff_client.post(f"/expertise/{tag.id}/delete"))
    assert "This tag is in use" in page
    assert db.session.get(ExpertiseTag, tag.id) is not None


# Home panels ----------------------------------------------------------------------------------


def _render_panel(app, panel, user) -> str:
    """Render one home panel as the home page does (tested alone, apart from other domains')."""
    from flask import render_template

    from accelerator.core.hooks import home_founder, home_staff

    context = panel(user=user)
    if context is None:
        return ""
    (template,) = [
        c.template
        for c in home_staff.contributions() + home_founder.contributions()
        if c.context is panel
    ]
    with app.test_request_context():
        return render_template(template, context=context, **context)


def test_staff_home_panel_lists_cohorts_in_progress(app, staff, make):
    from accelerator.programs.panels import staff_panel

    make.make_cohort(phase="open", name="Season 13")
    make.make_cohort(phase="draft", name="Next Season")
    make.make_cohort(phase="completed", name="Season 1")
    html = _render_panel(app, staff_panel, staff)
    assert "Season 13" in html and "Next Season" in html and "Season 1<" not in html


def test_founder_home_panel_lists_open_calls(app, founder, make):
    from accelerator.programs.panels import founder_panel

    assert _render_panel(app, founder_panel, founder) == ""
    make.make_cohort(phase="open", name="Season 13")
    html = _render_panel(app, founder_panel, founder)
    assert "Open calls" in html and "Season 13" in html


def test_panels_are_registered_for_staff_and_founders():
    from accelerator.core.hooks import home_founder, home_staff
    from accelerator.programs.panels import founder_panel, staff_panel

    assert staff_panel in [c.context for c in home_staff.contributions()]
    assert founder_panel in [c.context for c in home_founder.contributions()]


def test_one_submit_shows_every_problem_at_once(staff_client, make):
    program = make.make_program()
    page = staff_client.post(
        f"/programs/{program.id}/cohorts/new",
        data=cohort_form(
            grant_amount="twenty",
            applications_close_at="2026-01-01T09:00",
            **{"tranche_plan-0-percent": "60"},
        ),
    ).get_data(as_text=True)
    assert "Enter an amount such as 20000 or 20,000.00." in page
    assert "Applications must close after they open." in page
    assert "The tranches add up to 110%" in page
