"""Who may see and do what in the demoday domain: can_*(user, obj) -> bool."""

from __future__ import annotations

# --- The guests (guest_views): staff only; a guest sees only themselves, by their link. ------
from accelerator.core.permissions import policy  # noqa: E402


@policy
def can_manage_guests(user, demo_day) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_staff", False))
