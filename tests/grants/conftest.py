"""Fixtures for the grants tests: a $20,000 grant, two staff members, the founder."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def requester(db):
    return factories.make_user(role="staff", name="Rita Requester")


@pytest.fixture
def approver(db):
    return factories.make_user(role="staff", name="Abe Approver")


@pytest.fixture
def grant_founder(db):
    return factories.make_user(role="founder", name="Fiona Founder")


@pytest.fixture
def grant(db, grant_founder):
    """A $20,000 grant of a running cohort (plan 50/25/25) for a startup of grant_founder."""
    return factories.make_grant(founders=[grant_founder])
