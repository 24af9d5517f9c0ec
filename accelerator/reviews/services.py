"""An application's moves through the review: stage moves, decisions (accept, waitlist,
reject), offers within the cohort's capacity, the startup's answer, and enrollment.

Capacity holds in the database. An acceptance locks the cohort row (SELECT ... FOR UPDATE on
PostgreSQL; on SQLite every transaction starts with BEGIN IMMEDIATE, which serialises writers)
before counting the places already offered or taken, and the offer then holds one of the
cohort's numbered seats, UNIQUE per cohort: two acceptances can never share the last place.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from accelerator.applications.models import (
    Application,
    ApplicationStatus,
    can_transition,
)
from accelerator.applications.policies import is_founder_of
from accelerator.applications.queries import timezone_of
from accelerator.applications.services import change_status
from accelerator.auth.models import User
from accelerator.core.errors import InvalidState, NotAllowed, ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import lock_all, lock_one
from accelerator.core.permissions import require_staff
from accelerator.core.timeutil import format_dt
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Enrollment
from accelerator.programs.services import enroll
from accelerator.reviews import notify, queries
from accelerator.reviews.locking import free_seat, lock_application, lock_cohort
from accelerator.reviews.models import (
    STAGE_TARGETS,
    Decision,
    Offer,
    OfferStatus,
    Outcome,
)

S = ApplicationStatus
OUTCOME_STATUS = {
    Outcome.ACCEPTED: S.ACCEPTED,
    Outcome.WAITLISTED: S.WAITLISTED,
    Outcome.REJECTED: S.REJECTED,
}


def move_stage(
    applications: list[Application], *, target: ApplicationStatus | str, actor: User
) -> int:
    """Move applications to a review stage, all or none; returns how many moved.

    Those already in the target stage are left alone; any other that may not make the move
    (see TRANSITIONS) refuses the whole batch, naming it.
    """
    require_staff(actor)
    try:
        target = ApplicationStatus(target)
    except ValueError as error:
        raise ValidationFailed(_("Choose a stage."), field="target") from error
    if target not in STAGE_TARGETS:
        raise ValidationFailed(
            _("Use the decision page to accept, waitlist or reject."), field="target"
        )
    if not applications:
        raise ValidationFailed(_("Select at least one application."), field="application_ids")
    moving = [a for a in applications if a.status != target]
    refused = [a for a in moving if not can_transition(a.status, target)]
    if refused:
        raise InvalidState(
            _(
                "Nothing was moved: %(count)d selected application(s) cannot go to %(stage)s "
                "from where they are (%(names)s).",
                count=len(refused),
                stage=target.label.lower(),
                names=", ".join(_describe(a) for a in refused[:5]),
            )
        )
    for application in moving:
        change_status(
            application, target, actor=actor, data={"via": "reviews", "reason": "stage move"}
        )
    db.session.flush()
    return len(moving)


def _describe(application: Application) -> str:
    name = application.startup.name if "startup" in application.__dict__ else f"#{application.id}"
    return f"{name}: {application.status.label.lower()}"


def decide(
    application: Application,
    *,
    actor: User,
    outcome: Outcome | str,
    note: str = "",
    promoted: bool = False,
) -> Decision:
    """Accept (an offer holding a place), waitlist or reject, and tell the startup by email."""
    require_staff(actor)
    try:
        outcome = Outcome(outcome)
    except ValueError as error:
        raise ValidationFailed(_("Choose accept, waitlist or reject."), field="outcome") from error
    cohort = lock_cohort(application.cohort_id) if outcome == Outcome.ACCEPTED else None
    application = lock_application(application)
    target = OUTCOME_STATUS[outcome]
    if application.status == S.WITHDRAWN:
        raise InvalidState(_("The startup withdrew this application; no decision can be made."))
    if application.status == target:
        raise InvalidState(
            _("This application is already %(status)s.", status=target.label.lower())
        )
    if not can_transition(application.status, target):
        raise InvalidState(
            _(
                "An application that is %(current)s cannot be %(target)s.",
                current=application.status.label.lower(),
                target=target.label.lower(),
            )
        )
    note = (note or "").strip()[:2000]
    decision = Decision(
        application_id=application.id,
        outcome=outcome,
        note=note,
        decided_by_id=actor.id,
        promoted_from_waitlist=promoted,
    )
    offer = None
    if outcome == Outcome.ACCEPTED:
        seat = free_seat(cohort)
        db.session.add(decision)
        db.session.flush()
        now = utcnow()
        offer = Offer(
            application_id=application.id,
            cohort_id=cohort.id,
            decision_id=decision.id,
            seat=seat,
            offered_at=now,
            expires_at=now + timedelta(days=cohort.confirmation_days),
        )
        db.session.add(offer)
    else:
        db.session.add(decision)
    change_status(
        application,
        target,
        actor=actor,
        action="application.decided",
        data={
            "outcome": outcome.value,
            "note": bool(note),
            "promoted": promoted,
            "seat": offer.seat if offer else None,
        },
    )
    notify.decision_made(application, decision, offer)
    return decision


# The startup's answer ------------------------------------------------------------------------


def _offer_for_response(application: Application, actor: User) -> Offer:
    if not is_founder_of(actor, application.startup_id):
        raise NotAllowed(_("Only the startup's founders can answer this offer."))
    application = lock_application(application)
    offer = lock_one(select(Offer).where(Offer.application_id == application.id))
    if offer is None or application.status != S.ACCEPTED or offer.status != OfferStatus.PENDING:
        raise InvalidState(_("There is no open offer to answer for this application."))
    return offer


def confirm_offer(
    application: Application, *, actor: User, now: datetime | None = None
) -> Enrollment:
    """The startup takes its place before the deadline and is enrolled (`programs.enroll`)."""
    offer = _offer_for_response(application, actor)
    now = now or utcnow()
    if now > offer.expires_at:
        raise InvalidState(
            _(
                "The deadline to confirm was %(deadline)s; this offer has expired. Contact the "
                "program team.",
                deadline=format_dt(offer.expires_at, timezone_of(offer)),
            )
        )
    offer.status = OfferStatus.CONFIRMED
    offer.responded_at = now
    offer.responded_by_id = actor.id
    change_status(
        application, S.ENROLLED, actor=actor, action="offer.confirmed", data={"offer_id": offer.id}
    )
    enrollment = enroll(application, actor=actor)
    notify.enrolled(application)
    return enrollment


def decline_offer(application: Application, *, actor: User) -> Offer:
    """The startup turns its place down; the place goes back to the cohort."""
    offer = _offer_for_response(application, actor)
    _release(offer, application, OfferStatus.DECLINED, actor)
    return offer


def _release(offer: Offer, application: Application, status: OfferStatus, actor) -> None:
    offer.status = status
    offer.seat = None
    offer.responded_at = utcnow()
    offer.responded_by_id = getattr(actor, "id", None)
    change_status(
        application,
        S.DECLINED,
        actor=actor,
        action=f"offer.{status.value}",  # offer.declined or offer.expired
        data={"offer_id": offer.id},
    )
    db.session.flush()


def expire_offers(
    *, actor: User | None, cohort: Cohort | None = None, now: datetime | None = None
) -> list[Offer]:
    """Release every pending offer past its deadline (the startup is told); returns them."""
    if actor is not None:
        require_staff(actor)
    now = now or utcnow()
    statement = (
        select(Offer)
        .where(Offer.status == OfferStatus.PENDING, Offer.expires_at < now)
        .order_by(Offer.id)
    )
    if cohort is not None:
        statement = statement.where(Offer.cohort_id == cohort.id)
    expired = lock_all(statement)
    for offer in expired:
        application = lock_application(db.session.get(Application, offer.application_id))
        _release(offer, application, OfferStatus.EXPIRED, actor)
        notify.offer_expired(application)
    return expired


def promote_next(cohort: Cohort, *, actor: User, note: str = "") -> Decision:
    """Offer the free place to the best-ranked waitlisted startup."""
    require_staff(actor)
    waitlist = queries.waitlist_in_rank_order(cohort)
    if not waitlist:
        raise InvalidState(_("Nobody is on the waitlist of this cohort."))
    application = db.session.get(Application, waitlist[0])
    return decide(application, actor=actor, outcome=Outcome.ACCEPTED, note=note, promoted=True)
