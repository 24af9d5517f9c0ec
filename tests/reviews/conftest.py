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


class _Following:
    """The suite's client runs each request in its own context, so redirects are followed here."""

    def __init__(self, client):
        self.client = client

    def get(self, *args, follow_redirects=False, **kwargs):
        return self._follow(self.client.get(*args, **kwargs), follow_redirects)

    def post(self, *args, follow_redirects=False, **kwargs):
        return self._follow(self.client.post(*args, **kwargs), follow_redirects)

    def _follow(self, response, follow):
        while follow and response.status_code in (301, 302, 303):
            response = self.client.get(response.location)
        return response


@pytest.fixture
def login_as(login_as):
    """The suite's login_as, its client following redirects when asked."""
    return lambda user: _Following(login_as(user))


@pytest.fixture
def reviewed(make, cohort, staff):
    """A cohort with two applications, each reviewed by two staff members."""
    a, b = make.make_user(role="staff", name="Alice Reviewer"), make.make_user(role="staff")
    apps = [make.make_application(cohort=cohort, status="in_review") for _ in range(2)]
    for application, scores in zip(apps, (5, 2), strict=True):
        make.make_review(
            application=application,
            reviewer=a,
            scores=scores,
            comment="Alice's private remark",
            feedback_tags=["too_early"],
        )
        make.make_review(application=application, reviewer=b, scores=scores)
    return apps
