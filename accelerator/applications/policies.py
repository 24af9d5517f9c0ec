"""Who may see and change startups and applications (also Jinja globals)."""

from __future__ import annotations

from accelerator.applications.models import OPEN_STATES, ApplicationStatus
from accelerator.applications.queries import founder_startup_id
from accelerator.core.permissions import Role, policy


def is_founder_of(user, startup_id: int | None) -> bool:
    """Whether the user is a founder of this startup (the one rule; cached per request).

    The role decides too: someone an administrator made a partner or a mentor keeps their
    membership row but no longer speaks for the startup, nor reads it.
    """
    return (
        startup_id is not None
        and getattr(user, "role", None) == Role.FOUNDER
        and founder_startup_id(user) == startup_id
    )


@policy
def can_view_application(user, application) -> bool:
    """Staff, or a founder of the applying startup."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or is_founder_of(user, application.startup_id)


@policy
def can_edit_application(user, application) -> bool:
    """The startup's founders, while the application is a draft."""
    return application.status == ApplicationStatus.DRAFT and is_founder_of(
        user, application.startup_id
    )


@policy
def can_withdraw_application(user, application) -> bool:
    """The startup's founders, until a decision (open states, drafts included)."""
    return application.status in OPEN_STATES and is_founder_of(user, application.startup_id)


@policy
def can_edit_startup(user, startup) -> bool:
    """Only the startup's own founders edit its profile."""
    return is_founder_of(user, startup.id)


@policy
def can_manage_startup_invitation(user, invitation) -> bool:
    """The startup's founders resend or revoke its co-founder invitations."""
    return is_founder_of(user, invitation.startup_id)
