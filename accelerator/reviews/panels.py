"""What the review shows on other pages: home panels, the hook partials' data, and the CLI."""

from __future__ import annotations

from collections import Counter

from flask_login import current_user
from sqlalchemy import func, select

from accelerator.applications.models import Application, ApplicationStatus, StartupMember
from accelerator.applications.policies import is_founder_of
from accelerator.applications.queries import timezone_of
from accelerator.core.cache import changes_at
from accelerator.core.forms import ConfirmForm
from accelerator.core.permissions import Role, has_role
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs.models import Cohort, CohortState, Enrollment, Phase, Program
from accelerator.programs.queries import startup_enrollments
from accelerator.reviews import bp, queries, scoreboard
from accelerator.reviews.models import (
    ASSIGNABLE_STATES,
    ConflictStatus,
    Decision,
    Offer,
    Recommendation,
    Review,
    ReviewAssignment,
)


def _my_open_assignments(user) -> Counter:
    rows = db.session.execute(
        select(ReviewAssignment.conflict, func.count())
        .join(Application, ReviewAssignment.application_id == Application.id)
        .where(
            ReviewAssignment.reviewer_id == user.id,
            ~ReviewAssignment.review.has(),
            ReviewAssignment.conflict != ConflictStatus.CONFLICT,
            Application.status.in_(ASSIGNABLE_STATES),
        )
        .group_by(ReviewAssignment.conflict)
    )
    return Counter(dict(rows.all()))


def reviewer_home_panel(user):
    counts = _my_open_assignments(user)
    if not counts and user.role == Role.MENTOR:
        return None
    return {"review_counts": counts}


def staff_home_panel(user):
    rows = db.session.execute(
        select(Cohort, Program.name)
        .join(Program, Cohort.program_id == Program.id)
        .where(Cohort.state == CohortState.PUBLISHED)
        .order_by(Cohort.applications_close_at.desc())
        .limit(12)
    ).all()
    reviewing = [(c, p) for c, p in rows if c.phase in (Phase.OPEN, Phase.REVIEWING)][:4]
    counts = queries.status_counts_by_cohort([c.id for c, _p in reviewing])
    return {
        "review_cohorts": reviewing,
        "review_status_counts": counts,
        "review_counts": _my_open_assignments(user),
    }


def founder_home_panel(user):
    offers = db.session.execute(
        select(Offer, Cohort.name, Program.timezone)
        .join(Application, Offer.application_id == Application.id)
        .join(StartupMember, StartupMember.startup_id == Application.startup_id)
        .join(Cohort, Offer.cohort_id == Cohort.id)
        .join(Program, Cohort.program_id == Program.id)
        .where(StartupMember.user_id == user.id)
        .order_by(Offer.offered_at.desc())
        .limit(3)
    ).all()
    if not offers:
        return None
    now = utcnow()
    for offer, _cohort, _tz in offers:  # a pending offer reads "past its deadline" after it
        if offer.expires_at >= now:
            changes_at(offer.expires_at)
    return {"review_offers": offers, "now": now}


# Data for the hook partials other domains include ---------------------------------------------


@bp.app_template_global()
def review_offer_view(application) -> dict | None:
    """For reviews/_founder_offer.html: the decision, offer and feedback the startup may see."""

    if application is None or not (
        getattr(current_user, "is_authenticated", False)
        and (current_user.is_staff or is_founder_of(current_user, application.startup_id))
    ):
        return None
    decision = db.session.scalar(
        select(Decision)
        .where(Decision.application_id == application.id)
        .order_by(Decision.decided_at.desc(), Decision.id.desc())
        .limit(1)
    )
    offer = db.session.scalar(select(Offer).where(Offer.application_id == application.id))
    if decision is None and offer is None:
        return None
    status = application.status
    return {
        "decision": decision,
        "offer": offer,
        "status": status,
        "expired": bool(offer and offer.is_overdue(utcnow())),
        "feedback": queries.feedback_for(application.id)
        if status == ApplicationStatus.REJECTED
        else [],
        "can_answer": is_founder_of(current_user, application.startup_id),
        "form": ConfirmForm(),
        "timezone": timezone_of(application),
        "enrollment": db.session.scalar(
            select(Enrollment).where(Enrollment.application_id == application.id)
        ),
    }


@bp.app_template_global()
def review_application_view(application) -> dict | None:
    """For reviews/_application_panel.html (staff detail page of an application)."""

    if application is None or not has_role(current_user, Role.STAFF):
        return None
    stats = queries.review_stats([application.id]).get(application.id)
    offer = db.session.scalar(select(Offer).where(Offer.application_id == application.id))
    reviewers = db.session.execute(
        select(ReviewAssignment.conflict, Review.id.is_not(None))
        .outerjoin(Review, Review.assignment_id == ReviewAssignment.id)
        .where(ReviewAssignment.application_id == application.id)
    ).all()
    return {"stats": stats, "offer": offer, "assignments": len(reviewers)}


@bp.app_template_global()
def review_cohort_view(cohort) -> dict | None:
    """For reviews/_cohort_panel.html (staff cohort page)."""

    if cohort is None or not has_role(current_user, Role.STAFF):
        return None
    return {
        "counts": queries.status_counts(cohort.id),
        "places": queries.places_taken(cohort.id),
        "reviews": scoreboard.review_count(cohort.id),
    }


def startup_staff_panel(startup):
    """On the staff startup page: each application with its reviews and the decision taken,
    and the enrollment it led to."""
    # read-only rows of the columns the section prints (no ORM objects)
    applications = [
        (row, row.cohort_name)
        for row in db.session.execute(
            select(
                Application.id,
                Application.status,
                Application.submitted_at,
                Cohort.name.label("cohort_name"),
            )
            .join(Cohort, Cohort.id == Application.cohort_id)
            .where(Application.startup_id == startup.id)
            .order_by(Application.created_at.desc())
        )
    ]
    if not applications:
        return None
    ids = [application.id for application, _name in applications]
    recommendations: dict[int, dict[str, int]] = {}
    for app_id, recommendation, count in db.session.execute(
        select(Review.application_id, Review.recommendation, func.count())
        .where(Review.application_id.in_(ids))
        .group_by(Review.application_id, Review.recommendation)
    ):
        recommendations.setdefault(app_id, {})[recommendation.value] = count
    decisions = {}
    for decision in db.session.execute(
        select(Decision.application_id, Decision.outcome, Decision.decided_at, Decision.note)
        .where(Decision.application_id.in_(ids))
        .order_by(Decision.decided_at)
    ):
        decisions[decision.application_id] = decision  # the latest wins
    enrollments = {  # the startup's enrollments, read once per request for the whole page
        row.application_id: row.created_at
        for row in startup_enrollments(startup.id)
        if row.application_id in ids
    }
    return {
        "applications": applications,
        "stats": queries.review_stats(ids),
        "recommendations": recommendations,
        "recommendation_order": list(Recommendation),
        "decisions": decisions,
        "enrollments": enrollments,
    }


#: What the founder home's card reads (table names): a committed write there renews the
#: startup's kept home (site.views).
FOUNDER_HOME_READS = ("offers", "applications", "startup_members", "cohorts", "programs")
