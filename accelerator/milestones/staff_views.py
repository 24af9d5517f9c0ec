"""What staff do to one startup: add, move and drop a milestone, review evidence, comment on a
check-in and turn its ask into a mentor request. Each: load, check, one service call, commit."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from accelerator.auth.models import Role
from accelerator.core.errors import DomainError
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.extensions import db
from accelerator.milestones import bp, checkins, forms, services
from accelerator.milestones.models import CheckIn, Milestone
from accelerator.milestones.views import (
    load_progress,
    refuse,
    render_checkin,
    render_milestone,
    render_progress,
)


@bp.route("/milestones/enrollments/<int:enrollment_id>/milestones", methods=["POST"])
@role_required(Role.STAFF)
def add_milestone(enrollment_id: int):
    progress = load_progress(enrollment_id)
    form = forms.AddMilestoneForm()
    if not form.validate_on_submit():
        return render_progress(progress, add_form=form, status=422)
    try:
        milestone = services.add_milestone(
            progress.enrollment,
            actor=current_actor(),
            title=form.title.data,
            description=form.description.data,
            due_on=form.due_on.data,
            kpi_targets=form.kpi_targets.data,
        )
    except DomainError as error:
        status = refuse(error, form)
        return render_progress(load_progress(enrollment_id), add_form=form, status=status)
    db.session.commit()
    flash(_("Milestone added for %(startup)s.", startup=progress.startup.name), "success")
    return redirect(url_for("milestones.milestone", milestone_id=milestone.id))


def _act(milestone_id: int, form, name: str, call, message: str):
    milestone = get_or_404(Milestone, milestone_id)
    if not form.validate_on_submit():
        return render_milestone(milestone, 422, open_form=name, **{f"{name}_form": form})
    try:
        call(milestone)
    except DomainError as error:
        status = refuse(error, form)
        milestone = db.session.get(Milestone, milestone_id)
        return render_milestone(milestone, status, open_form=name, **{f"{name}_form": form})
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("milestones.milestone", milestone_id=milestone_id))


@bp.route("/milestones/<int:milestone_id>/move", methods=["POST"])
@role_required(Role.STAFF)
def move_milestone(milestone_id: int):
    form = forms.MoveForm()
    return _act(
        milestone_id,
        form,
        "move",
        lambda m: services.move_milestone(
            m, actor=current_actor(), due_on=form.due_on.data, reason=form.reason.data
        ),
        _("Due date moved."),
    )


@bp.route("/milestones/<int:milestone_id>/drop", methods=["POST"])
@role_required(Role.STAFF)
def drop_milestone(milestone_id: int):
    form = forms.DropForm()
    return _act(
        milestone_id,
        form,
        "drop",
        lambda m: services.drop_milestone(m, actor=current_actor(), reason=form.reason.data),
        _("Milestone dropped for this startup."),
    )


@bp.route("/milestones/<int:milestone_id>/review", methods=["POST"])
@role_required(Role.STAFF)
def review_milestone(milestone_id: int):
    form = forms.ReviewForm()
    milestone = get_or_404(Milestone, milestone_id)
    if not form.validate_on_submit():
        return render_milestone(milestone, 422, review_form=form)
    try:
        if form.send_back.data:
            services.send_back_milestone(
                milestone, actor=current_actor(), comment=form.comment.data
            )
            message = _("Milestone sent back to the founders with your comment.")
        else:
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
    except DomainError as error:
        status = refuse(error, form)
        return render_milestone(db.session.get(Milestone, milestone_id), status, review_form=form)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("milestones.milestone", milestone_id=milestone_id))


@bp.route("/checkins/<int:checkin_id>/comment", methods=["POST"])
@role_required(Role.STAFF)
def comment_checkin(checkin_id: int):
    checkin = get_or_404(CheckIn, checkin_id)
    form = forms.CommentForm()
    if not form.validate_on_submit():
        return render_checkin(checkin, comment_form=form, status=422)
    try:
        checkins.comment_checkin(checkin, actor=current_actor(), comment=form.comment.data)
    except DomainError as error:
        status = refuse(error, form)
        return render_checkin(db.session.get(CheckIn, checkin_id), comment_form=form, status=status)
    db.session.commit()
    flash(_("Comment saved; the founders are told. The check-in can no longer change."), "success")
    return redirect(url_for("milestones.checkin", checkin_id=checkin_id))


@bp.route("/checkins/<int:checkin_id>/mentor-request", methods=["POST"])
@role_required(Role.STAFF)
def request_mentor(checkin_id: int):
    checkin = get_or_404(CheckIn, checkin_id)
    form = forms.ConfirmForm()
    if form.validate_on_submit():
        try:
            checkins.request_mentor(checkin, actor=current_actor())
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "warning")
            return render_checkin(db.session.get(CheckIn, checkin_id), status=409)
        db.session.commit()
        flash(
            _("The ask is now a mentor request, listed on the cohort's progress page."), "success"
        )
    return redirect(url_for("milestones.checkin", checkin_id=checkin_id))
