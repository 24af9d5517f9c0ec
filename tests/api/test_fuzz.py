"""The OpenAPI fuzzer (schemathesis) against /api/v1, with a staff token and a founder token.

Every operation of the document gets generated requests (derandomised, a few each): no answer
may be a server error, fall outside the document (status or body), or, for the founder, show
anything of another startup.
"""

from __future__ import annotations

import contextvars
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
from accelerator.extensions import db as _db
from accelerator.grants.models import Grant
from accelerator.programs.models import Cohort, Enrollment, Program
from accelerator.reviews.models import Review
from tests import factories

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = 6


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
        )
    }
    return {"staff": staff, "founder": founder, "mine": mine.id, "known": known}


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
    assert len(operations) >= 17
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
                shown = _startup_ids(response.json(), case.path)
                assert shown <= {world["mine"]}, f"{case.method} {case.formatted_path}: {shown}"

        fuzz()
    assert any(line.endswith(" 200") for line in seen)
