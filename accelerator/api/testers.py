"""/api/v1 test campaigns with their aggregate figures (never a tester's name or address)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import fields
from sqlalchemy import false, select

from accelerator.api import paging
from accelerator.api.filters import Id, narrowed
from accelerator.api.queries import one, visible_startup_ids
from accelerator.api.resources import resource_blueprint
from accelerator.auth.models import Role
from accelerator.testers import queries
from accelerator.testers.models import Campaign, CampaignStatus
from accelerator.testers.schemas import CampaignSchema

blp = resource_blueprint(
    "testers",
    __name__,
    scope="testers",
    label=_l("Test campaigns"),
    description="Customer-test campaigns and their figures (counts, response rate, SUS, NPS).",
)


@dataclass(frozen=True)
class CampaignRead:
    """A campaign with its figures, as CampaignSchema reads it."""

    campaign: Campaign
    figures: queries.Figures

    def __getattr__(self, name: str) -> Any:
        return getattr(self.campaign, name)


def _campaigns():
    """Staff all; founders their startup's (testers.policies.can_view_campaign)."""
    statement = select(Campaign)
    if current_user.is_staff:
        return statement
    startups = visible_startup_ids(current_user) if current_user.role == Role.FOUNDER else None
    if not startups:
        return statement.where(false())
    return statement.where(Campaign.startup_id.in_(startups))


def _with_figures(campaigns: list[Campaign]) -> list[CampaignRead]:
    figures = queries.figures_of(c.id for c in campaigns)
    return [CampaignRead(c, figures.get(c.id, queries.Figures())) for c in campaigns]


class CampaignArgs(paging.ListArgs):
    status = fields.Enum(CampaignStatus, by_value=True, load_default=None)
    startup_id = Id()
    cohort_id = Id()
    opens_after = fields.Date(load_default=None, metadata={"description": "opens on or after"})
    opens_before = fields.Date(load_default=None, metadata={"description": "opens before"})


@blp.route("/campaigns")
@blp.arguments(CampaignArgs, location="query")
@blp.response(200, paging.page_of(CampaignSchema))
def list_campaigns(args):
    """Test campaigns: staff all; founders their startup's; by status, startup, cohort and
    opening date. Figures are aggregates; SUS and NPS need 5 answers."""
    statement = _campaigns()
    statement = narrowed(
        statement,
        args,
        equal={name: getattr(Campaign, name) for name in ("status", "startup_id", "cohort_id")},
        since={"opens_after": Campaign.opens_on},
        before={"opens_before": Campaign.opens_on},
    )
    page = paging.paginate(statement, Campaign.id, args)
    return {**page, "items": _with_figures(page["items"])}


@blp.route("/campaigns/<int:campaign_id>")
@blp.response(200, CampaignSchema)
def get_campaign(campaign_id: int):
    """One test campaign with its figures."""
    (read,) = _with_figures([one(_campaigns().where(Campaign.id == campaign_id))])
    return read
