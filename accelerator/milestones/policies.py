"""Who may see and do what: founders their own startup, matched mentors read check-ins, staff all.

A mentor's matches belong to the mentoring domain, below this one in the layers:
`can_view_checkins` asks its `mentored_startup_ids`.
"""

from __future__ import annotations

from sqlalchemy import select

from accelerator.applications.policies import is_founder_of
from accelerator.auth.models import Role
from accelerator.core.permissions import policy
from accelerator.extensions import db
from accelerator.mentoring.queries import mentored_startup_ids
from accelerator.milestones.models import CheckIn, Milestone
from accelerator.programs.models import Enrollment


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _startup_of(enrollment_id: int) -> int | None:
    return db.session.scalar(select(Enrollment.startup_id).where(Enrollment.id == enrollment_id))


def _mentors(user, startup_id: int | None) -> bool:
    return (
        _signed_in(user)
        and user.role == Role.MENTOR
        and startup_id is not None
        and startup_id in mentored_startup_ids(user)
    )


def _follows(user, startup_id: int | None) -> bool:
    """Staff, a founder of the startup, or a mentor matched with it."""
    if not _signed_in(user):
        return False
    return user.is_staff or is_founder_of(user, startup_id) or _mentors(user, startup_id)


@policy
def can_view_progress(user, enrollment: Enrollment) -> bool:
    """A startup's progress page: its founders, matched mentors (check-ins only), staff."""
    return _follows(user, enrollment.startup_id)


@policy
def can_view_milestones(user, enrollment: Enrollment) -> bool:
    """Milestones and their evidence: the startup's founders and staff."""
    return _signed_in(user) and (user.is_staff or is_founder_of(user, enrollment.startup_id))


@policy
def can_view_milestone(user, milestone: Milestone) -> bool:
    if not _signed_in(user):
        return False
    return user.is_staff or is_founder_of(user, _startup_of(milestone.enrollment_id))


@policy
def can_view_checkin(user, checkin: CheckIn) -> bool:
    return _follows(user, _startup_of(checkin.enrollment_id))


@policy
def can_report(user, enrollment: Enrollment) -> bool:
    """Submit milestones and fill check-ins: the startup's founders."""
    return is_founder_of(user, enrollment.startup_id)


@policy
def is_own_checkin(user, checkin: CheckIn) -> bool:
    """A founder of the startup whose check-in it is."""
    return is_founder_of(user, _startup_of(checkin.enrollment_id))


@policy
def can_edit_checkin(user, checkin: CheckIn) -> bool:
    """A founder of the startup, until staff comment on the check-in."""
    return not checkin.is_locked and is_own_checkin(user, checkin)


@policy
def can_manage_milestones(user, _obj=None) -> bool:
    """Plans, reviews, comments, moves: staff."""
    return _signed_in(user) and user.is_staff
