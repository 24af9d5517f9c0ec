"""The context functions of the cards the tester panel adds to other pages (hooks.py)."""

from __future__ import annotations

from accelerator.applications.queries import founder_startup_id
from accelerator.extensions import db
from accelerator.testers import queries
from accelerator.testers.models import CampaignStatus

CS = CampaignStatus
#: The campaigns a staff card names in each list before its link to the whole list.
CARD_ROWS = 5
#: A founder's card lists this many of their startup's campaigns, newest first.
FOUNDER_ROWS = 10


def founder_home(user):
    """ "Test with customers": the founder's startup's campaigns with their progress and the
    button to ask for a test; None unless the founder's startup is enrolled in a cohort."""
    startup_id = founder_startup_id(user)
    if startup_id is None or queries.current_cohort_id(startup_id) is None:
        return None
    rows, count = queries.campaign_list(startup_id=startup_id)
    campaigns = queries.first_campaign_rows(rows, FOUNDER_ROWS)
    # Counted only when the card is full: fewer rows are all of them.
    total = len(campaigns) if len(campaigns) < FOUNDER_ROWS else db.session.scalar(count) or 0
    return {"startup_id": startup_id, "campaigns": campaigns, "campaign_total": total}


def staff_home(user):
    """Campaigns awaiting approval, and those under way (approved: their first wave to send;
    running) with their progress; None when there are neither."""
    counts = queries.campaign_status_counts()
    awaiting_total = counts.get(CS.REQUESTED.value, 0)
    under_way_total = counts.get(CS.APPROVED.value, 0) + counts.get(CS.RUNNING.value, 0)
    if not (awaiting_total or under_way_total):
        return None
    awaiting, _count = queries.campaign_list(status=CS.REQUESTED)
    under_way, _count = queries.campaign_list(status=(CS.APPROVED, CS.RUNNING))
    return {
        "awaiting": queries.first_campaign_rows(awaiting, CARD_ROWS) if awaiting_total else [],
        "awaiting_total": awaiting_total,
        "under_way": queries.first_campaign_rows(under_way, CARD_ROWS) if under_way_total else [],
        "under_way_total": under_way_total,
    }


def startup_staff(startup):
    """On the staff startup page: the startup's tests and where staff ask on its behalf; None
    when it is in no cohort and has no test."""
    rows, count = queries.campaign_list(startup_id=startup.id)
    total = db.session.scalar(count) or 0
    enrolled = queries.current_cohort_id(startup.id) is not None
    if not (enrolled or total):
        return None
    return {
        "campaigns": queries.first_campaign_rows(rows, FOUNDER_ROWS) if total else [],
        "campaign_total": total,
        "enrolled": enrolled,
    }


#: What the founder home's card reads (table names): a committed write there renews the
#: startup's kept home (site.views).
FOUNDER_HOME_READS = (
    "test_campaigns",
    "test_invitations",
    "test_responses",
    "startups",
    "cohorts",
    "enrollments",
)
