"""Who sees and does what with sessions, action items, ratings and office hours.

A founder sees their startup's sessions (never private notes, never others' ratings); a mentor
sees the sessions of their own pairs only; staff see everything. Only staff read ratings; a
founder sees the one they gave.
"""

from __future__ import annotations

from accelerator.applications.policies import is_founder_of
from accelerator.applications.queries import founder_startup_id
from accelerator.auth.models import Role
from accelerator.core.permissions import policy
from accelerator.mentoring.queries import mentor_ids_of
from accelerator.sessions.models import ActionItem, MentorSession, OfficeHourSlot, SessionState


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def founder_of(user, startup_id: int | None) -> bool:
    """A signed-in founder of this startup."""
    return _signed_in(user) and user.role == Role.FOUNDER and is_founder_of(user, startup_id)


@policy
def can_view_session(user, session: MentorSession) -> bool:
    if not _signed_in(user):
        return False
    return user.is_staff or user.id == session.mentor_id or founder_of(user, session.startup_id)


@policy
def can_read_private_notes(user, session: MentorSession) -> bool:
    """The session's mentor and staff; never founders, never other mentors."""
    return _signed_in(user) and (user.is_staff or user.id == session.mentor_id)


@policy
def can_confirm_session(user, session: MentorSession) -> bool:
    return (
        _signed_in(user) and user.id == session.mentor_id and session.state == SessionState.PENDING
    )


@policy
def can_rate_session(user, session: MentorSession) -> bool:
    """A founder of the startup, once the mentor has confirmed the session."""
    return session.state == SessionState.CONFIRMED and founder_of(user, session.startup_id)


@policy
def can_read_ratings(user, _session: MentorSession | None = None) -> bool:
    """Ratings are for the program team: staff read every rating of a session."""
    return _signed_in(user) and user.is_staff


def can_see_own_rating(user, session: MentorSession) -> bool:
    """A founder of the startup sees the rating they gave (and no one else's)."""
    return founder_of(user, session.startup_id)


@policy
def can_resolve_red_flag(user, session: MentorSession) -> bool:
    return _signed_in(user) and user.is_staff and session.has_open_red_flag


@policy
def can_change_item(user, item: ActionItem) -> bool:
    """Tick an action item off or reopen it: the pair's mentor or the startup's founders."""
    return _signed_in(user) and (user.id == item.mentor_id or founder_of(user, item.startup_id))


@policy
def can_view_slot(user, slot: OfficeHourSlot) -> bool:
    """The mentor, staff, a founder whose startup booked it or is matched with its mentor."""
    if not _signed_in(user):
        return False
    if user.is_staff or user.id == slot.mentor_id:
        return True
    if user.role != Role.FOUNDER:
        return False
    startup_id = founder_startup_id(user)
    if startup_id is None:
        return False
    return slot.startup_id == startup_id or slot.mentor_id in mentor_ids_of(startup_id)


@policy
def can_cancel_booking(user, slot: OfficeHourSlot) -> bool:
    """A booked slot: its mentor, a founder of the startup that booked it, or staff."""
    if not _signed_in(user) or not slot.is_booked:
        return False
    return user.is_staff or user.id == slot.mentor_id or founder_of(user, slot.startup_id)
