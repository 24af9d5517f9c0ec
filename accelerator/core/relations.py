"""Who follows a startup besides its founders: a hook the mentoring domain fills.

Milestones and mentoring are siblings in the layers and never import each other. A mentor
matched with a startup may read its check-ins: mentoring registers one lookup here
(`@mentor_startups`, user id -> ids of the startups the mentor is matched with), and the
milestones policies ask `mentored_startup_ids(user)`. Without mentoring no mentor follows any
startup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

MentorLookup = Callable[[int], Iterable[int]]

_LOOKUPS: dict[str, MentorLookup] = {}


def mentor_startups(func: MentorLookup) -> MentorLookup:
    """Register a lookup of the startups a mentor follows (registering again replaces it)."""
    _LOOKUPS[f"{func.__module__}.{func.__qualname__}"] = func
    return func


def mentored_startup_ids(user) -> set[int]:
    """Ids of the startups a mentor user is matched with, from every registered lookup."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "id", None) is None:
        return set()
    found: set[int] = set()
    for lookup in _LOOKUPS.values():
        found.update(lookup(user.id))
    return found
