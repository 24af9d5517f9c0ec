"""Who may do what to accounts and invitations (also Jinja globals, through the policy
registry): a page shows an action exactly when the service would allow it. The step-up before
acts on money and roles (`second_factor_required`, `require_second_factor`) is re-exported
here for other domains' views (auth/step_up.py)."""

from __future__ import annotations

from accelerator.auth.models import Invitation, User
from accelerator.auth.step_up import require_second_factor as require_second_factor
from accelerator.auth.step_up import second_factor_required as second_factor_required
from accelerator.core.permissions import policy
from accelerator.core.tokens import InvitationStatus


@policy
def can_manage_user(user, other: User) -> bool:
    """An administrator deactivates, reactivates and changes the role of others, never their
    own account (the last active administrator is the service's check)."""
    return bool(getattr(user, "is_admin", False)) and user.id != other.id


@policy
def can_revoke_invitation(user, invitation: Invitation) -> bool:
    """Staff revoke an invitation while it is pending."""
    return bool(getattr(user, "is_staff", False)) and invitation.status == InvitationStatus.PENDING


@policy
def can_reset_second_factor(user, other: User) -> bool:
    """An administrator resets another person's second factor (a lost phone)."""
    return can_manage_user(user, other) and other.has_second_factor
