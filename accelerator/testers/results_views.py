"""A campaign's results for its startup's founders and staff: the page, the JSON its charts
draw (static/js/charts.js, as the reports do) and the CSV/XLSX downloads. Nobody else learns
the campaign exists (404). No page or file names a tester: the figures come from
`results.campaign_results`, which never reads a name or an address."""

from __future__ import annotations

from flask import jsonify, render_template, request

from accelerator.applications.models import Startup
from accelerator.core.cache import kept_fragment
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import Role, get_or_404, role_required
from accelerator.core.spreadsheets import download, written
from accelerator.extensions import db
from accelerator.testers import bp, exports, policies
from accelerator.testers.models import Campaign
from accelerator.testers.results import READS, campaign_figures, campaign_results

NPS_COLOURS = {"promoters": "#198754", "passives": "#adb5bd", "detractors": "#dc3545"}


def _campaign(campaign_id: int) -> Campaign:
    return get_or_404(Campaign, campaign_id, policy=policies.can_view_campaign)


@bp.get("/campaigns/<int:campaign_id>/results")
@role_required(Role.FOUNDER, Role.STAFF)
def results(campaign_id: int):
    campaign = _campaign(campaign_id)

    def figures() -> str:
        return render_template(
            "testers/_results_figures.html",
            campaign=campaign,
            startup=db.session.get(Startup, campaign.startup_id),
            results=campaign_figures(campaign),
        )

    # The same for the startup's founders and staff: kept as rendered until the data changes.
    return render_template(
        "testers/results.html",
        campaign=campaign,
        figures=kept_fragment("campaign-results-page", campaign.id, reads=READS, render=figures),
    )


@bp.get("/campaigns/<int:campaign_id>/results/<any(sus, nps):chart>.json")
@role_required(Role.FOUNDER, Role.STAFF)
def results_chart(campaign_id: int, chart: str):
    found = campaign_figures(_campaign(campaign_id))
    if chart == "sus":
        return jsonify(
            type="bar",
            title=_("SUS scores"),
            labels=[label for label, _count in found.sus_bins],
            datasets=[{"label": _("Responses"), "data": [n for _label, n in found.sus_bins]}],
        )
    nps = found.nps
    return jsonify(
        type="bar",
        title=_("Promoters, passives and detractors"),
        stacked=True,
        horizontal=True,
        labels=[_("Recommendation")],
        datasets=[
            {
                "label": _("Promoters (9–10)"),
                "data": [nps.promoters],
                "colour": NPS_COLOURS["promoters"],
            },
            {
                "label": _("Passives (7–8)"),
                "data": [nps.passives],
                "colour": NPS_COLOURS["passives"],
            },
            {
                "label": _("Detractors (0–6)"),
                "data": [nps.detractors],
                "colour": NPS_COLOURS["detractors"],
            },
        ],
    )


@bp.get("/campaigns/<int:campaign_id>/results.<any(csv, xlsx):fmt>")
@role_required(Role.FOUNDER, Role.STAFF)
def results_download(campaign_id: int, fmt: str):
    """XLSX: every sheet; CSV: the figures, or the sheet named by ?sheet= (e.g. responses)."""
    campaign = _campaign(campaign_id)
    sheets = exports.result_sheets(campaign, campaign_results(campaign))
    stem = f"test-{campaign.id}-results"
    if fmt == "csv":
        by_key = {sheet.key: sheet for sheet in sheets}
        sheets = [by_key.get(request.args.get("sheet", ""), sheets[0])]
        stem = f"{stem}-{sheets[0].key}"
    return download(written(sheets, fmt)[0], fmt, f"{stem}.{fmt}")
