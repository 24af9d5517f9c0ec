"""Fixtures for the milestones tests: an enrolled startup with its grant, plan and founder."""

from __future__ import annotations

import pytest

from accelerator.extensions import db
from accelerator.programs.models import Cohort
from tests import factories


@pytest.fixture
def ms_founder(db):
    return factories.make_user(role="founder", name="Fiona Founder")


@pytest.fixture
def enrollment(db, ms_founder):
    """A startup of ms_founder enrolled in a running cohort (started 30 days ago)."""
    return factories.make_enrolled(founders=[ms_founder])


@pytest.fixture
def cohort(enrollment):
    return db.session.get(Cohort, enrollment.cohort_id)
