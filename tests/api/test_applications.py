"""/api/v1 startups and applications: founders read their own, and fill drafts by the page's
rules; staff read everything."""

from __future__ import annotations

from sqlalchemy import select

from accelerator.applications.models import Application, ApplicationStatus
from accelerator.core.models import AuditEvent
from accelerator.extensions import db


def _founder_with_startup(make, name="Société Éclair"):
    founder = make.make_user(role="founder", name="Élodie Fondatrice")
    startup = make.make_startup(name=name, founders=[founder])
    return founder, startup


def test_a_founder_starts_a_draft_and_fills_it(api, make):
    founder, startup = _founder_with_startup(make)
    cohort = make.make_cohort(phase="open")
    created = api.post(
        "/api/v1/applications",
        as_=founder,
        json={"cohort_id": cohort.id, "answers": {"one_liner": "Des réseaux plus sûrs"}},
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["status"] == "draft" and body["startup_id"] == startup.id
    assert body["answers"]["one_liner"] == "Des réseaux plus sûrs"

    again = api.post("/api/v1/applications", as_=founder, json={"cohort_id": cohort.id})
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]

    patched = api.patch(
        f"/api/v1/applications/{body['id']}",
        as_=founder,
        json={"answers": {"monthly_revenue_cents": 1_250_000, "currency": "EUR"}},
    )
    assert patched.status_code == 200
    answers = patched.get_json()["answers"]
    assert answers["monthly_revenue_cents"] == 1_250_000 and answers["currency"] == "EUR"
    actions = db.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.object_type == "applications", AuditEvent.object_id == body["id"]
        )
    ).all()
    assert "application.started" in actions and "application.draft_saved" in actions


def test_an_invalid_answer_is_refused_beside_its_field_with_the_pages_message(api, make):
    founder, startup = _founder_with_startup(make)
    application = make.make_application(startup=startup, status="draft", complete=False)
    response = api.patch(
        f"/api/v1/applications/{application.id}",
        as_=founder,
        json={"answers": {"one_liner": "x" * 201}},
    )
    assert response.status_code == 422
    body = response.get_json()
    assert body["field"] == "one_liner"
    assert body["detail"] == "Keep this under 200 characters."
    wrong_type = api.patch(
        f"/api/v1/applications/{application.id}",
        as_=founder,
        json={"answers": {"active_users": "many"}},
    )
    assert (
        wrong_type.status_code == 422 and "answers.active_users" in wrong_type.get_json()["errors"]
    )


def test_a_submitted_application_cannot_be_patched_409(api, make):
    founder, startup = _founder_with_startup(make)
    application = make.make_application(startup=startup, status="submitted")
    response = api.patch(
        f"/api/v1/applications/{application.id}", as_=founder, json={"answers": {"team": "Nous"}}
    )
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"


def test_a_closed_call_refuses_a_new_draft_409(api, make):
    founder, _startup = _founder_with_startup(make)
    cohort = make.make_cohort(phase="reviewing")
    response = api.post("/api/v1/applications", as_=founder, json={"cohort_id": cohort.id})
    assert response.status_code == 409
    assert "deadline has passed" in response.get_json()["detail"]


def test_staff_and_mentors_cannot_apply(api, make, staff, mentor):
    cohort = make.make_cohort(phase="open")
    for user in (staff, mentor):
        response = api.post("/api/v1/applications", as_=user, json={"cohort_id": cohort.id})
        assert response.status_code == 403


def test_a_read_token_cannot_write(api, make):
    founder, _startup = _founder_with_startup(make)
    cohort = make.make_cohort(phase="open")
    headers = make.bearer(founder, scopes=["applications:read"])
    response = api.post("/api/v1/applications", headers=headers, json={"cohort_id": cohort.id})
    assert response.status_code == 403
    assert "applications:write" in response.get_json()["detail"]
    assert db.session.scalar(select(Application).where(Application.cohort_id == cohort.id)) is None


def test_founders_see_only_their_startup_and_its_applications(api, make, staff):
    founder, startup = _founder_with_startup(make)
    mine = make.make_application(startup=startup)
    theirs = make.make_application()
    listed = api.get("/api/v1/applications", as_=founder).get_json()["items"]
    assert [a["id"] for a in listed] == [mine.id]
    assert api.get(f"/api/v1/applications/{theirs.id}", as_=founder).status_code == 404
    assert api.get(f"/api/v1/startups/{theirs.startup_id}", as_=founder).status_code == 404
    names = [s["name"] for s in api.get("/api/v1/startups", as_=founder).get_json()["items"]]
    assert names == ["Société Éclair"]
    every = {a["id"] for a in api.get("/api/v1/applications", as_=staff).get_json()["items"]}
    assert {mine.id, theirs.id} <= every


def test_status_history_and_filters(api, make, staff):
    from accelerator.applications import services

    founder, startup = _founder_with_startup(make)
    application = make.make_application(startup=startup, status="submitted")
    services.change_status(application, ApplicationStatus.IN_REVIEW, actor=staff)
    body = api.get(f"/api/v1/applications/{application.id}", as_=staff).get_json()
    assert [h["status"] for h in body["status_history"]] == ["in_review"]
    assert body["status_history"][0]["at"].endswith("+00:00")
    url = f"/api/v1/applications?cohort_id={application.cohort_id}"
    assert [a["id"] for a in api.get(url + "&status=in_review", as_=staff).get_json()["items"]] == [
        application.id
    ]
    assert api.get(url + "&status=draft", as_=staff).get_json()["items"] == []
