"""What auth adds to pages it does not own: the staff home's notice to set up a second factor."""

from __future__ import annotations


def second_factor_notice(user):
    """Staff and administrators without a second factor are told to set it up."""
    if not user.is_staff or user.has_second_factor:
        return None
    return {}
