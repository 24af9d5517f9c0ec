"""Who may see and act on test campaigns: staff everything; a startup's founders their own
campaigns and their results (never a tester's name or address); testers only through their
personal link (no account)."""

from __future__ import annotations

from accelerator.applications.policies import is_founder_of
from accelerator.core.permissions import policy
from accelerator.testers.models import Campaign, CampaignStatus


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "active", False))


@policy
def can_view_campaign(user, campaign: Campaign) -> bool:
    return _signed_in(user) and (user.is_staff or is_founder_of(user, campaign.startup_id))


@policy
def can_edit_campaign(user, campaign: Campaign) -> bool:
    """Staff before it runs; the founders while it awaits approval."""
    if not _signed_in(user):
        return False
    if user.is_staff:
        return campaign.status in (CampaignStatus.REQUESTED, CampaignStatus.APPROVED)
    return campaign.status == CampaignStatus.REQUESTED and is_founder_of(user, campaign.startup_id)


@policy
def can_close_campaign(user, campaign: Campaign) -> bool:
    return can_view_campaign(user, campaign) and campaign.status in (
        CampaignStatus.APPROVED,
        CampaignStatus.RUNNING,
    )


@policy
def can_ask_test(user, startup) -> bool:
    return _signed_in(user) and (user.is_staff or is_founder_of(user, startup.id))
