"""The public calls for applications: the list and one call's page."""

from __future__ import annotations

from flask import current_app, render_template, url_for
from sqlalchemy.orm import joinedload

from accelerator.core.permissions import get_or_404
from accelerator.core.types import utcnow
from accelerator.programs import bp, queries
from accelerator.programs.models import Cohort
from accelerator.programs.policies import can_view_cohort


@bp.app_template_global()
def url_if_exists(endpoint: str, **values) -> str | None:
    """url_for(endpoint) when a blueprint provides it, else None (so a page can link to a
    route another workstream adds later without breaking before it lands)."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


@bp.route("/calls")
def calls():
    return render_template("programs/calls.html", **queries.public_calls(), now=utcnow())


@bp.route("/calls/<int:cohort_id>")
def call(cohort_id: int):
    cohort = get_or_404(
        Cohort, cohort_id, policy=can_view_cohort, options=[joinedload(Cohort.program)]
    )
    return render_template("programs/call.html", cohort=cohort, now=utcnow())


# The shared staff filter partial (templates/programs/_cohort_filter.html) calls these.
bp.add_app_template_global(queries.cohort_choices)
bp.add_app_template_global(queries.program_choices)
