"""Reviewer pages: the inbox, the conflict-of-interest declaration and the review form."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from accelerator.applications.models import Application
from accelerator.auth.models import Role
from accelerator.core.errors import DomainError
from accelerator.core.files import send_stored_file
from accelerator.core.forms import show_error
from accelerator.core.models import StoredFile
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.extensions import db
from accelerator.programs.models import Cohort
from accelerator.reviews import assignment as assigning
from accelerator.reviews import bp, queries, scoring
from accelerator.reviews.forms import DeclarationForm, review_form_class
from accelerator.reviews.models import Review, ReviewAssignment
from accelerator.reviews.policies import can_declare
from accelerator.reviews.scoring import criteria_of

REVIEWERS = (Role.STAFF, Role.MENTOR)
_WITH_APPLICATION = [
    joinedload(ReviewAssignment.application).joinedload(Application.startup),
    joinedload(ReviewAssignment.application).joinedload(Application.cohort),
]


@bp.route("/reviews/inbox")
@role_required(*REVIEWERS)
def inbox():
    assignments = queries.inbox(current_actor())
    cleared = [a for a in assignments if a.is_cleared]
    waiting = [a for a in cleared if a.review is None]
    groups = {
        "undeclared": [a for a in assignments if not a.declared_at],
        "to_review": [a for a in waiting if scoring.review_is_open(a.application)],
        "reviewed": [a for a in cleared if a.review is not None],
        "closed": [a for a in waiting if not scoring.review_is_open(a.application)],
        "conflicts": [a for a in assignments if a.is_conflicted],
    }
    return render_template("reviews/inbox.html", groups=groups, total=len(assignments))


def _refuse_conflicted(assignment: ReviewAssignment):
    flash(
        _(
            "You declared a conflict of interest with %(startup)s: you cannot open or score "
            "this application. It was given to another reviewer.",
            startup=assignment.application.startup.name,
        ),
        "warning",
    )
    return redirect(url_for("reviews.inbox"))


@bp.route("/reviews/assignments/<int:assignment_id>/declare", methods=["GET", "POST"])
@role_required(*REVIEWERS)
def declare(assignment_id: int):
    assignment = get_or_404(
        ReviewAssignment, assignment_id, policy=can_declare, options=_WITH_APPLICATION
    )
    if assignment.is_conflicted:
        return _refuse_conflicted(assignment)
    form = DeclarationForm()
    if form.validate_on_submit():
        conflict = form.conflict.data == "conflict"
        try:
            assigning.declare(
                assignment, actor=current_actor(), conflict=conflict, reason=form.reason.data
            )
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            if conflict:
                flash(
                    _(
                        "Thank you: your conflict is recorded and the application goes to "
                        "another reviewer."
                    ),
                    "info",
                )
                return redirect(url_for("reviews.inbox"))
            return redirect(url_for("reviews.review", assignment_id=assignment.id))
    return render_template("reviews/declare.html", assignment=assignment, form=form)


@bp.route("/reviews/assignments/<int:assignment_id>/review", methods=["GET", "POST"])
@role_required(*REVIEWERS)
def review(assignment_id: int):
    assignment = get_or_404(
        ReviewAssignment, assignment_id, policy=can_declare, options=_WITH_APPLICATION
    )
    if assignment.is_conflicted:
        return _refuse_conflicted(assignment)
    if not assignment.is_cleared:
        flash(_("First tell us whether you have a conflict of interest."), "info")
        return redirect(url_for("reviews.declare", assignment_id=assignment.id))
    application = assignment.application
    existing = db.session.scalar(
        select(Review)
        .where(Review.assignment_id == assignment.id)
        .options(selectinload(Review.scores))
    )
    form = _review_form(application.cohort, existing)
    is_open = scoring.review_is_open(application)
    if form.validate_on_submit():
        try:
            scoring.submit_review(
                assignment,
                actor=current_actor(),
                scores=form.scores(),
                recommendation=form.recommendation.data,
                confidence=form.confidence.data,
                comment=form.comment.data,
                feedback_tags=form.feedback_tags.data or [],
            )
        except DomainError as error:
            show_error(form, error)
        else:
            flash(
                _(
                    "Your review of %(startup)s is saved. You can edit it until the review "
                    "stage closes.",
                    startup=application.startup.name,
                ),
                "success",
            )
            db.session.commit()
            return redirect(url_for("reviews.inbox"))
    return render_template(
        "reviews/review.html",
        assignment=assignment,
        application=application,
        form=form,
        existing=existing,
        is_open=is_open,
    )


def _review_form(cohort: Cohort, existing: Review | None):
    form_class = review_form_class(criteria_of(cohort))
    if existing is None:
        return form_class()
    data = {
        f"criterion_{i}": existing.score_map().get(c["key"])
        for i, c in enumerate(form_class.criteria)
    }
    return form_class(
        data=data,
        recommendation=existing.recommendation.value,
        confidence=existing.confidence.value,
        comment=existing.comment,
        feedback_tags=list(existing.feedback_tags or []),
    )


@bp.route("/reviews/assignments/<int:assignment_id>/deck")
@role_required(*REVIEWERS)
def deck(assignment_id: int):
    """The pitch deck, for a reviewer who declared no conflict (as an attachment)."""
    assignment = get_or_404(
        ReviewAssignment, assignment_id, policy=can_declare, options=_WITH_APPLICATION
    )
    if assignment.is_conflicted:
        return _refuse_conflicted(assignment)
    if not assignment.is_cleared or assignment.application.pitch_deck_id is None:
        abort(404)

    stored = db.session.get(StoredFile, assignment.application.pitch_deck_id)
    name = f"{assignment.application.startup.name}-pitch-deck.pdf"
    return send_stored_file(stored, download_name=name)
