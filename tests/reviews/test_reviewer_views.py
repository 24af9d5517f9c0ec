"""The reviewer's pages over HTTP: conflict declaration, scoring, access when assigned, not
assigned or conflicted; a closed review is read-only."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from accelerator.applications.models import ApplicationStatus
from accelerator.extensions import db
from accelerator.reviews.models import ConflictStatus, Review, ReviewAssignment

S = ApplicationStatus

S = ApplicationStatus
GOOD_REVIEW = {
    "criterion_0": "5",
    "criterion_1": "4",
    "criterion_2": "4",
    "criterion_3": "3",
    "criterion_4": "4",
    "recommendation": "yes",
    "confidence": "high",
    "comment": "Private note for staff",
    "feedback_tags": ["strong_team"],
}


# Reviewers ------------------------------------------------------------------------------------


def test_reviewer_declares_no_conflict_then_scores(login_as, make, cohort):
    mentor = make.make_panel_mentor(cohort)
    application = make.make_application(cohort=cohort, status="in_review")
    assignment = make.make_assignment(
        application=application, reviewer=mentor, conflict="undeclared"
    )
    client = login_as(mentor)
    inbox = client.get("/reviews/inbox").get_data(as_text=True)
    assert "Declare conflicts first" in inbox
    # Not declared yet: the application stays hidden.
    response = client.get(f"/reviews/assignments/{assignment.id}/review")
    assert response.status_code == 302 and response.location.endswith("/declare")
    declare = client.get(f"/reviews/assignments/{assignment.id}/declare").get_data(as_text=True)
    assert "Field technicians" not in declare  # no answers before the declaration
    response = client.post(
        f"/reviews/assignments/{assignment.id}/declare", data={"conflict": "none"}
    )
    assert response.location.endswith(f"/reviews/assignments/{assignment.id}/review")
    page = client.get(f"/reviews/assignments/{assignment.id}/review").get_data(as_text=True)
    assert "Field technicians" in page and "Fit with the company" in page
    response = client.post(f"/reviews/assignments/{assignment.id}/review", data=GOOD_REVIEW)
    assert response.status_code == 302
    review = db.session.scalar(select(Review).options(selectinload(Review.scores)))
    assert review.score_map()["team"] == 5 and review.recommendation.value == "yes"
    # Editing keeps one review.
    client.post(
        f"/reviews/assignments/{assignment.id}/review", data={**GOOD_REVIEW, "criterion_0": "2"}
    )
    assert db.session.scalar(select(func.count()).select_from(Review)) == 1
    assert "Reviewed" in client.get("/reviews/inbox").get_data(as_text=True)


@pytest.mark.parametrize(
    "override,message",
    [
        ({"criterion_0": "9"}, "Give a score from 1 to 5."),
        ({"criterion_0": "0"}, "Give a score from 1 to 5."),
        ({"criterion_2": "abc"}, "Give a score from 1 to 5."),
        ({"criterion_4": ""}, "Give a score from 1 to 5."),
        ({"recommendation": "perhaps"}, "Choose yes, maybe or no."),
        ({"confidence": ""}, "Say how confident you are."),
        ({"feedback_tags": ["not-a-tag"]}, "not a valid choice"),
        ({"comment": "x" * 5001}, "5000"),
    ],
)
def test_review_form_errors_are_shown_and_nothing_is_saved(login_as, make, override, message):
    reviewer = make.make_user(role="staff")
    assignment = make.make_assignment(reviewer=reviewer)
    response = login_as(reviewer).post(
        f"/reviews/assignments/{assignment.id}/review", data={**GOOD_REVIEW, **override}
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body and "Your review is not saved yet" in body
    assert db.session.scalar(select(func.count()).select_from(Review)) == 0


def test_declaring_a_conflict_hides_the_application_and_reassigns_it(login_as, make, cohort):
    mentor, other = make.make_panel_mentor(cohort), make.make_panel_mentor(cohort)
    application = make.make_application(cohort=cohort, status="in_review")
    assignment = make.make_assignment(
        application=application, reviewer=mentor, conflict="undeclared"
    )
    client = login_as(mentor)
    response = client.post(
        f"/reviews/assignments/{assignment.id}/declare", data={"conflict": "conflict", "reason": ""}
    )
    assert response.status_code == 422
    assert "Say briefly why" in response.get_data(as_text=True)
    client.post(
        f"/reviews/assignments/{assignment.id}/declare",
        data={"conflict": "conflict", "reason": "My brother founded it"},
    )
    assert db.session.get(ReviewAssignment, assignment.id).conflict == ConflictStatus.CONFLICT
    reviewers = set(
        db.session.scalars(
            select(ReviewAssignment.reviewer_id).where(
                ReviewAssignment.conflict != ConflictStatus.CONFLICT
            )
        )
    )
    assert reviewers and mentor.id not in reviewers
    assert other.id in reviewers or reviewers  # someone else from the pool took it
    # The conflicted reviewer can no longer open, score or download anything.
    for url in ("review", "declare", "deck"):
        response = client.get(f"/reviews/assignments/{assignment.id}/{url}", follow_redirects=True)
        assert "you cannot open or score" in response.get_data(as_text=True)
    response = client.post(f"/reviews/assignments/{assignment.id}/review", data=GOOD_REVIEW)
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Review)) == 0


def test_an_unassigned_reviewer_gets_404(login_as, make):
    assignment = make.make_assignment()
    outsider = make.make_user(role="mentor")
    client = login_as(outsider)
    for suffix in ("declare", "review", "deck"):
        assert client.get(f"/reviews/assignments/{assignment.id}/{suffix}").status_code == 404
    assert (
        client.post(f"/reviews/assignments/{assignment.id}/review", data=GOOD_REVIEW).status_code
        == 404
    )
    assert (
        login_as(make.make_user(role="founder"))
        .get(f"/reviews/assignments/{assignment.id}/review")
        .status_code
        == 403
    )


def test_a_closed_review_is_read_only(login_as, make):
    reviewer = make.make_user(role="staff")
    application = make.make_application(status="in_review")
    assignment = make.make_assignment(application=application, reviewer=reviewer)
    make.make_review(assignment=assignment)
    application.status = S.REJECTED
    db.session.flush()
    client = login_as(reviewer)
    page = client.get(f"/reviews/assignments/{assignment.id}/review").get_data(as_text=True)
    assert "can no longer be changed" in page
    response = client.post(f"/reviews/assignments/{assignment.id}/review", data=GOOD_REVIEW)
    assert "Reviews of this application are closed" in response.get_data(as_text=True)
