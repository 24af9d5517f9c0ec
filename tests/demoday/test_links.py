"""A guest's personal link: found by its token only, refused when tampered, revoked or expired."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accelerator.core.errors import InvalidState, NotFound
from accelerator.core.types import utcnow
from accelerator.demoday import links
from accelerator.demoday.models import Rsvp
from tests import factories


def test_a_link_opens_for_its_guest_only_and_is_kept_hashed(db):
    demo_day = factories.make_demo_day()
    guest, token = factories.make_guest(demo_day, name="Société Éclair Capital")
    other, other_token = factories.make_guest(demo_day)
    assert links.guest_for(token).id == guest.id
    assert links.guest_for(other_token).id == other.id
    assert token not in guest.token_hash and len(guest.token_hash) == 64
    with pytest.raises(NotFound):
        links.guest_for(token[:-2] + "xx")
    with pytest.raises(NotFound):
        links.guest_for("")


def test_a_new_link_replaces_the_old_and_revoked_or_expired_links_refuse(db):
    demo_day = factories.make_demo_day()
    guest, token = factories.make_guest(demo_day, rsvp=Rsvp.YES, plus_ones=1)
    assert demo_day.seats_taken == 2
    new = links.issue(guest, demo_day)
    with pytest.raises(NotFound):
        links.guest_for(token)
    assert links.guest_for(new).id == guest.id
    guest.revoked_at = utcnow()
    with pytest.raises(InvalidState):
        links.guest_for(new)
    guest.revoked_at = None
    later = demo_day.starts_at + timedelta(days=links.LINK_DAYS_AFTER, seconds=1)
    with pytest.raises(InvalidState):
        links.guest_for(new, now=later)
