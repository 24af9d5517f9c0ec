"""Who may see and revoke personal access tokens (also Jinja globals)."""

from __future__ import annotations

from accelerator.core.permissions import policy


@policy
def can_revoke_token(user, token) -> bool:
    """Its owner, or an administrator (who may end any token at once)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return token.user_id == user.id or user.is_admin
