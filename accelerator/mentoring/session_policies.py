"""Who sees and does what with sessions and office hours.

A founder sees their startup's sessions (never private notes, never others' ratings); a mentor
sees the sessions of their own pairs only; staff see everything.
"""

from __future__ import annotations

from accelerator.auth.models import Role
from accelerator.core.permissions import policy
from accelerator.mentoring.office_hours import founder_startup_ids
from accelerator.mentoring.queries import mentor_ids_of
from accelerator.mentoring.session_models import MentorSession, OfficeHourSlot, SessionState


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _is_founder_of(user, startup_id: int | None) -> bool:
    return (
        startup_id is not None
        and user.role == Role.FOUNDER
        and startup_id in founder_startup_ids(user.id)
    )


@policy
def can_view_session(user, session: MentorSession) -> bool:
    if not _signed_in(user):
        return False
    if user.is_staff or user.id == session.mentor_id:
        return True
    return _is_founder_of(user, session.startup_id)


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
    return (
        _signed_in(user)
        and session.state == SessionState.CONFIRMED
        and _is_founder_of(user, session.startup_id)
    )


@policy
def can_resolve_red_flag(user, session: MentorSession) -> bool:
    return _signed_in(user) and user.is_staff and session.has_open_red_flag


@policy
def can_view_slot(user, slot: OfficeHourSlot) -> bool:
    """The mentor, staff, a founder whose startup booked it or is matched with its mentor."""
    if not _signed_in(user):
        return False
    if user.is_staff or user.id == slot.mentor_id:
        return True
    if user.role != Role.FOUNDER:
        return False
    mine = founder_startup_ids(user.id)
    if slot.startup_id in mine:
        return True
    return any(slot.mentor_id in mentor_ids_of(sid) for sid in mine)
