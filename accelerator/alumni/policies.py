"""Who may see and do what in the alumni domain: can_*(user, obj) -> bool."""

from __future__ import annotations
