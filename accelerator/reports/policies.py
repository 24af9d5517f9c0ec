"""Who may see and do what in reports: can_*(user, obj) -> bool."""

from __future__ import annotations
