"""Reminding the guests of a demo day (a reminders sender: `flask reminders send`, hourly):

* an invited guest who has not answered gets one reminder DAYS_BEFORE days before the event
  (if invited at least a day earlier);
* a guest coming gets a practical reminder (date, venue, online link) in the DAY_BEFORE
  before it starts.

Neither reaches a guest who unsubscribed (one click in any of these mails) or whose link was
revoked. Once only, however many runs: a guest is claimed by one UPDATE ... WHERE (still owed
the reminder) ... RETURNING that sets `reminded_at`, in the transaction that queues the mail;
a second run finds the claim and sends nothing. A reminder needs the guest's link and only its
hash is kept, so the same UPDATE gives the guest a new link (the earlier mail's link then says
"not valid"; the reminder says its link replaces it).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, or_, select, update

from accelerator.core.tokens import new_token
from accelerator.demoday import notify
from accelerator.demoday.models import DemoDay, Guest, Rsvp
from accelerator.extensions import db

#: An invited guest without an answer is reminded this many days before the event.
DAYS_BEFORE = 7
#: A guest coming is reminded within this time before the event starts.
DAY_BEFORE = timedelta(hours=24)
#: An invitation this recent is not reminded yet.
INVITED_SINCE = timedelta(days=1)


def _reachable(demo_day: DemoDay):
    return (
        Guest.demo_day_id == demo_day.id,
        Guest.unsubscribed_at.is_(None),
        Guest.revoked_at.is_(None),
        Guest.token_hash.is_not(None),
    )


def _owed(kind: str, demo_day: DemoDay, now: datetime):
    if kind == "no_answer":
        return (
            *_reachable(demo_day),
            Guest.rsvp == Rsvp.INVITED.value,
            Guest.reminded_at.is_(None),
            Guest.invited_at <= now - INVITED_SINCE,
        )
    return (
        *_reachable(demo_day),
        Guest.rsvp == Rsvp.YES.value,
        or_(Guest.reminded_at.is_(None), Guest.reminded_at < demo_day.starts_at - DAY_BEFORE),
    )


def _remind(kind: str, demo_day: DemoDay, now: datetime) -> int:
    ids = db.session.scalars(
        select(Guest.id).where(*_owed(kind, demo_day, now)).order_by(Guest.id)
    ).all()
    if not ids:
        return 0
    issued = {guest_id: new_token() for guest_id in ids}
    claimed = db.session.scalars(
        update(Guest)
        .where(Guest.id.in_(ids), *_owed(kind, demo_day, now))
        .values(
            reminded_at=now,
            token_hash=case(
                {guest_id: pair[1] for guest_id, pair in issued.items()}, value=Guest.id
            ),
        )
        .returning(Guest.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        return 0
    guests = db.session.scalars(
        select(Guest)
        .where(Guest.id.in_(claimed))
        .order_by(Guest.id)
        .execution_options(populate_existing=True)
    ).all()
    tokens = {guest_id: issued[guest_id][0] for guest_id in claimed}
    return notify.send(kind, demo_day, guests, tokens)


def remind_guests(now: datetime) -> int:
    """Queue the guests' reminders due at `now`; how many (core/hooks.py `reminders`)."""
    demo_days = db.session.scalars(
        select(DemoDay)
        .where(DemoDay.starts_at > now, DemoDay.starts_at <= now + timedelta(days=DAYS_BEFORE))
        .order_by(DemoDay.id)
    ).all()
    sent = 0
    for demo_day in demo_days:
        sent += _remind("no_answer", demo_day, now)
        if now >= demo_day.starts_at - DAY_BEFORE:
            sent += _remind("day_before", demo_day, now)
    return sent
