"""The OpenAPI fuzzer (schemathesis) against /api/v1, with a staff token and a founder token.

Every operation of the document gets generated requests (derandomised, a few each), then the
same requests on every object that exists, both startups' included: no answer may be a server
error, fall outside the document (status or body), or, for the founder, show anything of
another startup or a mentor's private note. The world gives both startups everything the
resources list (applications, a grant and its ledger, an enrollment, milestones, a check-in, a
session with private notes, a pilot, a test campaign, a demo day and its guests).
"""

from __future__ import annotations

import contextvars
import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from accelerator.applications.models import Application, Startup
from accelerator.demoday.models import DemoDay, Guest
from accelerator.extensions import db as _db
from accelerator.grants.models import Grant
from accelerator.mentoring.models import Match
from accelerator.milestones.models import CheckIn, Milestone
from accelerator.pilots.models import Pilot
from accelerator.programs.models import Cohort, Enrollment, Program
from accelerator.reviews.models import Review
from accelerator.sessions.models import MentorSession
from accelerator.testers.models import Campaign
from tests import factories
from tests.sessions.builders import make_pair, make_session

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
#: Examples per operation and token (a deeper run: API_FUZZ_EXAMPLES=200).
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "6"))
PRIVATE = "Note privée du mentor"


class Isolated:
    """Each request in its own context (its own app context and `g`), as the test client's."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        body = contextvars.Context().run(lambda: list(self.app(environ, start_response)))
        _db.session.expire_all()
        return body


def _world() -> dict[str, Any]:
    staff = factories.make_user(role="staff", name="Sam Staff")
    admin = factories.make_user(role="admin", name="Ada Admin")
    founder = factories.make_user(role="founder", name="Élodie Fondatrice")
    mine = factories.make_startup(name="Société Éclair", founders=[founder])
    theirs = factories.make_startup(name="Autre Société")
    for startup in (mine, theirs):
        factories.make_application(startup=startup, cohort=factories.make_cohort(phase="open"))
        factories.make_application(startup=startup, status="draft", complete=False)
        grant = factories.make_grant(startup=startup)
        factories.make_disbursement(grant, amount_cents=100_000, requester=staff)
        factories.make_disbursement(
            grant, amount_cents=50_000, status="paid", requester=staff, approver=admin
        )
        _running_cohort_of(startup, staff)
    factories.make_review(application=factories.make_application(status="in_review"))
    factories.make_cohort(phase="draft")
    known = {
        name: list(_db.session.scalars(select(model.id)))
        for name, model in (
            ("program_id", Program),
            ("cohort_id", Cohort),
            ("enrollment_id", Enrollment),
            ("startup_id", Startup),
            ("application_id", Application),
            ("review_id", Review),
            ("grant_id", Grant),
            ("milestone_id", Milestone),
            ("checkin_id", CheckIn),
            ("match_id", Match),
            ("session_id", MentorSession),
            ("pilot_id", Pilot),
            ("campaign_id", Campaign),
            ("demo_day_id", DemoDay),
            ("guest_id", Guest),
        )
    }
    return {"staff": staff, "founder": founder, "mine": mine.id, "known": known}


def _running_cohort_of(startup, staff) -> None:
    """An enrollment in a running cohort and what hangs from it, each of every resource."""
    cohort = factories.make_cohort(phase="running")
    enrollment = factories.make_enrolled(cohort=cohort, startup=startup)
    factories.make_checkin(enrollment, cohort.starts_on)
    make_session(make_pair(startup=startup, cohort=cohort), private_notes=PRIVATE)
    unit = factories.make_unit(cohort=cohort)
    introduction = factories.make_introduction(
        unit=unit, startup=startup, cohort=cohort, status="accepted"
    )
    factories.make_pilot(status="running", introduction=introduction, actor=staff)
    factories.make_campaign(startup=startup, actor=staff)
    factories.make_guest(factories.make_demo_day(cohort), rsvp="yes", name="Hélène Invitée")


def _startup_ids(body: Any, path: str) -> set[int]:
    """Every startup id an answer shows: `startup_id` anywhere, and the ids of /startups."""
    found: set[int] = set()
    if isinstance(body, dict):
        if isinstance(body.get("startup_id"), int):
            found.add(body["startup_id"])
        if path.startswith("/api/v1/startups") and isinstance(body.get("id"), int):
            found.add(body["id"])
        for value in body.values():
            found |= _startup_ids(value, path)
    elif isinstance(body, list):
        for value in body:
            found |= _startup_ids(value, path)
    return found


@pytest.mark.parametrize("role", ["staff", "founder"])
def test_the_fuzzer_finds_no_error_no_answer_outside_the_schema_no_other_tenant(app, db, role):
    world = _world()
    headers = factories.bearer(world[role])
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", Isolated(app))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 35  # every resource group's operations are walked
    seen: list[str] = []

    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
        def fuzz(case):
            _check(case)
            if case.path_parameters:  # again on the objects that exist, the other's included
                columns = [world["known"][name] for name in case.path_parameters]
                for ids in zip(*columns, strict=False):  # as many as the shortest column
                    case.path_parameters = dict(zip(case.path_parameters, ids, strict=True))
                    _check(case)

        def _check(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)
            seen.append(f"{case.method} {case.path} {response.status_code}")
            if role == "founder" and response.status_code < 300 and response.content:
                assert PRIVATE not in response.text, "a mentor's private note reached a founder"
                shown = _startup_ids(response.json(), case.path)
                assert shown <= {world["mine"]}, f"{case.method} {case.formatted_path}: {shown}"

        fuzz()
    assert any(line.endswith(" 200") for line in seen)


#: The lists whose rows belong to a startup (directly or through an enrollment).
TENANT_LISTS = (
    "/api/v1/applications",
    "/api/v1/grants",
    "/api/v1/enrollments",
    "/api/v1/milestones",
    "/api/v1/checkins",
    "/api/v1/matches",
    "/api/v1/sessions",
    "/api/v1/pilots",
    "/api/v1/campaigns",
)


def test_every_row_of_a_startup_is_its_founders_or_a_404(api, db):
    """Each object of both startups, fetched by id with the founder's token: their own reads
    200, the other startup's 404 (never 200, never a 403 saying it exists)."""
    world = _world()
    staff, founder = factories.bearer(world["staff"]), factories.bearer(world["founder"])
    mine = set(
        _db.session.scalars(select(Enrollment.id).where(Enrollment.startup_id == world["mine"]))
    )
    seen = {"own": 0, "other": 0}
    for url in TENANT_LISTS:
        every = api.get(url + "?limit=200", headers=staff).get_json()["items"]
        assert every, f"{url} has no rows to test"
        for item in every:
            if "startup_id" not in item and "enrollment_id" not in item:
                continue
            own = item.get("startup_id") == world["mine"] or item.get("enrollment_id") in mine
            response = api.get(f"{url}/{item['id']}", headers=founder)
            assert response.status_code == (200 if own else 404), (url, item, own)
            if own:
                assert PRIVATE not in response.get_data(as_text=True)
                assert _startup_ids(response.get_json(), url) <= {world["mine"]}
            seen["own" if own else "other"] += 1
    assert seen["own"] >= len(TENANT_LISTS) and seen["other"] >= len(TENANT_LISTS)
