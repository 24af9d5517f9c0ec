"""Who manages webhooks: program staff (and admins), nobody else."""

from __future__ import annotations

from accelerator.core.permissions import policy


@policy
def can_manage_webhooks(user, _obj=None) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)
