"""Pages of one startup's progress, seen by its founders, staff and (check-ins) matched mentors:
the progress page, a milestone, a check-in, the evidence file; and the founder's shortcut."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from accelerator.auth.models import Role
from accelerator.core.files import safe_filename, send_stored_file
from accelerator.core.forms import ConfirmForm
from accelerator.core.models import StoredFile
from accelerator.core.permissions import get_or_404, role_required
from accelerator.core.refusals import refusals_beside
from accelerator.extensions import db
from accelerator.grants.models import Disbursement
from accelerator.milestones import bp, forms, queries
from accelerator.milestones.checkins import KPI_FIELDS
from accelerator.milestones.models import CheckIn, Milestone
from accelerator.milestones.policies import (
    can_edit_checkin,
    can_report,
    can_view_checkin,
    can_view_milestone,
    can_view_milestones,
    can_view_progress,
)
from accelerator.programs.models import Enrollment

ANYONE = (Role.FOUNDER, Role.MENTOR, Role.STAFF)


def load_progress(enrollment_id: int, policy=can_view_progress) -> queries.Progress:
    enrollment = get_or_404(Enrollment, enrollment_id, policy=policy)
    progress = queries.progress_of(enrollment.id)
    if progress is None:
        abort(404)
    return progress


def _fresh(model, ident: int, *people):
    """The row as the database has it now, with the people named on it."""
    options = [joinedload(relation) for relation in people]
    return db.session.get(model, ident, options=options, populate_existing=True)


@bp.route("/milestones/mine")
@role_required(Role.FOUNDER, Role.STAFF)
def mine():
    if current_user.is_staff:
        return redirect(url_for("milestones.index"))
    enrollments = queries.founder_enrollments(current_user)
    if not enrollments:
        return render_template("milestones/none.html")
    return redirect(url_for("milestones.progress", enrollment_id=enrollments[0]))


@bp.route("/milestones/enrollments/<int:enrollment_id>")
@role_required(*ANYONE)
def progress(enrollment_id: int):
    return render_progress(load_progress(enrollment_id))


def render_progress(progress: queries.Progress, *, add_form=None):
    user = current_user
    enrollment = progress.enrollment
    show_milestones = can_view_milestones(user, enrollment)
    milestones = queries.milestones_of([enrollment.id])[enrollment.id] if show_milestones else []
    checkins = queries.checkins_of(enrollment.id)
    reported = {c.period_on for c in checkins}
    flags = queries.cohort_flags(progress.cohort.id, [progress.startup.id])[progress.startup.id]
    if user.is_staff and add_form is None:
        add_form = forms.AddMilestoneForm(formdata=None)
    return render_template(
        "milestones/progress.html",
        p=progress,
        milestones=milestones,
        show_milestones=show_milestones,
        checkins=checkins,
        missing=[pd for pd in progress.open_periods if pd.starts_on not in reported],
        flags=flags if user.is_staff else [],
        kpis=KPI_FIELDS,
        add_form=add_form,
        can_report=can_report(user, enrollment),
    )


@bp.route("/milestones/<int:milestone_id>")
@role_required(Role.FOUNDER, Role.STAFF)
def milestone(milestone_id: int):
    return render_milestone(get_or_404(Milestone, milestone_id, policy=can_view_milestone))


def render_milestone(milestone: Milestone, *, open_form: str | None = None, **bound):
    """The milestone page; an action shown again passes its bound form by name."""
    progress = queries.progress_of(milestone.enrollment_id)
    milestone = _fresh(Milestone, milestone.id, Milestone.submitted_by, Milestone.reviewed_by)
    evidence, disbursement = None, None
    if milestone.evidence_file_id:
        evidence = db.session.get(StoredFile, milestone.evidence_file_id)
    if milestone.disbursement_id:
        disbursement = db.session.get(Disbursement, milestone.disbursement_id)
    return render_template(
        "milestones/milestone.html",
        m=milestone,
        p=progress,
        shown=milestone.shown_status(progress.today),
        evidence=evidence,
        disbursement=disbursement,
        open_form=open_form,
        can_submit=can_report(current_user, progress.enrollment) and milestone.still_due,
        submit_form=bound.get("submit_form") or forms.SubmitMilestoneForm(formdata=None),
        review_form=bound.get("review_form") or forms.ReviewForm(formdata=None),
        move_form=bound.get("move_form")
        or forms.MoveForm(formdata=None, data={"due_on": milestone.due_on}),
        drop_form=bound.get("drop_form") or forms.DropForm(formdata=None),
    )


def act_on_milestone(milestone_id: int, form, name: str, act, *, policy=None):
    """An action on a milestone through its form `name`: `act(milestone)` calls the service
    and returns the message; an invalid or refused form is shown again, open."""
    milestone = get_or_404(Milestone, milestone_id, policy=policy)
    if form.validate_on_submit():
        with refusals_beside(form):
            message = act(milestone)
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("milestones.milestone", milestone_id=milestone_id))
    return render_milestone(milestone, open_form=name, **{f"{name}_form": form})


@bp.route("/milestones/<int:milestone_id>/evidence")
@role_required(Role.FOUNDER, Role.STAFF)
def evidence(milestone_id: int):
    milestone = get_or_404(Milestone, milestone_id, policy=can_view_milestone)
    if milestone.evidence_file_id is None:
        abort(404)
    stored = db.session.get(StoredFile, milestone.evidence_file_id)
    if stored is None:
        abort(404)
    name = safe_filename(milestone.title, default="milestone") + "-evidence.pdf"
    return send_stored_file(stored, download_name=name)


@bp.route("/checkins/<int:checkin_id>")
@role_required(*ANYONE)
def checkin(checkin_id: int):
    return render_checkin(get_or_404(CheckIn, checkin_id, policy=can_view_checkin))


def render_checkin(checkin: CheckIn, *, comment_form=None):
    progress = queries.progress_of(checkin.enrollment_id)
    checkin = _fresh(CheckIn, checkin.id, CheckIn.submitted_by, CheckIn.commented_by)
    if comment_form is None:
        comment_form = forms.CommentForm(formdata=None, data={"comment": checkin.staff_comment})
    return render_template(
        "milestones/checkin.html",
        c=checkin,
        p=progress,
        kpis=KPI_FIELDS,
        comment_form=comment_form,
        confirm_form=ConfirmForm(formdata=None),
        can_edit=can_edit_checkin(current_user, checkin),
    )
