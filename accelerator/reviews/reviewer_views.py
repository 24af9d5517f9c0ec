"""Reviewer pages: the inbox, the conflict-of-interest declaration and the review form."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy.orm import joinedload

from accelerator.applications.models import Application
from accelerator.auth.models import Role
from accelerator.core.files import send_stored_file
from accelerator.core.i18n import gettext as _
from accelerator.core.models import StoredFile
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import refusals_beside
from accelerator.extensions import db
from accelerator.reviews import assignment as assigning
from accelerator.reviews import bp, queries, scoring
from accelerator.reviews.forms import DeclarationForm, review_form_for
from accelerator.reviews.models import ReviewAssignment
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


def _assignment(assignment_id: int) -> ReviewAssignment:
    """The signed-in reviewer's assignment, with its application and startup. After a declared
    conflict it cannot be opened: the reviewer is told so and sent back to the inbox."""
    assignment = get_or_404(
        ReviewAssignment, assignment_id, policy=can_declare, options=_WITH_APPLICATION
    )
    if assignment.is_conflicted:
        flash(
            _(
                "You declared a conflict of interest with %(startup)s: you cannot open or score "
                "this application. It was given to another reviewer.",
                startup=assignment.application.startup.name,
            ),
            "warning",
        )
        abort(redirect(url_for("reviews.inbox")))
    return assignment


@bp.route("/reviews/assignments/<int:assignment_id>/declare", methods=["GET", "POST"])
@role_required(*REVIEWERS)
def declare(assignment_id: int):
    assignment = _assignment(assignment_id)
    form = DeclarationForm()
    if form.validate_on_submit():
        conflict = form.conflict.data == "conflict"
        with refusals_beside(form):
            assigning.declare(
                assignment, actor=current_actor(), conflict=conflict, reason=form.reason.data
            )
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
    assignment = _assignment(assignment_id)
    if not assignment.is_cleared:
        flash(_("First tell us whether you have a conflict of interest."), "info")
        return redirect(url_for("reviews.declare", assignment_id=assignment.id))
    application = assignment.application
    existing = queries.review_of(assignment.id)
    form = review_form_for(criteria_of(application.cohort), existing)
    if form.validate_on_submit():
        with refusals_beside(form):
            scoring.submit_review(assignment, actor=current_actor(), **form.review())
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
        is_open=scoring.review_is_open(application),
    )


@bp.route("/reviews/assignments/<int:assignment_id>/deck")
@role_required(*REVIEWERS)
def deck(assignment_id: int):
    """The pitch deck, for a reviewer who declared no conflict (as an attachment)."""
    assignment = _assignment(assignment_id)
    if not assignment.is_cleared or assignment.application.pitch_deck_id is None:
        abort(404)

    stored = db.session.get(StoredFile, assignment.application.pitch_deck_id)
    name = f"{assignment.application.startup.name}-pitch-deck.pdf"
    return send_stored_file(stored, download_name=name)
