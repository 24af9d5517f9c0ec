"""Who may see and do what in the alumni domain: can_*(user, obj) -> bool.

Answers are private: program staff and the startup's own founders read them; mentors,
partners and other founders do not (a route answers 403 by role, 404 for another startup).
"""

from __future__ import annotations

from accelerator.applications.policies import is_founder_of
from accelerator.core.permissions import policy


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.active


@policy
def can_view_alumnus(user, alumnus) -> bool:
    """Staff, or a founder of the alumnus's startup (its timeline, surveys and consent)."""
    if not _signed_in(user):
        return False
    return user.is_staff or is_founder_of(user, alumnus.startup_id)


@policy
def can_view_alumni_of(user, startup) -> bool:
    """Staff, or a founder of the startup (its page after the program)."""
    if not _signed_in(user):
        return False
    return user.is_staff or is_founder_of(user, startup.id)


@policy
def can_answer_survey(user, survey) -> bool:
    """The startup's founders, or staff filling it in on their behalf."""
    if not _signed_in(user):
        return False
    return user.is_staff or is_founder_of(user, survey.startup_id)


@policy
def can_set_listing(user, alumnus) -> bool:
    """Only the startup's founders consent to its public listing (staff read it)."""
    return _signed_in(user) and is_founder_of(user, alumnus.startup_id)
