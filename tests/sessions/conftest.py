"""Fixtures for the sessions side of mentoring: a running cohort, a startup with its founder,
its matched mentor, and an unmatched mentor and founder."""

from __future__ import annotations

import pytest

from tests import factories
from tests.sessions.builders import make_pair


@pytest.fixture
def pair_founder(db):
    return factories.make_user(role="founder", name="Fay Founder")


@pytest.fixture
def pair_mentor(db):
    return factories.make_user(role="mentor", name="Max Mentor")


@pytest.fixture
def startup(db, pair_founder):
    return factories.make_startup(name="Lumen Networks", founders=[pair_founder])


@pytest.fixture
def pair(db, startup, pair_mentor):
    return make_pair(mentor=pair_mentor, startup=startup)


@pytest.fixture
def stranger_mentor(db):
    return factories.make_user(role="mentor", name="Other Mentor")


@pytest.fixture
def stranger_founder(db):
    founder = factories.make_user(role="founder", name="Other Founder")
    factories.make_startup(name="Elsewhere", founders=[founder])
    return founder
