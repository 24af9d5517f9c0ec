"""One voice for statuses: label and colour live on the enum; one badge on every page."""

from __future__ import annotations

import re

import pytest

from accelerator.applications.models import ApplicationStatus
from accelerator.core.enums import RichStrEnum
from accelerator.grants.ledger import TrancheState
from accelerator.grants.models import DisbursementStatus
from accelerator.mentoring.models import MatchStatus
from accelerator.milestones.models import Health, MilestoneStatus
from accelerator.programs.models import Phase
from accelerator.sessions.models import SessionState


@pytest.mark.parametrize(
    "enum_cls",
    [
        ApplicationStatus,
        Phase,
        DisbursementStatus,
        TrancheState,
        MilestoneStatus,
        Health,
        SessionState,
        MatchStatus,
    ],
)
def test_every_status_has_a_label_and_a_badge(app, enum_cls):
    assert issubclass(enum_cls, RichStrEnum)
    with app.test_request_context():
        for member in enum_cls:
            assert member.label and member.label[0].isupper()
            assert member.has_badge and member.badge.startswith("text-bg-")


def _badges(page: str) -> set[str]:
    return set(re.findall(r'<span class="badge [^"]*" data-status="[a-z_]+">[^<]*</span>', page))


def test_founder_and_reviewer_pages_show_the_same_badge(login_as, make, staff):
    founder = make.make_user(role="founder")
    startup = make.make_startup(founders=[founder])
    cohort = make.make_cohort()
    application = make.make_application(cohort=cohort, startup=startup, status="in_review")
    expected = '<span class="badge text-bg-info" data-status="in_review">In review</span>'
    founder_page = login_as(founder).get(f"/applications/{application.id}").get_data(as_text=True)
    assert expected in _badges(founder_page)
    staff_pages = [
        f"/reviews/applications/{application.id}",
        f"/reviews/cohorts/{cohort.id}/pipeline",
        "/applications",
    ]
    for url in staff_pages:
        page = login_as(staff).get(url).get_data(as_text=True)
        assert expected in _badges(page), url
        assert "in review</span>" not in page  # the old lowercase vocabulary


def test_rejected_reads_the_same_everywhere(login_as, make, staff):
    cohort = make.make_cohort()
    application = make.make_application(cohort=cohort, status="rejected")
    page = login_as(staff).get(f"/reviews/applications/{application.id}").get_data(as_text=True)
    assert '<span class="badge text-bg-dark" data-status="rejected">Not selected</span>' in page
