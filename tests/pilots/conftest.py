"""Fixtures for the pilots tests: a running cohort, an enrolled startup of a founder, a unit
of the cohort's program with two partners, and program staff."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from accelerator.extensions import db as _db
from accelerator.programs.models import Cohort
from tests import factories


@pytest.fixture
def pair(db):
    """world.founder's startup "Société Éclair" in a running cohort, the unit "Orange Bank"
    with partners Paula and Pierre, staff Sam, and the startup's matched mentor."""
    founder = factories.make_user(role="founder", name="Fay Founder")
    startup = factories.make_startup(name="Société Éclair", founders=[founder])
    enrollment = factories.make_enrollment(startup=startup)
    cohort = _db.session.get(Cohort, enrollment.cohort_id)
    unit = factories.make_unit(cohort=cohort, name="Orange Bank")
    paula = factories.make_partner(unit, name="Paula Partner")
    pierre = factories.make_partner(unit, name="Pierre Partner")
    staff = factories.make_user(role="staff", name="Sam Staff")
    mentor = factories.make_mentor(name="Max Mentor")
    factories.make_match(cohort_id=cohort.id, startup_id=startup.id, mentor_id=mentor.id)
    return SimpleNamespace(
        founder=founder,
        startup=startup,
        cohort=cohort,
        unit=unit,
        partner=paula,
        other_partner=pierre,
        staff=staff,
        mentor=mentor,
    )
