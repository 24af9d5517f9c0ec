"""Hold every route of the app against every role; a route missing from the table fails."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

from tests import factories
from tests.access import ROLES, Case, World

IGNORED = {"static", "bootstrap.static"}


def _access_modules():
    root = Path(__file__).parent
    for info in pkgutil.iter_modules([str(root)]):
        if info.ispkg and (root / info.name / "access.py").exists():
            yield importlib.import_module(f"tests.{info.name}.access")


MODULES = list(_access_modules())
CASES: dict[str, list[Case]] = {}
for module in MODULES:
    for endpoint, cases in module.CASES.items():
        assert endpoint not in CASES, f"{endpoint} listed twice"
        CASES[endpoint] = cases


def build_world() -> World:
    users = {
        role: factories.make_user(role=kind, name=f"{role} user")
        for role, kind in [
            ("founder", "founder"),
            ("other_founder", "founder"),
            ("mentor", "mentor"),
            ("other_mentor", "mentor"),
            ("staff", "staff"),
            ("admin", "admin"),
            ("partner", "partner"),
            ("other_partner", "partner"),
        ]
    }
    world = World(users)
    for module in MODULES:
        if hasattr(module, "build"):
            module.build(world)
    return world


def test_every_endpoint_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - IGNORED
    missing = sorted(endpoints - set(CASES))
    stale = sorted(set(CASES) - endpoints)
    assert not missing, f"endpoints without access expectations: {missing}"
    assert not stale, f"matrix lists endpoints that no longer exist: {stale}"


def test_every_method_of_every_endpoint_is_covered(app):
    uncovered = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in IGNORED:
            continue
        methods = (rule.methods or set()) - {"HEAD", "OPTIONS"}
        covered = {case.method for case in CASES.get(rule.endpoint, [])}
        if methods - covered:
            uncovered.append((rule.endpoint, sorted(methods - covered)))
    assert not uncovered, f"methods without a case: {uncovered}"


@pytest.mark.parametrize(
    "endpoint,case",
    [(endpoint, case) for endpoint, cases in sorted(CASES.items()) for case in cases],
    ids=lambda value: value if isinstance(value, str) else getattr(value, "method", ""),
)
def test_access(endpoint, case: Case, client, login_as, db):
    world = build_world()
    wrong = []
    for role in ROLES:
        # Staff and administrators act with a second factor verified in the session, unless
        # the case says otherwise (extra={"second_factor": False or "stale"}).
        verified = case.extra.get("second_factor", True) if role in ("staff", "admin") else False
        login_as(None if role == "anonymous" else world.users[role], second_factor=verified)
        url = case.resolve_url(world)
        data = case.resolve_data(world)
        if case.extra.get("api"):  # /api/v1: the role's bearer token (tests/api/access.py)
            headers = world.api_headers.get(role, {}) if case.extra["api"] == "token" else {}
            headers = {**headers, **case.extra.get("headers", {})}
            response = client.open(url, method=case.method, json=data, headers=headers)
        else:
            response = client.open(url, method=case.method, data=data)
        if response.status_code != case.expect[role]:
            wrong.append(f"{role}: {response.status_code} (expected {case.expect[role]})")
    assert not wrong, f"{case.method} {endpoint}: " + "; ".join(wrong)
