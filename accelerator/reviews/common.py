"""What the review services share: stages, feedback tags, criteria, reviewer pools, founders."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from accelerator.applications.models import Application, ApplicationStatus, StartupMember
from accelerator.auth.models import Role, User
from accelerator.core.errors import NotAllowed
from accelerator.extensions import db
from accelerator.programs.models import Cohort
from accelerator.reviews.models import CohortReviewer

S = ApplicationStatus
#: Applications that can receive reviewers (assigning one to a submitted application puts it
#: in review).
ASSIGNABLE_STATES = frozenset({S.SUBMITTED, S.IN_REVIEW, S.SHORTLISTED, S.INTERVIEW})
#: While an application is in one of these review stages its reviews can be written and edited;
#: a decision (or a withdrawal) closes the review stage.
REVIEW_OPEN_STATES = frozenset({S.IN_REVIEW, S.SHORTLISTED, S.INTERVIEW})
#: The stages staff move applications between on the pipeline (decisions have their own page).
STAGE_TARGETS = (S.IN_REVIEW, S.SHORTLISTED, S.INTERVIEW)
#: Pipeline columns, in order.
PIPELINE_STATES = (
    S.SUBMITTED,
    S.IN_REVIEW,
    S.SHORTLISTED,
    S.INTERVIEW,
    S.ACCEPTED,
    S.ENROLLED,
    S.WAITLISTED,
    S.REJECTED,
    S.DECLINED,
    S.WITHDRAWN,
)

#: What reviewers may tell a startup (by key; the startup sees the label, never who chose it).
FEEDBACK_TAGS: list[tuple[str, Any]] = [
    ("market_too_small", _l("Market too small")),
    ("team_incomplete", _l("Team incomplete")),
    ("too_early", _l("Too early: come back with more traction")),
    ("unclear_business_model", _l("Business model unclear")),
    ("weak_differentiation", _l("Not differentiated enough from competitors")),
    ("weak_fit", _l("Weak fit with the company's business units")),
    ("regulatory_risk", _l("Regulatory risk not addressed")),
    ("strong_team", _l("Strong team")),
    ("strong_traction", _l("Impressive traction")),
    ("clear_value", _l("Clear value proposition")),
]
FEEDBACK_TAG_KEYS = frozenset(key for key, _label in FEEDBACK_TAGS)


def feedback_label(key: str) -> str:
    return str(dict(FEEDBACK_TAGS).get(key, key))


def require_staff(actor) -> None:
    if actor is None or not getattr(actor, "is_staff", False):
        raise NotAllowed(_("Only program staff can do this."))


def criteria_of(cohort: Cohort) -> list[dict[str, Any]]:
    """The cohort's criteria as [{key, name, weight}], tolerant of hand-edited JSON."""
    result = []
    for index, item in enumerate(cohort.review_criteria or []):
        if not isinstance(item, dict):
            continue
        key = str(item.get("key") or f"criterion_{index}")[:40]
        try:
            weight = max(float(item.get("weight", 1) or 0), 0.0)
        except (TypeError, ValueError):
            weight = 1.0
        result.append({"key": key, "name": str(item.get("name") or key), "weight": weight})
    return result


def weighted_mean(scores: dict[str, int], criteria: list[dict[str, Any]]) -> float:
    """The scores averaged with the criteria's weights (a plain mean when no weights are set)."""
    total_weight = sum(c["weight"] for c in criteria if c["key"] in scores)
    if total_weight <= 0:
        values = list(scores.values())
        return sum(values) / len(values)
    return sum(scores[c["key"]] * c["weight"] for c in criteria if c["key"] in scores) / (
        total_weight
    )


def pool_statement(cohort_id: int):
    """Who may review the cohort: active staff users and the mentors on its review panel."""
    panel = select(CohortReviewer.user_id).where(CohortReviewer.cohort_id == cohort_id)
    return (
        select(User)
        .where(
            User.active.is_(True),
            or_(
                User.role.in_([Role.STAFF, Role.ADMIN]),
                (User.role == Role.MENTOR) & User.id.in_(panel),
            ),
        )
        .order_by(User.name, User.id)
    )


def reviewer_pool(cohort_id: int) -> list[User]:
    return list(db.session.scalars(pool_statement(cohort_id)))


def is_eligible_reviewer(user: User, cohort_id: int) -> bool:
    return db.session.scalar(pool_statement(cohort_id).where(User.id == user.id)) is not None


def founder_emails(startup_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(User.email)
            .join(StartupMember, StartupMember.user_id == User.id)
            .where(StartupMember.startup_id == startup_id, User.active.is_(True))
            .order_by(User.id)
        )
    )


def is_founder_of(user, startup_id: int) -> bool:
    if not getattr(user, "is_authenticated", False) or user.role != Role.FOUNDER:
        return False
    return (
        db.session.scalar(
            select(StartupMember.id).where(
                StartupMember.startup_id == startup_id, StartupMember.user_id == user.id
            )
        )
        is not None
    )


def change_status(application: Application, target: ApplicationStatus, *, actor, **data) -> None:
    """Move an application through the applications domain's one audited status change.

    Its `application.status_changed` events make the founder's timeline; `data` says why.
    """
    from accelerator.applications.services import change_status as move

    move(application, target, actor=actor, data=data)


def lock_application(application: Application) -> Application:
    """Re-read the application's status under a row lock (PostgreSQL) so it cannot race.

    Only the status is refreshed: relationships the caller loaded stay loaded.
    """
    db.session.refresh(application, ["status"], with_for_update=True)
    return application
