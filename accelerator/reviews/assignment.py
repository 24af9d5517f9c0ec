"""Reviewer panels, manual and automatic assignment, and conflict-of-interest declarations."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from accelerator.applications.models import Application, ApplicationStatus, can_transition
from accelerator.applications.services import change_status
from accelerator.auth.models import Role, User
from accelerator.core import audit
from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.mail import queue_mail
from accelerator.core.permissions import require_staff
from accelerator.core.types import utcnow
from accelerator.core.urls import external_url
from accelerator.extensions import db
from accelerator.programs.models import Cohort
from accelerator.reviews.balancing import balance
from accelerator.reviews.models import (
    ASSIGNABLE_STATES,
    CohortReviewer,
    ConflictStatus,
    ReviewAssignment,
)
from accelerator.reviews.queries import conflicted_reviewers, reviewer_pool

MAX_REVIEWERS_PER_APPLICATION = 10


# The review panel -----------------------------------------------------------------------------


def add_panel_mentor(cohort: Cohort, *, mentor: User, actor: User) -> CohortReviewer:
    """Add a mentor to the cohort's review panel (staff review every cohort already)."""
    require_staff(actor)
    if mentor.role != Role.MENTOR or not mentor.active:
        raise ValidationFailed(_("Only an active mentor can join a review panel."), field="mentor")
    exists = db.session.scalar(
        select(CohortReviewer.id).where(
            CohortReviewer.cohort_id == cohort.id, CohortReviewer.user_id == mentor.id
        )
    )
    if exists is not None:
        raise Conflict(_("%(name)s already reviews this cohort.", name=mentor.name), field="mentor")
    member = CohortReviewer(cohort_id=cohort.id, user_id=mentor.id, added_by_id=actor.id)
    db.session.add(member)
    db.session.flush()
    audit.record("review.panel_added", cohort, actor=actor, data={"reviewer_id": mentor.id})
    return member


def remove_panel_mentor(cohort: Cohort, *, mentor: User, actor: User) -> None:
    """Take a mentor off the panel; their reviews stay, their unstarted assignments go."""
    require_staff(actor)
    member = db.session.scalar(
        select(CohortReviewer).where(
            CohortReviewer.cohort_id == cohort.id, CohortReviewer.user_id == mentor.id
        )
    )
    if member is None:
        raise InvalidState(_("%(name)s is not on this cohort's panel.", name=mentor.name))
    pending = db.session.scalars(
        select(ReviewAssignment)
        .join(Application, ReviewAssignment.application_id == Application.id)
        .where(
            Application.cohort_id == cohort.id,
            ReviewAssignment.reviewer_id == mentor.id,
            ReviewAssignment.conflict != ConflictStatus.CONFLICT,
            ~ReviewAssignment.review.has(),
        )
    ).all()
    for assignment in pending:
        db.session.delete(assignment)
    audit.record_removal(
        "review.panel_removed",
        member,
        actor=actor,
        data={"reviewer_id": mentor.id, "assignments_removed": len(pending)},
        about=cohort,
    )


# Loads and conflicts --------------------------------------------------------------------------


def cohort_loads(cohort_id: int) -> Counter:
    """Active (not conflicted) assignments per reviewer in the cohort."""
    rows = db.session.execute(
        select(ReviewAssignment.reviewer_id, func.count())
        .join(Application, ReviewAssignment.application_id == Application.id)
        .where(
            Application.cohort_id == cohort_id,
            ReviewAssignment.conflict != ConflictStatus.CONFLICT,
        )
        .group_by(ReviewAssignment.reviewer_id)
    )
    return Counter(dict(rows.all()))


def _start_review(application: Application, actor: User | None) -> None:
    """Assigning a reviewer to a submitted application puts it in review."""
    if application.status == ApplicationStatus.SUBMITTED and can_transition(
        application.status, ApplicationStatus.IN_REVIEW
    ):
        change_status(
            application,
            ApplicationStatus.IN_REVIEW,
            actor=actor,
            data={"via": "reviews", "reason": "reviewer assigned"},
        )


def _notify_reviewers(counts: Counter, reviewers: dict[int, User]) -> None:
    for reviewer_id, count in counts.items():
        reviewer = reviewers[reviewer_id]
        queue_mail(
            reviewer.email,
            _l("%(count)d application(s) to review", count=count),
            "review_assigned.txt",
            reviewer=reviewer,
            count=count,
            link=external_url("reviews.inbox"),
        )


# Assigning ------------------------------------------------------------------------------------


def assign_reviewer(
    application: Application, *, reviewer: User, actor: User | None, automatic: bool = False
) -> ReviewAssignment:
    """Assign one reviewer by hand: eligible, not already on it, never conflicted."""
    if actor is not None:
        require_staff(actor)
    if application.status not in ASSIGNABLE_STATES:
        raise InvalidState(_("Reviewers can only be assigned before a decision is made."))
    pool = {user.id: user for user in reviewer_pool(application.cohort_id)}
    if reviewer.id not in pool:
        raise ValidationFailed(
            _("%(name)s is not a reviewer of this cohort.", name=reviewer.name), field="reviewer"
        )
    existing = db.session.scalar(
        select(ReviewAssignment).where(
            ReviewAssignment.application_id == application.id,
            ReviewAssignment.reviewer_id == reviewer.id,
        )
    )
    if existing is not None and existing.is_conflicted:
        raise Conflict(
            _("%(name)s declared a conflict of interest with this startup.", name=reviewer.name),
            field="reviewer",
        )
    if existing is not None:
        raise Conflict(
            _("%(name)s is already assigned to this application.", name=reviewer.name),
            field="reviewer",
        )
    if reviewer.id in conflicted_reviewers([application.startup_id])[application.startup_id]:
        raise Conflict(
            _("%(name)s declared a conflict of interest with this startup.", name=reviewer.name),
            field="reviewer",
        )
    assignment = _create(application, reviewer.id, actor, automatic=automatic)
    _start_review(application, actor)
    _notify_reviewers(Counter({reviewer.id: 1}), {reviewer.id: reviewer})
    db.session.flush()
    return assignment


def _create(application: Application, reviewer_id: int, actor, *, automatic: bool):
    assignment = ReviewAssignment(
        application_id=application.id,
        reviewer_id=reviewer_id,
        assigned_by_id=getattr(actor, "id", None),
        automatic=automatic,
    )
    audit.record_new(
        "review.assigned",
        assignment,
        actor=actor,
        data={
            "application_id": application.id,
            "reviewer_id": reviewer_id,
            "automatic": automatic,
        },
    )
    return assignment


def unassign(assignment: ReviewAssignment, *, actor: User) -> None:
    """Take a reviewer off an application they have not reviewed (conflicts stay on record)."""
    require_staff(actor)
    if assignment.is_conflicted:
        raise InvalidState(_("A declared conflict stays on record; it cannot be removed."))
    has_review = db.session.scalar(
        select(ReviewAssignment.review.has()).where(ReviewAssignment.id == assignment.id)
    )
    if has_review:
        raise InvalidState(_("This reviewer has already submitted a review; it is kept."))
    audit.record_removal(
        "review.unassigned",
        assignment,
        actor=actor,
        data={"application_id": assignment.application_id, "reviewer_id": assignment.reviewer_id},
    )


@dataclass
class AutoAssignResult:
    created: int = 0
    applications: int = 0
    short: list[int] = field(default_factory=list)  # applications left with too few reviewers


def auto_assign(
    cohort: Cohort,
    *,
    actor: User | None,
    per_application: int | None = None,
    reviewer_ids: list[int] | None = None,
) -> AutoAssignResult:
    """Give every open application `per_application` reviewers, balanced, never conflicted."""
    if actor is not None:
        require_staff(actor)
    wanted = cohort.reviewers_per_application if per_application is None else per_application
    if not 1 <= wanted <= MAX_REVIEWERS_PER_APPLICATION:
        raise ValidationFailed(
            _(
                "Choose between 1 and %(n)d reviewers per application.",
                n=MAX_REVIEWERS_PER_APPLICATION,
            ),
            field="per_application",
        )
    pool = {user.id: user for user in reviewer_pool(cohort.id)}
    if reviewer_ids is not None:
        pool = {uid: user for uid, user in pool.items() if uid in set(reviewer_ids)}
    if not pool:
        raise ValidationFailed(_("Choose at least one reviewer."), field="reviewers")
    applications = list(
        db.session.scalars(
            select(Application)
            .where(Application.cohort_id == cohort.id, Application.status.in_(ASSIGNABLE_STATES))
            .order_by(Application.submitted_at, Application.id)
        )
    )
    by_id = {application.id: application for application in applications}
    taken, active = _current_reviewers(list(by_id))
    conflicts = conflicted_reviewers({a.startup_id for a in applications})
    loads = cohort_loads(cohort.id)
    needs, eligible = {}, {}
    result = AutoAssignResult(applications=len(applications))
    for application in applications:
        allowed = set(pool) - taken[application.id] - conflicts.get(application.startup_id, set())
        need = max(wanted - active[application.id], 0)
        if need > len(allowed):
            result.short.append(application.id)
        if need:
            needs[application.id], eligible[application.id] = need, allowed
    plan = balance(needs, eligible, {uid: loads.get(uid, 0) for uid in pool})
    notified: Counter = Counter()
    for app_id, reviewers in plan.items():
        for reviewer_id in reviewers:
            _create(by_id[app_id], reviewer_id, actor, automatic=True)
            notified[reviewer_id] += 1
            result.created += 1
        if reviewers:
            _start_review(by_id[app_id], actor)
    _notify_reviewers(notified, pool)
    audit.record(
        "review.auto_assigned",
        cohort,
        actor=actor,
        data={"per_application": wanted, "created": result.created, "short": result.short[:50]},
    )
    db.session.flush()
    return result


def _current_reviewers(application_ids: list[int]) -> tuple[dict[int, set[int]], Counter]:
    """Per application: every reviewer on it (conflicted or not), and how many count."""
    taken: dict[int, set[int]] = defaultdict(set)
    active: Counter = Counter()
    for app_id, reviewer_id, conflict in db.session.execute(
        select(
            ReviewAssignment.application_id,
            ReviewAssignment.reviewer_id,
            ReviewAssignment.conflict,
        ).where(ReviewAssignment.application_id.in_(application_ids))
    ):
        taken[app_id].add(reviewer_id)
        if conflict != ConflictStatus.CONFLICT:
            active[app_id] += 1
    return taken, active


# Conflict of interest -------------------------------------------------------------------------


def declare(
    assignment: ReviewAssignment, *, actor: User, conflict: bool, reason: str | None = None
) -> ReviewAssignment | None:
    """The reviewer says "no conflict" or "conflict" (with a reason) before seeing the application.

    A conflict hands the application to another reviewer when one is free; returns that new
    assignment (or None).
    """
    if assignment.reviewer_id != actor.id:
        raise NotAllowed(_("Only the assigned reviewer can declare this."))
    if assignment.is_conflicted:
        raise InvalidState(_("You already declared a conflict of interest for this application."))
    if not conflict:
        if assignment.is_cleared:
            return None
        assignment.conflict = ConflictStatus.NONE
        assignment.declared_at = utcnow()
        audit.record("review.no_conflict_declared", assignment, actor=actor)
        db.session.flush()
        return None
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say briefly why there is a conflict."), field="reason")
    has_review = db.session.scalar(
        select(ReviewAssignment.review.has()).where(ReviewAssignment.id == assignment.id)
    )
    if has_review:
        raise InvalidState(
            _("You already reviewed this application; ask staff to withdraw your review.")
        )
    assignment.conflict = ConflictStatus.CONFLICT
    assignment.conflict_reason = reason[:2000]
    assignment.declared_at = utcnow()
    audit.record(
        "review.conflict_declared",
        assignment,
        actor=actor,
        data={"application_id": assignment.application_id},
    )
    db.session.flush()
    return _replace(assignment)


def _replace(assignment: ReviewAssignment) -> ReviewAssignment | None:
    """Give a conflicted assignment to the least-loaded free reviewer of the cohort."""
    application = db.session.get(Application, assignment.application_id)
    if application is None or application.status not in ASSIGNABLE_STATES:
        return None
    pool = {user.id: user for user in reviewer_pool(application.cohort_id)}
    taken = set(
        db.session.scalars(
            select(ReviewAssignment.reviewer_id).where(
                ReviewAssignment.application_id == application.id
            )
        )
    )
    conflicted = conflicted_reviewers([application.startup_id])[application.startup_id]
    free = [uid for uid in pool if uid not in taken and uid not in conflicted]
    if not free:
        audit.record(
            "review.replacement_missing", application, actor=None, data={"after": assignment.id}
        )
        return None
    loads = cohort_loads(application.cohort_id)
    chosen = min(free, key=lambda uid: (loads.get(uid, 0), pool[uid].name, uid))
    replacement = _create(application, chosen, None, automatic=True)
    _notify_reviewers(Counter({chosen: 1}), pool)
    return replacement
