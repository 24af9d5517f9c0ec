"""The public calls for applications: the list and one call's page."""

from __future__ import annotations

from flask import current_app, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from accelerator.core.permissions import get_or_404
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs import bp
from accelerator.programs.filters import cohort_choices, phase_condition, program_choices
from accelerator.programs.models import Cohort, Phase
from accelerator.programs.policies import can_view_cohort

PAST_SHOWN = 12


@bp.app_template_global()
def url_if_exists(endpoint: str, **values) -> str | None:
    """url_for(endpoint) when a blueprint provides it, else None (so a page can link to a
    route another workstream adds later without breaking before it lands)."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


def _cohorts(phase: Phase, *order, limit: int | None = None) -> list[Cohort]:
    statement = (
        select(Cohort)
        .options(joinedload(Cohort.program))
        .where(phase_condition(phase))
        .order_by(*order)
        .limit(limit)
    )
    return list(db.session.scalars(statement))


@bp.route("/calls")
def calls():
    open_calls = _cohorts(Phase.OPEN, Cohort.applications_close_at, Cohort.id)
    upcoming = _cohorts(Phase.UPCOMING, Cohort.applications_open_at, Cohort.id)
    past = list(
        db.session.scalars(
            select(Cohort)
            .options(joinedload(Cohort.program))
            .where(
                phase_condition(Phase.REVIEWING)
                | phase_condition(Phase.RUNNING)
                | phase_condition(Phase.COMPLETED)
            )
            .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
            .limit(PAST_SHOWN)
        )
    )
    return render_template(
        "programs/calls.html", open_calls=open_calls, upcoming=upcoming, past=past, now=utcnow()
    )


@bp.route("/calls/<int:cohort_id>")
def call(cohort_id: int):
    cohort = get_or_404(
        Cohort, cohort_id, policy=can_view_cohort, options=[joinedload(Cohort.program)]
    )
    return render_template("programs/call.html", cohort=cohort, now=utcnow())


# The shared staff filter partial (templates/programs/_cohort_filter.html) calls these.
bp.add_app_template_global(cohort_choices)
bp.add_app_template_global(program_choices)
