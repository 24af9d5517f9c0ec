"""The staff review pages over HTTP: pipeline and stage moves, assignment, exports;
bad input never gives a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from accelerator.applications.models import ApplicationStatus
from accelerator.extensions import db
from accelerator.reviews.models import ReviewAssignment

S = ApplicationStatus


# Staff pages ----------------------------------------------------------------------------------


def test_staff_pages_render_with_data(login_as, staff, cohort, reviewed):
    client = login_as(staff)
    for url in (
        "/reviews/",
        f"/reviews/cohorts/{cohort.id}/pipeline",
        f"/reviews/cohorts/{cohort.id}/pipeline?status=in_review",
        f"/reviews/cohorts/{cohort.id}/pipeline?status=bogus&page=x",
        f"/reviews/cohorts/{cohort.id}/assignments",
        f"/reviews/cohorts/{cohort.id}/assignments?scope=all",
        f"/reviews/cohorts/{cohort.id}/ranking?sort=stddev&dir=asc",
        f"/reviews/cohorts/{cohort.id}/ranking?sort=<script>&dir=%00",
        f"/reviews/cohorts/{cohort.id}/decisions",
        f"/reviews/applications/{reviewed[0].id}",
        f"/reviews/applications/{reviewed[0].id}/decide",
        "/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert client.get("/reviews/cohorts/99999/pipeline").status_code == 404
    page = client.get(f"/reviews/applications/{reviewed[0].id}").get_data(as_text=True)
    assert "Alice Reviewer" in page and "Alice&#39;s private remark" in page


def test_bulk_stage_move_from_the_pipeline(login_as, staff, make, cohort):
    apps = [make.make_application(cohort=cohort, status="in_review") for _ in range(3)]
    client = login_as(staff)
    response = client.post(
        f"/reviews/cohorts/{cohort.id}/pipeline/move",
        data={"target": "shortlisted", "application_ids": [str(a.id) for a in apps[:2]]},
        follow_redirects=True,
    )
    assert "2 application(s) moved to shortlisted." in response.get_data(as_text=True)
    assert [db.session.get(type(a), a.id).status for a in apps] == [
        S.SHORTLISTED,
        S.SHORTLISTED,
        S.IN_REVIEW,
    ]


@pytest.mark.parametrize(
    "data",
    [
        {"target": "interview", "application_ids": ["abc"]},
        {"target": "accepted", "application_ids": ["1"]},
        {"target": "shortlisted"},
        {"target": "shortlisted", "application_ids": ["999999"]},
    ],
)
def test_bad_bulk_moves_are_refused_without_error(login_as, staff, cohort, data):
    response = login_as(staff).post(
        f"/reviews/cohorts/{cohort.id}/pipeline/move",
        data=data,
    )
    assert response.status_code == 422
    assert "alert-danger" in response.get_data(as_text=True)


def test_a_move_outside_the_table_is_refused_with_a_message(login_as, staff, make, cohort):
    application = make.make_application(cohort=cohort, status="submitted")
    response = login_as(staff).post(
        f"/reviews/cohorts/{cohort.id}/pipeline/move",
        data={"target": "interview", "application_ids": [str(application.id)]},
        follow_redirects=True,
    )
    assert "Nothing was moved" in response.get_data(as_text=True)


def test_applications_of_another_cohort_cannot_be_moved_through_this_one(
    login_as, staff, make, cohort
):
    elsewhere = make.make_application(status="in_review")
    login_as(staff).post(
        f"/reviews/cohorts/{cohort.id}/pipeline/move",
        data={"target": "shortlisted", "application_ids": [str(elsewhere.id)]},
    )
    assert db.session.get(type(elsewhere), elsewhere.id).status == S.IN_REVIEW


def test_automatic_and_manual_assignment_pages(login_as, staff, make, cohort):
    mentor = make.make_user(role="mentor", name="Mia Mentor")
    apps = [make.make_application(cohort=cohort) for _ in range(3)]
    client = login_as(staff)
    response = client.post(
        f"/reviews/cohorts/{cohort.id}/panel", data={"mentor": mentor.id}, follow_redirects=True
    )
    assert "Mia Mentor now reviews this cohort." in response.get_data(as_text=True)
    response = client.post(
        f"/reviews/cohorts/{cohort.id}/assignments/auto",
        data={"per_application": "2", "reviewers": [str(staff.id), str(mentor.id)]},
        follow_redirects=True,
    )
    assert "6 assignment(s) made" in response.get_data(as_text=True)
    counts = db.session.execute(
        select(ReviewAssignment.reviewer_id, func.count()).group_by(ReviewAssignment.reviewer_id)
    ).all()
    assert sorted(c for _r, c in counts) == [3, 3]
    # Manual: a third reviewer for the first application, then removed again.
    extra = make.make_user(role="staff")
    client.post(f"/reviews/applications/{apps[0].id}/assign", data={"reviewer": extra.id})
    assignment = db.session.scalar(
        select(ReviewAssignment).where(ReviewAssignment.reviewer_id == extra.id)
    )
    assert assignment.application_id == apps[0].id
    assignment_id = assignment.id
    client.post(f"/reviews/assignments/{assignment_id}/unassign")
    assert db.session.get(ReviewAssignment, assignment_id) is None


@pytest.mark.parametrize(
    "data",
    [
        {"per_application": "0", "reviewers": []},
        {"per_application": "many"},
        {"per_application": "2", "reviewers": ["999999"]},
    ],
)
def test_bad_automatic_assignment_input_shows_errors(login_as, staff, cohort, data):
    response = login_as(staff).post(f"/reviews/cohorts/{cohort.id}/assignments/auto", data=data)
    assert response.status_code == 422
    assert "invalid-feedback" in response.get_data(as_text=True)


def test_manual_assignment_of_a_conflicted_reviewer_is_refused(
    login_as, staff, make, cohort, reviewers
):
    application = make.make_application(cohort=cohort, status="in_review")
    make.make_assignment(application=application, reviewer=reviewers[0], conflict="conflict")
    response = login_as(staff).post(
        f"/reviews/applications/{application.id}/assign",
        data={"reviewer": reviewers[0].id},
        follow_redirects=True,
    )
    assert "declared a conflict of interest" in response.get_data(as_text=True)


def test_exports_are_attachments(login_as, staff, cohort, reviewed):
    client = login_as(staff)
    csv = client.get(f"/reviews/cohorts/{cohort.id}/ranking.csv")
    assert csv.mimetype == "text/csv" and "attachment" in csv.headers["Content-Disposition"]
    assert csv.get_data(as_text=True).count("\n") == 5
    xlsx = client.get(f"/reviews/cohorts/{cohort.id}/ranking.xlsx")
    assert xlsx.data[:2] == b"PK"
    assert client.get(f"/reviews/cohorts/{cohort.id}/ranking.pdf").status_code == 404
