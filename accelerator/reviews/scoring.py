"""Writing reviews: the cohort's criteria and weights, rubric scores, recommendation, feedback."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accelerator.applications.models import Application
from accelerator.auth.models import User
from accelerator.core import audit
from accelerator.core.errors import InvalidState, NotAllowed, ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.extensions import db
from accelerator.programs.models import Cohort
from accelerator.reviews.models import (
    FEEDBACK_TAG_KEYS,
    REVIEW_OPEN_STATES,
    SCORE_MAX,
    SCORE_MIN,
    Confidence,
    Recommendation,
    Review,
    ReviewAssignment,
    ReviewScore,
)


def criteria_of(cohort: Cohort) -> list[dict[str, Any]]:
    """The cohort's criteria as [{key, name, weight}], tolerant of hand-edited JSON."""
    result = []
    for index, item in enumerate(cohort.review_criteria or []):
        if not isinstance(item, dict):
            continue
        key = str(item.get("key") or f"criterion_{index}")[:40]
        try:
            weight = max(float(item.get("weight", 1) or 0), 0.0)
        except (TypeError, ValueError):
            weight = 1.0
        result.append({"key": key, "name": str(item.get("name") or key), "weight": weight})
    return result


def weighted_mean(scores: dict[str, int], criteria: list[dict[str, Any]]) -> float:
    """The scores averaged with the criteria's weights (a plain mean when no weights are set)."""
    total_weight = sum(c["weight"] for c in criteria if c["key"] in scores)
    if total_weight <= 0:
        values = list(scores.values())
        return sum(values) / len(values)
    return sum(scores[c["key"]] * c["weight"] for c in criteria if c["key"] in scores) / (
        total_weight
    )


def review_is_open(application: Application) -> bool:
    """Reviews can be written and edited until the review stage closes (a decision is made)."""
    return application.status in REVIEW_OPEN_STATES


def _check_scores(scores: dict[str, int], criteria) -> dict[str, int]:
    clean: dict[str, int] = {}
    for index, criterion in enumerate(criteria):
        value = scores.get(criterion["key"])
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationFailed(
                _("Give %(name)s a score from 1 to 5.", name=criterion["name"]),
                field=f"criterion_{index}",
            )
        if not SCORE_MIN <= value <= SCORE_MAX:
            raise ValidationFailed(
                _(
                    "Scores go from 1 to 5; %(name)s got %(value)d.",
                    name=criterion["name"],
                    value=value,
                ),
                field=f"criterion_{index}",
            )
        clean[criterion["key"]] = value
    unknown = set(scores) - set(clean)
    if unknown:
        raise ValidationFailed(_("Some scores are for criteria this cohort does not use."))
    return clean


def submit_review(
    assignment: ReviewAssignment,
    *,
    actor: User,
    scores: dict[str, int],
    recommendation: Recommendation | str,
    confidence: Confidence | str,
    comment: str = "",
    feedback_tags: Iterable[str] = (),
) -> Review:
    """Create or update the reviewer's one review of the application."""
    application = _application_to_review(assignment, actor)
    cohort = db.session.get(Cohort, application.cohort_id)
    criteria = criteria_of(cohort)
    if not criteria:
        raise InvalidState(_("This cohort has no review criteria yet; ask staff to add them."))
    clean = _check_scores(scores, criteria)
    try:
        recommendation = Recommendation(recommendation)
        confidence = Confidence(confidence)
    except ValueError as error:
        raise ValidationFailed(_("Choose a recommendation and your confidence.")) from error
    tags = [tag for tag in dict.fromkeys(feedback_tags) if tag]
    if set(tags) - FEEDBACK_TAG_KEYS:
        raise ValidationFailed(_("Choose feedback from the list."), field="feedback_tags")

    review = db.session.scalar(
        select(Review)
        .where(Review.assignment_id == assignment.id)
        .options(selectinload(Review.scores))
    )
    created = review is None
    if created:
        review = Review(
            assignment_id=assignment.id,
            application_id=application.id,
            reviewer_id=actor.id,
        )
        db.session.add(review)
        review.scores = []
    review.recommendation = recommendation
    review.confidence = confidence
    review.comment = (comment or "").strip()[:5000]
    review.feedback_tags = tags
    review.weighted_score = round(weighted_mean(clean, criteria), 4)
    _set_scores(review, clean)
    db.session.flush()
    audit.record(
        "review.submitted" if created else "review.updated",
        review,
        actor=actor,
        data={
            "application_id": application.id,
            "weighted_score": review.weighted_score,
            "recommendation": recommendation.value,
        },
    )
    return review


def _application_to_review(assignment: ReviewAssignment, actor: User) -> Application:
    """The assignment's application, if this reviewer may review it now."""
    if assignment.reviewer_id != actor.id:
        raise NotAllowed(_("Only the assigned reviewer can review this application."))
    if assignment.is_conflicted:
        raise NotAllowed(_("You declared a conflict of interest: this review is not yours to do."))
    if not assignment.is_cleared:
        raise InvalidState(_("Declare whether you have a conflict of interest first."))
    application = db.session.get(Application, assignment.application_id)
    if not review_is_open(application):
        raise InvalidState(
            _(
                "Reviews of this application are closed (it is %(status)s).",
                status=application.status.label.lower(),
            )
        )
    return application


def _set_scores(review: Review, clean: dict[str, int]) -> None:
    """Make the review's score rows say `clean`: update, add and remove rows as needed."""
    existing = {score.criterion_key: score for score in review.scores}
    for key, value in clean.items():
        if key in existing:
            existing[key].score = value
        else:
            review.scores.append(ReviewScore(criterion_key=key, score=value))
    for key, score in existing.items():
        if key not in clean:
            review.scores.remove(score)
