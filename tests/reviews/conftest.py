"""Fixtures for the review tests: a cohort under review, its reviewers and applications."""

from __future__ import annotations

import pytest

from accelerator.applications.models import ApplicationStatus
from accelerator.programs.models import Phase


@pytest.fixture
def cohort(make):
    return make.make_cohort(phase=Phase.REVIEWING)


@pytest.fixture
def reviewers(make, cohort):
    """Three staff reviewers (the only staff in the test), named so their order is stable."""
    return [make.make_user(role="staff", name=f"Reviewer {c}") for c in "ABC"]


@pytest.fixture
def applications(make, cohort):
    return [
        make.make_application(cohort=cohort, status=ApplicationStatus.SUBMITTED) for _ in range(4)
    ]
