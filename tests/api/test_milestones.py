"""/api/v1 milestones and check-ins: who reads what, the filters, and a founder's check-in
submitted with the page's rules and messages."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from accelerator.applications.models import Startup
from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from accelerator.milestones.models import CheckIn
from tests.sessions.builders import make_pair


def _enrolled(make, name="Société Éclair"):
    cohort = make.make_cohort(phase="running")
    enrollment = make.make_enrolled(cohort=cohort, startup=make.make_startup(name=name))
    return enrollment, cohort, make.founder_of(enrollment)


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.get_json()
    return {item["id"] for item in response.get_json()["items"]}


def _body(cohort, **changes) -> dict:
    body = {
        "period": cohort.starts_on.isoformat(),
        "health": "green",
        "revenue": 450_000,
        "active_users": 120,
        "headcount": 6,
        "raised": 0,
        "pilots": 1,
        "highlights": "Premier client : Société Éclair",
    }
    body.update(changes)
    return body


def test_milestones_are_the_founders_and_staffs_never_another_startups(api, make, staff, mentor):
    mine, _cohort, founder = _enrolled(make)
    other, _other_cohort, _other_founder = _enrolled(make, name="Autre Startup")
    make_pair(mentor=mentor, startup=db.session.get(Startup, mine.startup_id))
    listed = api.get("/api/v1/milestones?limit=200", as_=founder).get_json()["items"]
    assert listed and {m["enrollment_id"] for m in listed} == {mine.id}
    theirs = api.get(f"/api/v1/milestones?enrollment_id={other.id}", as_=staff)
    first_other = next(iter(_ids(theirs)))
    assert api.get(f"/api/v1/milestones/{first_other}", as_=founder).status_code == 404
    assert _ids(api.get("/api/v1/milestones", as_=mentor)) == set()  # check-ins, not milestones


def test_milestone_filters_by_status_and_due_date(api, make, staff):
    enrollment, _cohort, _founder = _enrolled(make)
    url = f"/api/v1/milestones?enrollment_id={enrollment.id}&limit=200"
    every = api.get(url, as_=staff).get_json()["items"]
    assert {m["status"] for m in every} == {"planned"}
    assert _ids(api.get(url + "&status=approved", as_=staff)) == set()
    dues = sorted(m["due_on"] for m in every)
    later = _ids(api.get(url + f"&due_after={dues[-1]}", as_=staff))
    assert later == {m["id"] for m in every if m["due_on"] >= dues[-1]}
    earlier = _ids(api.get(url + f"&due_before={dues[-1]}", as_=staff))
    assert earlier and later.isdisjoint(earlier) and len(earlier | later) == len(every)


def test_checkins_are_read_by_founders_matched_mentors_and_staff(api, make, staff, mentor):
    mine, cohort, founder = _enrolled(make)
    other, other_cohort, _other = _enrolled(make, name="Autre Startup")
    own = make.make_checkin(mine, cohort.starts_on, highlights="Notre semaine")
    foreign = make.make_checkin(other, other_cohort.starts_on)
    assert _ids(api.get("/api/v1/checkins", as_=founder)) == {own.id}
    assert api.get(f"/api/v1/checkins/{foreign.id}", as_=founder).status_code == 404
    assert _ids(api.get("/api/v1/checkins", as_=mentor)) == set()
    make_pair(mentor=mentor, startup=db.session.get(Startup, mine.startup_id), cohort=cohort)
    assert _ids(api.get("/api/v1/checkins", as_=mentor)) == {own.id}
    body = api.get(f"/api/v1/checkins/{own.id}", as_=mentor).get_json()
    assert body["revenue"] == {"amount": 500_000, "currency": "USD"}
    assert {own.id, foreign.id} <= _ids(api.get("/api/v1/checkins?limit=200", as_=staff))


def test_checkin_filters_by_health_and_period(api, make, staff):
    enrollment, cohort, _founder = _enrolled(make)
    first = make.make_checkin(enrollment, cohort.starts_on, health="red")
    second = make.make_checkin(enrollment, cohort.starts_on + timedelta(days=7))
    url = f"/api/v1/checkins?enrollment_id={enrollment.id}"
    assert _ids(api.get(url + "&health=red", as_=staff)) == {first.id}
    after = (cohort.starts_on + timedelta(days=1)).isoformat()
    assert _ids(api.get(url + f"&period_after={after}", as_=staff)) == {second.id}
    assert _ids(api.get(url + f"&period_before={after}", as_=staff)) == {first.id}


def test_a_founder_submits_a_checkin_as_on_the_page(api, make):
    enrollment, cohort, founder = _enrolled(make)
    response = api.post("/api/v1/checkins", as_=founder, json=_body(cohort))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["enrollment_id"] == enrollment.id and body["health"] == "green"
    assert body["revenue"]["amount"] == 450_000 and body["created_at"].endswith("+00:00")
    stored = db.session.get(CheckIn, body["id"])
    assert stored.submitted_by_id == founder.id and stored.highlights.startswith("Premier")
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "checkin.submitted", AuditEvent.object_id == stored.id
        )
    )
    assert event is not None and event.actor_id == founder.id


def test_a_second_checkin_for_the_period_is_a_409_with_the_pages_message(api, make):
    _enrollment, cohort, founder = _enrolled(make)
    assert api.post("/api/v1/checkins", as_=founder, json=_body(cohort)).status_code == 201
    again = api.post("/api/v1/checkins", as_=founder, json=_body(cohort, health="red"))
    assert again.status_code == 409
    assert again.mimetype == "application/problem+json"
    problem = again.get_json()
    assert problem["detail"].startswith("There is already a check-in for this period")
    assert problem["field"] == "period" and "period" in problem["errors"]


def test_bad_checkins_are_422_beside_their_field(api, make):
    _enrollment, cohort, founder = _enrolled(make)
    negative = api.post("/api/v1/checkins", as_=founder, json=_body(cohort, revenue=-1))
    assert negative.status_code == 422
    assert negative.get_json()["errors"] == {"revenue": "This cannot be negative."}
    future = (cohort.ends_on - timedelta(days=1)).isoformat()
    later = api.post("/api/v1/checkins", as_=founder, json=_body(cohort, period=future))
    assert later.status_code == 422 and "period" in later.get_json()["errors"]
    colour = api.post("/api/v1/checkins", as_=founder, json=_body(cohort, health="blue"))
    assert colour.get_json()["errors"] == {"health": "Choose green, amber or red."}
    typed = api.post("/api/v1/checkins", as_=founder, json=_body(cohort, period="yesterday"))
    assert typed.status_code == 422 and "period" in typed.get_json()["errors"]
    assert (
        db.session.scalar(select(CheckIn.id).where(CheckIn.submitted_by_id == founder.id)) is None
    )


def test_only_the_startups_founders_submit(api, make, staff, mentor, founder):
    enrollment, cohort, _owner = _enrolled(make)
    body = _body(cohort, enrollment_id=enrollment.id)
    refused = api.post("/api/v1/checkins", as_=staff, json=body)
    assert refused.status_code == 403
    assert refused.get_json()["detail"] == "Only the startup's founders can fill its check-ins."
    assert api.post("/api/v1/checkins", as_=founder, json=body).status_code == 404
    assert api.post("/api/v1/checkins", as_=mentor, json=body).status_code == 404
    no_startup = api.post("/api/v1/checkins", as_=founder, json=_body(cohort))
    assert no_startup.status_code == 403


def test_a_read_only_token_cannot_submit(api, make):
    _enrollment, cohort, founder = _enrolled(make)
    _token, clear = make.make_token(founder, scopes=["milestones:read"])
    headers = {"Authorization": f"Bearer {clear}"}
    assert api.get("/api/v1/checkins", headers=headers).status_code == 200
    refused = api.post("/api/v1/checkins", headers=headers, json=_body(cohort))
    assert refused.status_code == 403 and "milestones:write" in refused.get_json()["detail"]


def test_ids_beyond_an_id_column_are_404_or_422_never_500(api, make, staff):
    """Ids are INTEGER columns (int4 in PostgreSQL): a bigger number names nothing."""
    import base64
    import json

    big = 2**31
    assert api.get(f"/api/v1/checkins/{big}", as_=staff).status_code == 404
    assert api.get(f"/api/v1/checkins?enrollment_id={big}", as_=staff).status_code == 422
    forged = base64.urlsafe_b64encode(json.dumps([big]).encode()).decode().rstrip("=")
    assert api.get(f"/api/v1/checkins?cursor={forged}", as_=staff).status_code == 422
