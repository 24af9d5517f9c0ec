"""Staff and founder pages of test campaigns (stubs the pages' work fills in)."""

from __future__ import annotations

from flask import render_template

from accelerator.core.permissions import Role, get_or_404, role_required
from accelerator.testers import bp, policies
from accelerator.testers.models import Campaign


@bp.get("/campaigns/<int:campaign_id>")
@role_required(Role.FOUNDER, Role.STAFF)
def campaign(campaign_id: int):
    found = get_or_404(Campaign, campaign_id, policy=policies.can_view_campaign)
    return render_template("testers/campaign.html", campaign=found)
