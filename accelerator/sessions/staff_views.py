"""Staff pages of sessions: the engagement of a cohort, and resolving a mentor's red flag."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from accelerator.applications.queries import timezone_of
from accelerator.auth.models import Role
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import current_actor, role_required
from accelerator.core.refusals import refusals_beside
from accelerator.extensions import db
from accelerator.programs.queries import cohort_choices, cohort_timezones, selected_filter
from accelerator.sessions import bp, engagement, services
from accelerator.sessions.forms import ResolveFlagForm
from accelerator.sessions.views import load_session, render_session


@bp.route("/mentoring/engagement")
@role_required(Role.STAFF)
def engagement_page():
    _program, cohort_id = selected_filter(request.args)
    cohort = engagement.shown_cohort(cohort_id)
    report = engagement.engagement(cohort) if cohort is not None else None
    flags = engagement.open_red_flags(
        [p.startup_id for p in report.pairs] if report is not None else None, limit=20
    )
    cohort_timezones(s.cohort_id for s, _startup, _mentor in flags)  # each flag's zone, at once
    return render_template(
        "sessions/engagement.html",
        cohort=cohort,
        report=report,
        flags=flags,
        cohort_choices=cohort_choices,
        quiet_days=engagement.QUIET_AFTER.days,
        timezone=timezone_of(cohort),
        timezone_of=timezone_of,
    )


@bp.route("/mentoring/sessions/<int:session_id>/resolve-flag", methods=["POST"])
@role_required(Role.STAFF)
def resolve_red_flag(session_id: int):
    session = load_session(session_id)
    form = ResolveFlagForm()
    if form.validate_on_submit():
        with refusals_beside(form):
            services.resolve_red_flag(session, actor=current_actor(), note=form.note.data)
            db.session.commit()
            flash(_("Red flag resolved."), "success")
            return redirect(url_for("sessions.session_detail", session_id=session.id))
    return render_session(load_session(session.id), resolve_form=form)
