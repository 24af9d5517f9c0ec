"""Schemathesis walks every /api/v1 operation of the OpenAPI document with a staff token and
a founder's token: no server error, no response outside the document, and the founder's
token never reads another startup's rows.

The world holds two startups with everything the resources list (enrollment, milestones, a
check-in, a mentor and a session with private notes, a pilot, a test campaign, a demo day and
its guests), so every list has rows of both tenants to leak.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories
from tests.sessions.builders import make_pair, make_session

PRIVATE = "Note privée du mentor"
STATUSES: list[tuple[str, int]] = []
#: Examples per operation and token: the whole walk stays well under a minute a token (more
#: for a deeper run: API_FUZZ_EXAMPLES=200).
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "12"))


@dataclass
class Tenant:
    startup_id: int
    enrollment_ids: set[int] = field(default_factory=set)


def _tenant(staff, name: str) -> tuple[Tenant, object]:
    cohort = factories.make_cohort(phase="running")
    startup = factories.make_startup(name=name)
    enrollment = factories.make_enrolled(cohort=cohort, startup=startup)
    factories.make_checkin(enrollment, cohort.starts_on)
    session = make_session(make_pair(startup=startup, cohort=cohort), private_notes=PRIVATE)
    assert session.id
    unit = factories.make_unit(cohort=cohort)
    introduction = factories.make_introduction(
        unit=unit, startup=startup, cohort=cohort, status="accepted"
    )
    factories.make_pilot(status="running", introduction=introduction, actor=staff)
    factories.make_campaign(startup=startup, actor=staff)
    day = factories.make_demo_day(cohort)
    factories.make_guest(day, rsvp="yes", name="Hélène Invitée")
    return Tenant(startup.id, {enrollment.id}), factories.founder_of(startup)


@pytest.fixture
def fuzz_world(db):
    staff = factories.make_user(role="staff")
    mine, founder = _tenant(staff, "Société Éclair")
    _theirs, _other = _tenant(staff, "Autre Jeune Pousse")
    return {
        "tenant": mine,
        "staff": factories.bearer(staff),
        "founder": factories.bearer(founder),
    }


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _objects(body):
    """Every JSON object of a response: a page's items, or the one object."""
    if isinstance(body, dict):
        yield body
        for item in body.get("items") or []:
            if isinstance(item, dict):
                yield item


def assert_own_rows_only(tenant: Tenant, response) -> None:
    """A founder's token reads their startup's rows and no one else's."""
    body = response.content if hasattr(response, "content") else response.get_data()
    if response.status_code != 200 or not body:
        return
    text = body.decode()
    assert PRIVATE not in text, "a mentor's private note reached a founder"
    for item in _objects(json.loads(text)):
        if "startup_id" in item and "items" not in item:
            assert item["startup_id"] == tenant.startup_id, f"another startup's row: {item}"
        if "enrollment_id" in item:
            assert item["enrollment_id"] in tenant.enrollment_ids, f"another's row: {item}"


def test_the_api_holds_for_staff_and_a_founder(app, client, fuzz_world):
    # The document read through the test's client (its own context: the world stays), then
    # every call made on the app through the same client.
    schema = schemathesis.openapi.from_dict(client.get("/api/v1/openapi.json").get_json())
    schema.app = app
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20  # every resource group's operations are walked
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        @given(case=operation.as_strategy())
        def walk(case):
            # The test's client: each request in its own context, on the test's transaction.
            case.call_and_validate(session=client, headers=fuzz_world["staff"], checks=CHECKS)
            response = case.call_and_validate(
                session=client, headers=fuzz_world["founder"], checks=CHECKS
            )
            assert_own_rows_only(fuzz_world["tenant"], response)
            STATUSES.append((case.path, response.status_code))

        walk()
    answered = {path for path, status in STATUSES if status == 200}
    assert set(TENANT_LISTS) <= answered, f"lists the founder never read: {sorted(answered)}"


#: The lists whose rows belong to a startup (directly or through an enrollment).
TENANT_LISTS = (
    "/api/v1/enrollments",
    "/api/v1/milestones",
    "/api/v1/checkins",
    "/api/v1/matches",
    "/api/v1/sessions",
    "/api/v1/pilots",
    "/api/v1/campaigns",
)


def test_every_row_staff_list_is_the_founders_or_a_404(api, fuzz_world):
    """Each object of both tenants, fetched by id with the founder's token: their own reads
    200, the other startup's 404 (never 200, never 403 saying it exists)."""
    tenant = fuzz_world["tenant"]
    seen = {"own": 0, "other": 0}
    for url in TENANT_LISTS:
        every = api.get(url + "?limit=200", headers=fuzz_world["staff"]).get_json()["items"]
        assert every, f"{url} has no rows to test"
        for item in every:
            own = item.get("startup_id") == tenant.startup_id or (
                item.get("enrollment_id") in tenant.enrollment_ids
            )
            if "startup_id" not in item and "enrollment_id" not in item:
                continue
            response = api.get(f"{url}/{item['id']}", headers=fuzz_world["founder"])
            assert response.status_code == (200 if own else 404), (url, item, own)
            if own:
                assert_own_rows_only(tenant, response)
            seen["own" if own else "other"] += 1
    assert seen["own"] >= len(TENANT_LISTS) and seen["other"] >= len(TENANT_LISTS)
