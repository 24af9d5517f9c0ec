"""A guest's personal link: issued when invited, kept only as its hash, revocable, expiring
`LINK_DAYS_AFTER` days after the event (the follow-up, asking for introductions, is done
through the same link). Every page a guest opens by link finds them here."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from accelerator.core.errors import InvalidState, NotFound
from accelerator.core.i18n import gettext as _
from accelerator.core.tokens import hash_token, new_token
from accelerator.core.types import utcnow
from accelerator.demoday.models import DemoDay, Guest
from accelerator.extensions import db

#: How long after the event a guest's link still opens (interest, introductions).
LINK_DAYS_AFTER = 30


def issue(guest: Guest, demo_day: DemoDay, *, now: datetime | None = None) -> str:
    """Give `guest` a new personal link (an earlier one stops working) and return the clear
    token, to be mailed once and never stored."""
    token, token_hash = new_token()
    guest.token_hash = token_hash
    guest.expires_at = demo_day.starts_at + timedelta(days=LINK_DAYS_AFTER)
    guest.revoked_at = None
    guest.invited_at = guest.invited_at or (now or utcnow())
    return token


def find(token: str | None) -> Guest | None:
    """The guest whose link this is, or None (unknown or tampered)."""
    if not token or len(token) > 200:
        return None
    return db.session.scalar(select(Guest).where(Guest.token_hash == hash_token(token)))


def guest_for(token: str | None, *, now: datetime | None = None) -> Guest:
    """The guest a link stands for, refusing a link that does not open: unknown or tampered
    (404), revoked or past its expiry (409)."""
    guest = find(token)
    if guest is None:
        raise NotFound(_("This link is not valid. Check that it was copied whole."))
    if guest.revoked_at is not None:
        raise InvalidState(_("This link no longer works. Ask the program team for a new one."))
    if guest.expires_at is not None and (now or utcnow()) >= guest.expires_at:
        raise InvalidState(_("This link has expired."))
    return guest
