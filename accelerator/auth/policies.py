"""Who may do what to accounts and invitations (also Jinja globals, through the policy
registry): a page shows an action exactly when the service would allow it."""

from __future__ import annotations

from accelerator.auth.models import Invitation, User
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
