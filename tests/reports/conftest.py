from __future__ import annotations

import pytest

from tests.reports import builders


@pytest.fixture
def running(db):
    """A running cohort of three startups with every kind of data."""
    return builders.make_running_cohort(3)
