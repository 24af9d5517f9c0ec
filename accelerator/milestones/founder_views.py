"""What founders do: submit a milestone's evidence, fill and edit a period's check-in."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from accelerator.applications.policies import is_founder_of
from accelerator.auth.models import Role
from accelerator.core.errors import DomainError
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.extensions import db
from accelerator.milestones import bp, checkins, forms, services
from accelerator.milestones.models import CheckIn, Milestone
from accelerator.milestones.policies import can_edit_checkin, can_report, can_view_milestone
from accelerator.milestones.views import (
    load_progress,
    refuse,
    render_milestone,
)
from accelerator.programs.models import Enrollment


@bp.route("/milestones/<int:milestone_id>/submit", methods=["POST"])
@role_required(Role.FOUNDER)
def submit_milestone(milestone_id: int):
    milestone = get_or_404(Milestone, milestone_id, policy=can_view_milestone)
    form = forms.SubmitMilestoneForm()
    if not form.validate_on_submit():
        return render_milestone(milestone, 422, submit_form=form)
    try:
        services.submit_milestone(
            milestone,
            actor=current_actor(),
            text=form.evidence_text.data,
            link=form.evidence_link.data,
            upload=form.evidence_file.data,
        )
    except DomainError as error:
        status = refuse(error, form)
        return render_milestone(db.session.get(Milestone, milestone_id), status, submit_form=form)
    db.session.commit()
    flash(_("Milestone submitted. The program team will review it."), "success")
    return redirect(url_for("milestones.milestone", milestone_id=milestone_id))


def _period_choices(progress, taken: set[date], keep: date | None = None):
    return [
        (p.starts_on.isoformat(), _("Period starting %(day)s", day=p.starts_on.isoformat()))
        for p in reversed(progress.open_periods)
        if p.starts_on not in taken or p.starts_on == keep
    ]


def _period(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def _checkin_page(progress, form, *, checkin=None, status: int = 200):
    return (
        render_template("milestones/checkin_form.html", p=progress, form=form, checkin=checkin),
        status,
    )


@bp.route("/milestones/enrollments/<int:enrollment_id>/checkins/new", methods=["GET", "POST"])
@role_required(Role.FOUNDER)
def new_checkin(enrollment_id: int):
    progress = load_progress(enrollment_id, policy=can_report)
    taken = set(
        db.session.scalars(select(CheckIn.period_on).where(CheckIn.enrollment_id == enrollment_id))
    )
    periods = _period_choices(progress, taken)
    # A stale page may post a period already taken: keep it as a choice, so the service says so.
    posted = request.form.get("period") if request.method == "POST" else None
    if posted and posted not in dict(periods):
        periods.append((posted, posted))
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
        return _checkin_page(progress, form)
    if not form.validate_on_submit():
        return _checkin_page(progress, form, status=422)
    try:
        checkin = checkins.submit_checkin(
            progress.enrollment,
            actor=current_actor(),
            period_on=_period(form.period.data),
            data=form.to_input(),
        )
    except DomainError as error:
        return _checkin_page(progress, form, status=refuse(error, form))
    db.session.commit()
    flash(_("Check-in saved. You can edit it until the program team comments."), "success")
    return redirect(url_for("milestones.checkin", checkin_id=checkin.id))


@bp.route("/checkins/<int:checkin_id>/edit", methods=["GET", "POST"])
@role_required(Role.FOUNDER)
def edit_checkin(checkin_id: int):
    checkin = get_or_404(CheckIn, checkin_id, policy=_may_see_own)
    progress = load_progress(checkin.enrollment_id, policy=can_report)
    periods = [(checkin.period_on.isoformat(), checkin.period_on.isoformat())]
    if request.method == "GET":
        if not can_edit_checkin(current_actor(), checkin):
            flash(_("Staff have commented on this check-in, so it can no longer change."), "info")
            return redirect(url_for("milestones.checkin", checkin_id=checkin_id))
        data = {
            k.name.removesuffix("_cents"): getattr(checkin, k.name) for k in checkins.KPI_FIELDS
        }
        data.update(
            period=checkin.period_on.isoformat(),
            health=checkin.health.value,
            highlights=checkin.highlights,
            blockers=checkin.blockers,
            asks=checkin.asks,
        )
        form = forms.CheckinForm(periods=periods, formdata=None, data=data)
        return _checkin_page(progress, form, checkin=checkin)
    form = forms.CheckinForm(periods=periods)
    if not form.validate_on_submit():
        return _checkin_page(progress, form, checkin=checkin, status=422)
    try:
        checkins.edit_checkin(checkin, actor=current_actor(), data=form.to_input())
    except DomainError as error:
        return _checkin_page(progress, form, checkin=checkin, status=refuse(error, form))
    db.session.commit()
    flash(_("Check-in updated."), "success")
    return redirect(url_for("milestones.checkin", checkin_id=checkin_id))


def _may_see_own(user, checkin: CheckIn) -> bool:
    """The editing page exists for the startup's founders only (others: 404)."""
    startup_id = db.session.get(Enrollment, checkin.enrollment_id).startup_id
    return is_founder_of(user, startup_id)
