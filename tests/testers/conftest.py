"""Fixtures for the testers tests: an enrolled startup "Société Éclair" with its founder,
program staff, and a small panel."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from accelerator.applications.models import Startup
from accelerator.extensions import db as _db
from tests import factories


@pytest.fixture
def lab(db):
    founder = factories.make_user(role="founder", name="Fay Founder")
    startup = factories.make_startup(name="Société Éclair", founders=[founder])
    factories.make_enrollment(startup=startup)
    staff = factories.make_user(role="staff", name="Sam Staff")
    return SimpleNamespace(
        founder=founder, startup=_db.session.get(Startup, startup.id), staff=staff
    )
