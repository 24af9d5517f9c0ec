"""Who may do what in reviews (also Jinja globals, through the policy registry)."""

from __future__ import annotations

from accelerator.applications.models import Application
from accelerator.applications.policies import is_founder_of
from accelerator.core.permissions import policy
from accelerator.reviews.models import ReviewAssignment


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
