"""Reviews (rubric scores, one per reviewer) and stage moves."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from accelerator.applications.models import ApplicationStatus
from accelerator.core.errors import InvalidState, NotAllowed, ValidationFailed
from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from accelerator.reviews import scoring, services
from accelerator.reviews.models import Review, ReviewScore

ALL_FOUR = {"team": 4, "market": 4, "product": 4, "traction": 4, "fit": 4}


def _submit(assignment, user, **overrides):
    values = {
        "scores": dict(ALL_FOUR),
        "recommendation": "yes",
        "confidence": "high",
        "comment": "Strong founders.",
        "feedback_tags": ["strong_team"],
    }
    values.update(overrides)
    return scoring.submit_review(assignment, actor=user, **values)


def test_submitting_a_review_stores_weighted_scores_and_audits(make, staff):
    assignment = make.make_assignment(reviewer=staff)
    scores = {"team": 5, "market": 1, "product": 3, "traction": 3, "fit": 3}
    review = _submit(assignment, staff, scores=scores)
    # Weights 25/20/20/20/15: (125 + 20 + 60 + 60 + 45) / 100.
    assert review.weighted_score == pytest.approx(3.1)
    assert review.score_map() == scores
    assert review.feedback_tags == ["strong_team"]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "review.submitted"))
    assert event.one().data["application_id"] == assignment.application_id


def test_editing_keeps_one_review(make, staff):
    assignment = make.make_assignment(reviewer=staff)
    first = _submit(assignment, staff)
    again = _submit(assignment, staff, scores={**ALL_FOUR, "team": 2}, recommendation="no")
    assert again.id == first.id and again.recommendation.value == "no"
    assert db.session.scalar(select(func.count()).select_from(Review)) == 1
    assert db.session.scalar(select(func.count()).select_from(ReviewScore)) == 5
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("review.%"))
    )
    assert list(actions) == ["review.submitted", "review.updated"]


def test_the_database_holds_one_review_per_reviewer_and_scores_1_to_5(make, staff):
    review = make.make_review(reviewer=staff)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(
            Review(
                assignment_id=review.assignment_id + 10_000,
                application_id=review.application_id,
                reviewer_id=staff.id,
                recommendation="yes",
                confidence="low",
                weighted_score=3,
            )
        )
        db.session.flush()
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(ReviewScore(review_id=review.id, criterion_key="extra", score=6))
        db.session.flush()


@pytest.mark.parametrize("bad", [0, 6, -1, None, "4", True])
def test_scores_outside_1_to_5_are_refused(make, staff, bad):
    assignment = make.make_assignment(reviewer=staff)
    with pytest.raises(ValidationFailed) as error:
        _submit(assignment, staff, scores={**ALL_FOUR, "market": bad})
    assert error.value.field == "criterion_1"
    assert db.session.scalar(select(func.count()).select_from(Review)) == 0


def test_other_refusals(make, staff):
    assignment = make.make_assignment(reviewer=staff)
    with pytest.raises(ValidationFailed):
        _submit(assignment, staff, scores={**ALL_FOUR, "charisma": 5})
    with pytest.raises(ValidationFailed):
        _submit(assignment, staff, recommendation="perhaps")
    with pytest.raises(ValidationFailed):
        _submit(assignment, staff, feedback_tags=["you are bad"])
    with pytest.raises(NotAllowed):
        _submit(assignment, make.make_user(role="staff"))


def test_a_reviewer_must_declare_first_and_never_scores_when_conflicted(make, staff):
    with pytest.raises(InvalidState, match="conflict of interest first"):
        _submit(make.make_assignment(reviewer=staff, conflict="undeclared"), staff)
    with pytest.raises(NotAllowed, match="conflict of interest"):
        _submit(make.make_assignment(reviewer=staff, conflict="conflict"), staff)


def test_reviews_close_with_the_review_stage(make, staff):
    application = make.make_application(status="in_review")
    assignment = make.make_assignment(application=application, reviewer=staff)
    _submit(assignment, staff)
    application.status = ApplicationStatus.WAITLISTED
    with pytest.raises(InvalidState, match="closed"):
        _submit(assignment, staff, recommendation="no")


# Stage moves ----------------------------------------------------------------------------------


def test_bulk_move_is_audited_per_application(make, cohort, staff):
    apps = [make.make_application(cohort=cohort, status="in_review") for _ in range(3)]
    already = make.make_application(cohort=cohort, status="shortlisted")
    moved = services.move_stage([*apps, already], target="shortlisted", actor=staff)
    assert moved == 3
    assert {a.status for a in apps} == {ApplicationStatus.SHORTLISTED}
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "application.status_changed")
    ).all()
    assert sorted(e.object_id for e in events) == sorted(a.id for a in apps)
    assert events[0].data == {
        "from": "in_review",
        "to": "shortlisted",
        "via": "reviews",
        "reason": "stage move",
    }


def test_a_bulk_move_with_one_forbidden_transition_moves_nothing(make, cohort, staff):
    good = make.make_application(cohort=cohort, status="in_review")
    bad = make.make_application(cohort=cohort, status="submitted")  # cannot jump to interview
    with pytest.raises(InvalidState, match="Nothing was moved"):
        services.move_stage([good, bad], target="interview", actor=staff)
    assert good.status == ApplicationStatus.IN_REVIEW


def test_decisions_and_bad_targets_are_not_stage_moves(make, staff, mentor):
    application = make.make_application(status="in_review")
    with pytest.raises(ValidationFailed, match="decision page"):
        services.move_stage([application], target="accepted", actor=staff)
    with pytest.raises(ValidationFailed):
        services.move_stage([application], target="nonsense", actor=staff)
    with pytest.raises(ValidationFailed):
        services.move_stage([], target="shortlisted", actor=staff)
    with pytest.raises(NotAllowed):
        services.move_stage([application], target="shortlisted", actor=mentor)
    withdrawn = make.make_application(status="withdrawn")
    with pytest.raises(InvalidState):
        services.move_stage([withdrawn], target="in_review", actor=staff)
