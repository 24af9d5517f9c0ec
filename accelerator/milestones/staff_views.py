"""What staff do to one startup: add, move and drop a milestone, review evidence, comment on a
check-in and turn its ask into a mentor request. Each: load, check, one service call, commit."""

from __future__ import annotations

from flask import flash, redirect, url_for

from accelerator.auth.models import Role
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.extensions import db
from accelerator.milestones import bp, checkins, forms, services
from accelerator.milestones.models import CheckIn
from accelerator.milestones.views import (
    act_on_milestone,
    load_progress,
    render_checkin,
    render_progress,
)


@bp.route("/milestones/enrollments/<int:enrollment_id>/milestones", methods=["POST"])
@role_required(Role.STAFF)
def add_milestone(enrollment_id: int):
    progress = load_progress(enrollment_id)
    form = forms.AddMilestoneForm()
    if form.validate_on_submit():
        with refusals_beside(form):
            milestone = services.add_milestone(
                progress.enrollment,
                actor=current_actor(),
                title=form.title.data,
                description=form.description.data,
                due_on=form.due_on.data,
                kpi_targets=form.kpi_targets.data,
            )
            db.session.commit()
            flash(_("Milestone added for %(startup)s.", startup=progress.startup.name), "success")
            return redirect(url_for("milestones.milestone", milestone_id=milestone.id))
    return render_progress(progress, add_form=form)


@bp.route("/milestones/<int:milestone_id>/move", methods=["POST"])
@role_required(Role.STAFF)
def move_milestone(milestone_id: int):
    form = forms.MoveForm()

    def act(milestone):
        services.move_milestone(
            milestone, actor=current_actor(), due_on=form.due_on.data, reason=form.reason.data
        )
        return _("Due date moved.")

    return act_on_milestone(milestone_id, form, "move", act)


@bp.route("/milestones/<int:milestone_id>/drop", methods=["POST"])
@role_required(Role.STAFF)
def drop_milestone(milestone_id: int):
    form = forms.DropForm()

    def act(milestone):
        services.drop_milestone(milestone, actor=current_actor(), reason=form.reason.data)
        return _("Milestone dropped for this startup.")

    return act_on_milestone(milestone_id, form, "drop", act)


@bp.route("/milestones/<int:milestone_id>/review", methods=["POST"])
@role_required(Role.STAFF)
def review_milestone(milestone_id: int):
    form = forms.ReviewForm()

    def act(milestone):
        if form.send_back.data:
            services.send_back_milestone(
                milestone, actor=current_actor(), comment=form.comment.data
            )
            return _("Milestone sent back to the founders with your comment.")
        _m, row, note = services.approve_milestone(
            milestone, actor=current_actor(), comment=form.comment.data
        )
        message = _("Milestone approved.")
        if row is not None:
            message += " " + _(
                "The tranche is requested in the grant ledger: another staff member "
                "approves the payment."
            )
        elif note:
            message += " " + note
        return message

    return act_on_milestone(milestone_id, form, "review", act)


@bp.route("/checkins/<int:checkin_id>/comment", methods=["POST"])
@role_required(Role.STAFF)
def comment_checkin(checkin_id: int):
    checkin = get_or_404(CheckIn, checkin_id)
    form = forms.CommentForm()
    if form.validate_on_submit():
        with refusals_beside(form):
            checkins.comment_checkin(checkin, actor=current_actor(), comment=form.comment.data)
            db.session.commit()
            flash(
                _("Comment saved; the founders are told. The check-in can no longer change."),
                "success",
            )
            return redirect(url_for("milestones.checkin", checkin_id=checkin_id))
    return render_checkin(checkin, comment_form=form)


@bp.route("/checkins/<int:checkin_id>/mentor-request", methods=["POST"])
@role_required(Role.STAFF)
def request_mentor(checkin_id: int):
    checkin = get_or_404(CheckIn, checkin_id)
    refusal_page(url_for("milestones.checkin", checkin_id=checkin_id))
    if ConfirmForm().validate_on_submit():
        checkins.request_mentor(checkin, actor=current_actor())
        db.session.commit()
        flash(
            _("The ask is now a mentor request, listed on the cohort's progress page."), "success"
        )
    return redirect(url_for("milestones.checkin", checkin_id=checkin_id))
