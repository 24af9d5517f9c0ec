"""One rendering of an application's answers for founder, staff and reviewer, and one field list."""

from __future__ import annotations

import re

import pytest

from accelerator.applications import exporting, fields, rows, startups
from accelerator.applications.forms import ApplicationForm, StartupForm
from accelerator.applications.models import Stage, startup_needs


def _answer_rows(page: str) -> dict[str, str]:
    """Field key -> its shown text, from the answers partial."""
    found = re.findall(
        r'<dd class="col-sm-8 prewrap" data-field="([a-z_]+)">(.*?)</dd>', page, re.S
    )
    return {key: " ".join(re.sub(r"<[^>]+>", " ", value).split()) for key, value in found}


@pytest.fixture
def sheet(make, staff, db):
    founder = make.make_user(role="founder")
    tag = make.make_tag("Go-to-market")
    startup = make.make_startup(
        founders=[founder], country="FR", stage=Stage.SEED, description="We map spare parts."
    )
    db.session.execute(startup_needs.insert().values(startup_id=startup.id, tag_id=tag.id))
    cohort = make.make_cohort()
    application = make.make_application(cohort=cohort, startup=startup, status="in_review")
    assignment = make.make_assignment(application=application, reviewer=staff)
    return founder, application, assignment


def test_every_audience_reads_the_same_answers(login_as, staff, sheet):
    founder, application, assignment = sheet
    pages = {
        "founder": login_as(founder).get(f"/applications/{application.id}"),
        "staff": login_as(staff).get(f"/applications/{application.id}"),
        "staff reviews": login_as(staff).get(f"/reviews/applications/{application.id}"),
        "reviewer": login_as(staff).get(f"/reviews/assignments/{assignment.id}/review"),
    }
    shown = {who: _answer_rows(r.get_data(as_text=True)) for who, r in pages.items()}
    for who, answers in shown.items():
        assert answers["one_liner"] == "Visual search for spare parts, from a phone photo.", who
        assert answers["country"] == "France" and answers["stage"] == "Seed", who
        assert answers["needs"] == "Go-to-market", who
        assert answers["description"] == "We map spare parts.", who
        assert answers == shown["founder"], who
    reviewer_page = pages["reviewer"].get_data(as_text=True)
    assert "Your company in one sentence" in reviewer_page and "In short" not in reviewer_page
    assert "FR · seed" not in reviewer_page


def test_the_answers_read_the_same_in_french(login_as, staff, sheet):
    """The startup's own fields are told from the application's by key: a field's lazy label,
    and so its hash, changes with the language."""
    _founder, application, _assignment = sheet
    client = login_as(staff)
    response = client.get(f"/applications/{application.id}", headers={"Accept-Language": "fr"})
    assert response.status_code == 200
    answers = _answer_rows(response.get_data(as_text=True))
    assert answers["description"] == "We map spare parts." and answers["stage"] == "Amorçage"


def test_form_labels_are_the_declared_labels(app):
    with app.test_request_context():
        profile = StartupForm()
        for f in fields.STARTUP_FIELDS:
            assert profile[f.key].label.text == str(f.label)
        form = ApplicationForm()
        for f in fields.APPLICATION_FIELDS:
            assert form[f.key].label.text == str(f.label)


def test_one_declaration_drives_service_import_and_export():
    assert tuple(f.key for f in fields.STARTUP_FIELDS) == startups.PROFILE_FIELDS
    assert set(rows.STARTUP_KEYS) >= set(startups.PROFILE_FIELDS)
    assert tuple(rows.APPLICATION_KEYS) == fields.ANSWER_KEYS
    for f in (*fields.STARTUP_FIELDS, *fields.APPLICATION_FIELDS):
        assert f.column in exporting.COLUMNS
    assert "description" in exporting.COLUMNS  # the issue: it was missing from the export


def test_a_posted_profile_value_reaches_the_service(app):
    with app.test_request_context(
        method="POST",
        data={
            "name": "Éclair",
            "country": "FR",
            "sector": "Fintech",
            "stage": "seed",
            "description": "x",
            "founded_year": "2020",
            "team_size": "4",
            "website": "example.com",
        },
    ):
        form = StartupForm()
        form.validate()
        values = form.profile_values()
    assert set(values) == {*startups.PROFILE_FIELDS, "needs"}
    assert values["team_size"] == 4 and values["website"] == "https://example.com"
