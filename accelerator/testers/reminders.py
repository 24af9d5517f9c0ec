"""Reminding testers: in a running campaign's last days, each invited tester who has not
answered, is still on the panel and was not reminded yet gets one reminder, with the
unsubscribe headers (notify.invitations).

Once only, however often and however many runs: an invitation is claimed by one UPDATE ...
WHERE reminded_at IS NULL RETURNING, in the transaction that queues the mail. A second run,
even at the same moment, finds the claim (PostgreSQL makes its UPDATE wait for the first to
commit, then sees reminded_at set; SQLite runs one writer at a time) and sends nothing.

A reminder needs the tester's link, and only its hash is kept (a stolen database opens no
questionnaire). So the same UPDATE re-issues the link: a new token whose hash replaces the old
one. The invitation mail's link then stops working (it answers the "not valid" page, which
points to the latest mail); the reminder names the same test and its closing day, and its link
opens the same invitation, with any answer already saved.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, select, update

from accelerator.applications.queries import timezone_of
from accelerator.core.timeutil import local_today
from accelerator.core.tokens import new_token
from accelerator.extensions import db
from accelerator.testers import notify
from accelerator.testers.models import Campaign, CampaignInvitation, CampaignStatus, Tester
from accelerator.testers.queries import reachable

#: A running campaign's testers are reminded when it closes within this many days.
DAYS_BEFORE_CLOSE = 3
#: Invitations claimed per UPDATE (each carries its new hash as a bound value).
BATCH = 500


def _closing_soon(now: datetime) -> list[Campaign]:
    """Running campaigns whose last day is within DAYS_BEFORE_CLOSE days in their program's
    zone (read with a day's margin, then checked campaign by campaign)."""
    campaigns = db.session.scalars(
        select(Campaign)
        .where(Campaign.status == CampaignStatus.RUNNING.value)
        .where(Campaign.closes_on <= (now + timedelta(days=DAYS_BEFORE_CLOSE + 1)).date())
        .where(Campaign.closes_on >= (now - timedelta(days=1)).date())
        .order_by(Campaign.id)
    ).all()
    due = []
    for campaign in campaigns:
        days_left = (campaign.closes_on - local_today(timezone_of(campaign), now)).days
        if 0 <= days_left <= DAYS_BEFORE_CLOSE:
            due.append(campaign)
    return due


def _waiting(campaign: Campaign, now: datetime):
    """The conditions of an invitation still owed its reminder (read, then claimed)."""
    willing = select(Tester.id).where(*reachable())
    return (
        CampaignInvitation.campaign_id == campaign.id,
        CampaignInvitation.reminded_at.is_(None),
        CampaignInvitation.responded_at.is_(None),
        CampaignInvitation.revoked_at.is_(None),
        CampaignInvitation.expires_at > now,
        CampaignInvitation.tester_id.in_(willing),
    )


def _remind(campaign: Campaign, now: datetime) -> int:
    ids = db.session.scalars(
        select(CampaignInvitation.id)
        .where(*_waiting(campaign, now))
        .order_by(CampaignInvitation.id)
    ).all()
    queued = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        issued = {invitation_id: new_token() for invitation_id in chunk}
        claimed = db.session.execute(
            update(CampaignInvitation)
            .where(CampaignInvitation.id.in_(chunk), *_waiting(campaign, now))
            .values(
                reminded_at=now,
                token_hash=case(
                    {invitation_id: pair[1] for invitation_id, pair in issued.items()},
                    value=CampaignInvitation.id,
                ),
            )
            .returning(CampaignInvitation.id, CampaignInvitation.tester_id)
            .execution_options(synchronize_session=False)
        ).all()
        tokens = {tester_id: issued[invitation_id][0] for invitation_id, tester_id in claimed}
        queued += notify.invitations(campaign, tokens, reminder=True)
    return queued


def remind_testers(now: datetime) -> int:
    """Queue the reminders due at `now`; how many (a reminders sender: core/hooks.py)."""
    return sum(_remind(campaign, now) for campaign in _closing_soon(now))
