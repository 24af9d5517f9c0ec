"""Who may see and do what in the demoday domain: can_*(user, obj) -> bool."""

from __future__ import annotations
