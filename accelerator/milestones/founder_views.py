"""What founders do: submit a milestone's evidence, fill and edit a period's check-in."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from accelerator.auth.models import Role
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import refusals_beside
from accelerator.extensions import db
from accelerator.milestones import bp, checkins, forms, queries, services
from accelerator.milestones.models import CheckIn
from accelerator.milestones.policies import (
    can_edit_checkin,
    can_report,
    can_view_milestone,
    is_own_checkin,
)
from accelerator.milestones.views import act_on_milestone, load_progress


@bp.route("/milestones/<int:milestone_id>/submit", methods=["POST"])
@role_required(Role.FOUNDER)
def submit_milestone(milestone_id: int):
    form = forms.SubmitMilestoneForm()

    def act(milestone):
        services.submit_milestone(
            milestone,
            actor=current_actor(),
            text=form.evidence_text.data,
            link=form.evidence_link.data,
            upload=form.evidence_file.data,
        )
        return _("Milestone submitted. The program team will review it.")

    return act_on_milestone(milestone_id, form, "submit", act, policy=can_view_milestone)


def _open_periods(progress) -> list[tuple[str, str]]:
    """The periods still without a check-in that a founder may report on, latest first."""
    taken = {day for _e, day in queries.reported_periods([progress.enrollment.id])}
    return [
        (p.starts_on.isoformat(), _("Period starting %(day)s", day=p.starts_on.isoformat()))
        for p in reversed(progress.open_periods)
        if p.starts_on not in taken
    ]


def _checkin_page(progress, form, checkin=None):
    return render_template("milestones/checkin_form.html", p=progress, form=form, checkin=checkin)


@bp.route("/milestones/enrollments/<int:enrollment_id>/checkins/new", methods=["GET", "POST"])
@role_required(Role.FOUNDER)
def new_checkin(enrollment_id: int):
    progress = load_progress(enrollment_id, policy=can_report)
    periods = _open_periods(progress)
    form = forms.CheckinForm(periods=periods)
    if request.method == "GET":
        if not progress.open_periods:
            flash(_("Check-ins are closed: the cohort has not started or has finished."), "info")
            return redirect(url_for("milestones.progress", enrollment_id=enrollment_id))
        if not periods:
            flash(_("Every period so far has its check-in."), "info")
            return redirect(url_for("milestones.progress", enrollment_id=enrollment_id))
        wanted = request.args.get("period")
        form.period.data = wanted if wanted in dict(periods) else periods[0][0]
        enrollment = progress.enrollment
        form.offer(checkins.offered_figures(enrollment.startup_id, enrollment.cohort_id))
    elif form.validate_on_submit():
        with refusals_beside(form):
            checkin = checkins.submit_checkin(
                progress.enrollment,
                actor=current_actor(),
                period_on=form.period_on,
                data=form.to_input(),
            )
            db.session.commit()
            flash(_("Check-in saved. You can edit it until the program team comments."), "success")
            return redirect(url_for("milestones.checkin", checkin_id=checkin.id))
    return _checkin_page(progress, form)


@bp.route("/checkins/<int:checkin_id>/edit", methods=["GET", "POST"])
@role_required(Role.FOUNDER)
def edit_checkin(checkin_id: int):
    checkin = get_or_404(CheckIn, checkin_id, policy=is_own_checkin)
    progress = load_progress(checkin.enrollment_id, policy=can_report)
    if request.method == "GET":
        if not can_edit_checkin(current_actor(), checkin):
            flash(_("Staff have commented on this check-in, so it can no longer change."), "info")
            return redirect(url_for("milestones.checkin", checkin_id=checkin_id))
        return _checkin_page(progress, forms.CheckinForm.of(checkin), checkin)
    period = checkin.period_on.isoformat()
    form = forms.CheckinForm(periods=[(period, period)])
    if form.validate_on_submit():
        with refusals_beside(form):
            checkins.edit_checkin(checkin, actor=current_actor(), data=form.to_input())
            db.session.commit()
            flash(_("Check-in updated."), "success")
            return redirect(url_for("milestones.checkin", checkin_id=checkin_id))
    return _checkin_page(progress, form, checkin)
