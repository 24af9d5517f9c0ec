"""Staff pages of the review: cohorts, the pipeline with bulk stage moves, reviewer assignment."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy.orm import joinedload

from accelerator.applications.models import Application, ApplicationStatus, Startup
from accelerator.auth.models import Role, User
from accelerator.core.cache import kept_body
from accelerator.core.errors import Invalid
from accelerator.core.forms import ConfirmForm, choices
from accelerator.core.i18n import gettext as _
from accelerator.core.pagination import paginate, paginate_rows
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.core.types import utcnow
from accelerator.core.urls import safe_next
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Program
from accelerator.reviews import assignment as assigning
from accelerator.reviews import bp, queries, services
from accelerator.reviews.forms import AssignForm, AutoAssignForm, PanelForm, StageMoveForm
from accelerator.reviews.models import (
    PIPELINE_STATES,
    Review,
    ReviewAssignment,
)
from accelerator.reviews.queries import reviewer_pool

PER_PAGE = 50


@bp.route("/reviews/")
@role_required(Role.STAFF)
def index():
    cohorts = queries.published_cohorts()
    counts = queries.status_counts_by_cohort([cohort.id for cohort, _name, _tz in cohorts])
    return render_template("reviews/index.html", cohorts=cohorts, counts=counts, now=utcnow())


#: What the pipeline's filter, table and pager read (the cohort's applications and startups,
#: their assignments and reviews; the cohort and its program's timezone): a committed write to
#: any of them renews it.
PIPELINE_READS = (Application, Startup, ReviewAssignment, Review, Cohort, Program)


@bp.route("/reviews/cohorts/<int:cohort_id>/pipeline")
@role_required(Role.STAFF)
def pipeline(cohort_id: int):
    cohort = get_or_404(Cohort, cohort_id, options=[joinedload(Cohort.program)])
    status = request.args.get("status", "")
    form = StageMoveForm()

    def body() -> str:
        page = paginate_rows(
            queries.cohort_applications(cohort.id, status),
            queries.cohort_applications_count(cohort.id, status),
            per_page=PER_PAGE,
        )
        return render_template(
            "reviews/_pipeline_body.html",
            cohort=cohort,
            page=page,
            status=status,
            counts=queries.status_counts(cohort.id),
            stats=queries.review_stats([a.id for a in page.items]),
            states=PIPELINE_STATES,
            form=form,
        )

    # The same for every staff member asking for the same stage and page: kept as rendered
    # (the bulk-move form's token filled in for each viewer) until an application, a
    # startup, an assignment, a review, the cohort or its program changes. The heading (its
    # phase badge moves with the clock) is rendered on each view.
    kept = kept_body("reviews-pipeline", reads=PIPELINE_READS, render=body, forms=True)
    return render_template("reviews/pipeline.html", cohort=cohort, body=kept)


@bp.route("/reviews/cohorts/<int:cohort_id>/pipeline/move", methods=["POST"])
@role_required(Role.STAFF)
def move_stage(cohort_id: int):
    cohort = get_or_404(Cohort, cohort_id)
    back = url_for("reviews.pipeline", cohort_id=cohort.id, status=request.args.get("status", ""))
    refusal_page(back)
    form = StageMoveForm()
    if not form.validate_on_submit():
        raise Invalid(next(iter(form.errors.values()))[0])  # the first problem of the form
    applications = queries.applications_in_cohort(cohort.id, form.application_ids.data)
    moved = services.move_stage(applications, target=form.target.data, actor=current_actor())
    db.session.commit()
    stage = ApplicationStatus(form.target.data).label.lower()
    flash(_("%(count)d application(s) moved to %(stage)s.", count=moved, stage=stage), "success")
    return redirect(back)


def _assignment_page(cohort: Cohort, auto_form=None, panel_form=None):
    pool = reviewer_pool(cohort.id)
    scope = request.args.get("scope", "open")
    page = paginate(queries.to_assign(cohort.id, open_only=scope == "open"), per_page=PER_PAGE)
    auto_form = auto_form or AutoAssignForm(
        formdata=None,
        per_application=cohort.reviewers_per_application,
        reviewers=[u.id for u in pool],
    )
    auto_form.reviewers.choices = choices((u.id, u.name) for u in pool)
    panel_form = panel_form or PanelForm(formdata=None)
    panel_form.mentor.choices = choices(queries.mentors_not_on_panel(cohort.id))
    return render_template(
        "reviews/assignments.html",
        cohort=cohort,
        page=page,
        scope=scope,
        pool=pool,
        loads=assigning.cohort_loads(cohort.id),
        panel=queries.panel_members(cohort.id),
        rows=queries.assignment_rows(page.items, pool),
        auto_form=auto_form,
        panel_form=panel_form,
        confirm_form=ConfirmForm(),
    )


@bp.route("/reviews/cohorts/<int:cohort_id>/assignments")
@role_required(Role.STAFF)
def assignments(cohort_id: int):
    cohort = get_or_404(Cohort, cohort_id, options=[joinedload(Cohort.program)])
    return _assignment_page(cohort)


@bp.route("/reviews/cohorts/<int:cohort_id>/assignments/auto", methods=["POST"])
@role_required(Role.STAFF)
def auto_assign(cohort_id: int):
    cohort = get_or_404(Cohort, cohort_id, options=[joinedload(Cohort.program)])
    form = AutoAssignForm()
    form.reviewers.choices = choices((u.id, u.name) for u in reviewer_pool(cohort.id))
    if form.validate_on_submit():
        with refusals_beside(form):
            result = assigning.auto_assign(
                cohort,
                actor=current_actor(),
                reviewer_ids=form.reviewers.data,
                per_application=form.per_application.data,
            )
            db.session.commit()
            flash(
                _(
                    "%(created)d assignment(s) made across %(apps)d open application(s).",
                    created=result.created,
                    apps=result.applications,
                ),
                "success",
            )
            if result.short:
                flash(
                    _(
                        "%(count)d application(s) have fewer reviewers than asked: not enough "
                        "reviewers without a conflict.",
                        count=len(result.short),
                    ),
                    "warning",
                )
            return redirect(url_for("reviews.assignments", cohort_id=cohort.id))
    return _assignment_page(cohort, auto_form=form)


@bp.route("/reviews/applications/<int:application_id>/assign", methods=["POST"])
@role_required(Role.STAFF)
def assign(application_id: int):
    application = get_or_404(Application, application_id)
    form = AssignForm()
    form.reviewer.choices = choices((u.id, u.name) for u in reviewer_pool(application.cohort_id))
    back = safe_next(form.back.data) or url_for(
        "reviews.assignments", cohort_id=application.cohort_id
    )
    refusal_page(back)
    if not form.validate_on_submit():
        raise Invalid(_("Choose a reviewer of this cohort."))
    reviewer = db.session.get(User, form.reviewer.data)
    assigning.assign_reviewer(application, reviewer=reviewer, actor=current_actor())
    db.session.commit()
    flash(_("%(name)s is assigned.", name=reviewer.name), "success")
    return redirect(back)


@bp.route("/reviews/assignments/<int:assignment_id>/unassign", methods=["POST"])
@role_required(Role.STAFF)
def unassign(assignment_id: int):
    assignment = get_or_404(
        ReviewAssignment, assignment_id, options=[joinedload(ReviewAssignment.application)]
    )
    cohort_id = assignment.application.cohort_id
    refusal_page(url_for("reviews.assignments", cohort_id=cohort_id))
    if ConfirmForm().validate_on_submit():
        assigning.unassign(assignment, actor=current_actor())
        db.session.commit()
        flash(_("Assignment removed."), "info")
    return redirect(url_for("reviews.assignments", cohort_id=cohort_id))


@bp.route("/reviews/cohorts/<int:cohort_id>/panel", methods=["POST"])
@role_required(Role.STAFF)
def add_panel_mentor(cohort_id: int):
    cohort = get_or_404(Cohort, cohort_id, options=[joinedload(Cohort.program)])
    form = PanelForm()
    form.mentor.choices = choices(queries.mentors_not_on_panel(cohort.id))
    if form.validate_on_submit():
        mentor = db.session.get(User, form.mentor.data)
        with refusals_beside(form):
            assigning.add_panel_mentor(cohort, mentor=mentor, actor=current_actor())
            db.session.commit()
            flash(_("%(name)s now reviews this cohort.", name=mentor.name), "success")
            return redirect(url_for("reviews.assignments", cohort_id=cohort.id))
    return _assignment_page(cohort, panel_form=form)


@bp.route("/reviews/cohorts/<int:cohort_id>/panel/<int:user_id>/remove", methods=["POST"])
@role_required(Role.STAFF)
def remove_panel_mentor(cohort_id: int, user_id: int):
    cohort = get_or_404(Cohort, cohort_id)
    member = queries.panel_member(cohort.id, user_id)
    if member is None:
        flash(_("This mentor is not on the cohort's panel (any more)."), "info")
    elif ConfirmForm().validate_on_submit():
        assigning.remove_panel_mentor(cohort, mentor=member.user, actor=current_actor())
        flash(_("%(name)s left the panel.", name=member.user.name), "info")
        db.session.commit()
    return redirect(url_for("reviews.assignments", cohort_id=cohort.id))
