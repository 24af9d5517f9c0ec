"""Who may see and do what in the demoday domain: can_*(user, obj) -> bool."""

from __future__ import annotations

from accelerator.applications.policies import is_founder_of
from accelerator.core.permissions import policy


def _staff(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", True)) and bool(
        getattr(user, "is_staff", False)
    )


@policy
def can_manage_demo_day(user, demo_day) -> bool:
    """Plan, order, publish: program staff."""
    return _staff(user)


@policy
def can_view_public_demo_day(user, demo_day) -> bool:
    """The public page: anyone once published; staff may preview it before."""
    return demo_day.published_at is not None or _staff(user)


@policy
def can_edit_materials(user, slot) -> bool:
    """A startup's deck and pitch: staff, and the founders of the slot's startup."""
    if slot.startup_id is None or user is None:
        return False
    return _staff(user) or is_founder_of(user, slot.startup_id)


@policy
def can_manage_guests(user, demo_day) -> bool:
    """The guest list, invitations and links: program staff. A guest sees only themselves,
    through their link."""
    return _staff(user)
