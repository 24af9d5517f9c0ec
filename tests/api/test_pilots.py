"""/api/v1 pilots: a partner reads their unit's, founders and matched mentors their startup's;
a running pilot's decision recorded by staff or the unit's partners, as on the page."""

from __future__ import annotations

from sqlalchemy import select

from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from accelerator.pilots.models import Pilot
from tests.sessions.builders import make_pair


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.get_json()
    return {item["id"] for item in response.get_json()["items"]}


def _pilot(make, status="running", startup=None):
    cohort = make.make_cohort(phase="running")
    startup = startup or make.make_startup(name="Société Éclair")
    make.make_enrollment(cohort=cohort, startup=startup)
    unit = make.make_unit(cohort=cohort, name="Banque Orange Île-de-France")
    introduction = make.make_introduction(
        unit=unit, startup=startup, cohort=cohort, status="accepted"
    )
    partner = make.make_partner(unit)
    pilot = make.make_pilot(status=status, introduction=introduction, owner=partner)
    return pilot, partner


def test_each_role_reads_its_own_pilots(api, make, staff, mentor):
    pilot, partner = _pilot(make)
    other, other_partner = _pilot(make)
    founder = make.founder_of(pilot)
    assert _ids(api.get("/api/v1/pilots", as_=partner)) == {pilot.id}
    assert _ids(api.get("/api/v1/pilots", as_=other_partner)) == {other.id}
    assert api.get(f"/api/v1/pilots/{pilot.id}", as_=other_partner).status_code == 404
    assert _ids(api.get("/api/v1/pilots", as_=founder)) == {pilot.id}
    assert api.get(f"/api/v1/pilots/{other.id}", as_=founder).status_code == 404
    assert _ids(api.get("/api/v1/pilots", as_=mentor)) == set()
    from accelerator.applications.models import Startup

    make_pair(mentor=mentor, startup=db.session.get(Startup, other.startup_id))
    assert _ids(api.get("/api/v1/pilots", as_=mentor)) == {other.id}
    assert {pilot.id, other.id} <= _ids(api.get("/api/v1/pilots?limit=200", as_=staff))
    body = api.get(f"/api/v1/pilots/{pilot.id}", as_=partner).get_json()
    assert body["budget"] == {"amount": 2_500_000, "currency": "EUR"}
    assert body["status"] == "running" and body["decision"] is None


def test_pilot_filters(api, make, staff):
    running, _partner = _pilot(make)
    scoping, _other = _pilot(make, status="scoping")
    unit = f"business_unit_id={running.business_unit_id}"
    assert _ids(api.get(f"/api/v1/pilots?{unit}&status=running", as_=staff)) == {running.id}
    assert _ids(api.get(f"/api/v1/pilots?{unit}&status=scoping", as_=staff)) == set()
    by_startup = api.get(f"/api/v1/pilots?startup_id={scoping.startup_id}", as_=staff)
    assert _ids(by_startup) == {scoping.id}
    due = running.decision_on.isoformat()
    assert _ids(api.get(f"/api/v1/pilots?{unit}&decision_after={due}", as_=staff)) == {running.id}
    assert _ids(api.get(f"/api/v1/pilots?{unit}&decision_before={due}", as_=staff)) == set()


def test_the_units_partner_records_a_go(api, make):
    pilot, partner = _pilot(make)
    decision = {"decision": "go", "contract_value": 9_000_000, "contract_reference": "BC-2026-17"}
    response = api.post(f"/api/v1/pilots/{pilot.id}/decision", as_=partner, json=decision)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "decided" and body["decision"] == "go"
    assert body["contract_value"] == {"amount": 9_000_000, "currency": "EUR"}
    assert body["decided_at"].endswith("+00:00")
    event = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.object_type == "pilots", AuditEvent.object_id == pilot.id)
        .order_by(AuditEvent.id.desc())
    )
    assert event.actor_id == partner.id and event.action.endswith("decided")
    again = api.post(f"/api/v1/pilots/{pilot.id}/decision", as_=partner, json=decision)
    assert again.status_code == 409 and again.mimetype == "application/problem+json"


def test_a_no_go_needs_its_reason_and_a_go_its_value(api, make, staff):
    pilot, _partner = _pilot(make)
    url = f"/api/v1/pilots/{pilot.id}/decision"
    no_go = api.post(url, as_=staff, json={"decision": "no_go"})
    assert no_go.status_code == 422
    assert no_go.get_json()["errors"] == {"reason": "Say why the unit does not go ahead."}
    go = api.post(url, as_=staff, json={"decision": "go"})
    assert go.status_code == 422 and "contract_value" in go.get_json()["errors"]
    unknown = api.post(url, as_=staff, json={"decision": "maybe"})
    assert unknown.status_code == 422 and "decision" in unknown.get_json()["errors"]
    assert db.session.get(Pilot, pilot.id).status == "running"
    done = api.post(url, as_=staff, json={"decision": "no_go", "reason": "Budget gelé"})
    assert done.status_code == 200 and done.get_json()["no_go_reason"] == "Budget gelé"


def test_who_may_not_decide(api, make):
    pilot, _partner = _pilot(make)
    _other, other_partner = _pilot(make)
    founder = make.founder_of(pilot)
    url = f"/api/v1/pilots/{pilot.id}/decision"
    body = {"decision": "no_go", "reason": "Pas pour nous"}
    refused = api.post(url, as_=founder, json=body)
    assert refused.status_code == 403
    assert refused.get_json()["detail"] == (
        "Only program staff and the unit's partners can change a pilot."
    )
    assert api.post(url, as_=other_partner, json=body).status_code == 404
    assert db.session.get(Pilot, pilot.id).decision is None
