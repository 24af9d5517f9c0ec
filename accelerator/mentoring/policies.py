"""Who may see and change mentor profiles, preferences and matches.

Staff see and change everything; a mentor edits only their own profile and answers only their
own matches; a founder sees the directory while their startup is enrolled, and only their own
startup's preferences and mentors.
"""

from __future__ import annotations

from accelerator.applications.policies import is_founder_of
from accelerator.applications.queries import founder_startup_id
from accelerator.core.permissions import policy
from accelerator.mentoring.models import Match, MatchStatus, MentorConflict, MentorPreference
from accelerator.mentoring.queries import ACTIVE_MATCH
from accelerator.programs.queries import startup_enrollments


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _is_staff(user) -> bool:
    return _signed_in(user) and user.is_staff


def is_enrolled_founder(user) -> bool:
    startup_id = founder_startup_id(user)
    # Kept for one request: the navigation, the home panels and the policies all ask.
    return startup_id is not None and bool(startup_enrollments(startup_id))


@policy
def can_edit_mentor_profile(user, mentor) -> bool:
    """The mentor themself, or staff."""
    return _is_staff(user) or (_signed_in(user) and user.id == mentor.id)


@policy
def can_view_directory(user, _obj=None) -> bool:
    """Staff, and founders of a startup enrolled in a cohort."""
    return _is_staff(user) or is_enrolled_founder(user)


@policy
def can_view_mentor_profile(user, mentor) -> bool:
    """Whoever may read the directory, and the mentor themself."""
    return can_edit_mentor_profile(user, mentor) or can_view_directory(user)


@policy
def can_manage_matching(user, _obj=None) -> bool:
    return _is_staff(user)


@policy
def can_remove_conflict(user, conflict: MentorConflict) -> bool:
    return _is_staff(user) or (_signed_in(user) and user.id == conflict.mentor_id)


@policy
def can_remove_preference(user, preference: MentorPreference) -> bool:
    return _is_staff(user) or is_founder_of(user, preference.startup_id)


@policy
def can_answer_match(user, match: Match) -> bool:
    """Only the mentor of the pair answers it (whatever its state: the service says if it is
    still waiting)."""
    return _signed_in(user) and user.id == match.mentor_id


@policy
def can_respond_to_match(user, match: Match) -> bool:
    """Only the mentor of the pair, while staff's confirmation waits for an answer."""
    return _signed_in(user) and user.id == match.mentor_id and match.status == MatchStatus.CONFIRMED


@policy
def can_view_match(user, match: Match) -> bool:
    if _is_staff(user):
        return True
    if not _signed_in(user):
        return False
    if user.id == match.mentor_id:
        return True
    return is_founder_of(user, match.startup_id) and match.status in ACTIVE_MATCH
