"""Who may do what in reviews (also Jinja globals, through the policy registry)."""

from __future__ import annotations

from accelerator.applications.models import Application
from accelerator.applications.policies import is_founder_of
from accelerator.core.permissions import policy
from accelerator.reviews.models import (
    ASSIGNABLE_STATES,
    DECIDABLE_STATES,
    REVIEW_OPEN_STATES,
    ReviewAssignment,
)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.active)


@policy
def can_declare(user, assignment: ReviewAssignment) -> bool:
    """Only the assigned reviewer sees (and answers) their assignment."""
    return _signed_in(user) and assignment.reviewer_id == user.id


@policy
def can_open_for_review(user, assignment: ReviewAssignment) -> bool:
    """The assigned reviewer, once they declared no conflict, may open and score it."""
    return can_declare(user, assignment) and assignment.is_cleared


@policy
def can_view_offer(user, application: Application) -> bool:
    """Staff, or a founder of the startup (the offer page and its partial)."""
    if not _signed_in(user):
        return False
    return user.is_staff or is_founder_of(user, application.startup_id)


@policy
def can_answer_offer(user, application: Application) -> bool:
    """Only the startup's founders confirm or decline its place."""
    return _signed_in(user) and is_founder_of(user, application.startup_id)


def _staff(user) -> bool:
    return _signed_in(user) and user.is_staff


@policy
def can_assign_reviewers(user, application) -> bool:
    """Staff give reviewers to an application until a decision is made (`application` is
    anything with its status: an application, a ranking row)."""
    return _staff(user) and application.status in ASSIGNABLE_STATES


@policy
def can_decide(user, application) -> bool:
    """Staff accept, waitlist or reject an application in review or on the waitlist."""
    return _staff(user) and application.status in DECIDABLE_STATES


@policy
def can_edit_review(user, assignment: ReviewAssignment) -> bool:
    """The reviewer edits their review until the review stage closes (a decision is made)."""
    return can_open_for_review(user, assignment) and (
        assignment.application.status in REVIEW_OPEN_STATES
    )
