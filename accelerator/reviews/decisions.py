"""Decisions (accept, waitlist, reject), offers within the cohort's capacity, and enrollment.

Capacity holds in the database. An acceptance locks the cohort row (SELECT ... FOR UPDATE on
PostgreSQL; on SQLite every transaction starts with BEGIN IMMEDIATE, which serialises writers)
before counting the places already offered or taken, and the offer then holds one of the
cohort's numbered seats, UNIQUE per cohort: two acceptances can never share the last place.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from accelerator.applications.models import (
    Application,
    ApplicationStatus,
    Startup,
    can_transition,
)
from accelerator.auth.models import User
from accelerator.core import audit
from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.mail import queue_mail
from accelerator.core.timeutil import format_dt
from accelerator.core.types import utcnow
from accelerator.core.urls import external_url
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Enrollment, Program
from accelerator.programs.services import enroll
from accelerator.reviews.common import (
    change_status,
    feedback_label,
    founder_emails,
    is_founder_of,
    lock_application,
    require_staff,
)
from accelerator.reviews.models import Decision, Offer, OfferStatus, Outcome, Review

S = ApplicationStatus
OUTCOME_STATUS = {
    Outcome.ACCEPTED: S.ACCEPTED,
    Outcome.WAITLISTED: S.WAITLISTED,
    Outcome.REJECTED: S.REJECTED,
}
HELD = (OfferStatus.PENDING, OfferStatus.CONFIRMED)


def places_taken(cohort_id: int) -> int:
    """Places offered (pending) or taken (confirmed) in the cohort."""
    return db.session.scalar(
        select(func.count())
        .select_from(Offer)
        .where(Offer.cohort_id == cohort_id, Offer.status.in_(HELD))
    )


def _lock_cohort(cohort_id: int) -> Cohort:
    """The cohort, its row locked until the transaction ends (SELECT ... FOR UPDATE)."""
    cohort = db.session.get(Cohort, cohort_id)
    db.session.refresh(cohort, ["capacity", "confirmation_days"], with_for_update=True)
    return cohort


def _free_seat(cohort: Cohort) -> int:
    held = set(
        db.session.scalars(
            select(Offer.seat).where(Offer.cohort_id == cohort.id, Offer.seat.is_not(None))
        )
    )
    if len(held) >= cohort.capacity:
        raise Conflict(
            _(
                "The cohort is full: all %(capacity)d places are offered or taken. Wait for a "
                "startup to decline, or waitlist this one.",
                capacity=cohort.capacity,
            )
        )
    return min(seat for seat in range(1, cohort.capacity + len(held) + 2) if seat not in held)


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
    cohort = _lock_cohort(application.cohort_id) if outcome == Outcome.ACCEPTED else None
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
        seat = _free_seat(cohort)
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
    previous = application.status
    change_status(application, target, actor=actor, via="reviews", decision=outcome.value)
    audit.record(
        "application.decided",
        application,
        actor=actor,
        data={
            "from": previous.value,
            "to": target.value,
            "outcome": outcome.value,
            "note": bool(note),
            "promoted": promoted,
            "seat": offer.seat if offer else None,
        },
    )
    _mail_decision(application, decision, offer)
    return decision


def feedback_for(application_id: int) -> list[str]:
    """The reviewers' feedback tags for the startup, most frequent first (no names, no comments)."""
    counts: Counter = Counter()
    for tags in db.session.scalars(
        select(Review.feedback_tags).where(Review.application_id == application_id)
    ):
        counts.update(tags or [])
    return [feedback_label(tag) for tag, _count in counts.most_common()]


def _context(application: Application) -> dict:
    row = db.session.execute(
        select(Cohort, Program)
        .join(Program, Cohort.program_id == Program.id)
        .where(Cohort.id == application.cohort_id)
    ).one()
    startup = db.session.get(Startup, application.startup_id)
    return {"cohort": row[0], "program": row[1], "startup": startup, "application": application}


def _mail_decision(application: Application, decision: Decision, offer: Offer | None) -> None:
    context = _context(application)
    cohort, program = context["cohort"], context["program"]
    recipients = founder_emails(application.startup_id)
    if decision.outcome == Outcome.ACCEPTED:
        subject = _("You are accepted into %(cohort)s", cohort=cohort.name)
        template = "decision_accepted.txt"
        context["deadline"] = format_dt(offer.expires_at, program.timezone)
        context["link"] = external_url("applications.show", application_id=application.id)
    elif decision.outcome == Outcome.WAITLISTED:
        subject = _("You are on the waitlist for %(cohort)s", cohort=cohort.name)
        template = "decision_waitlisted.txt"
    else:
        subject = _("Your application to %(cohort)s", cohort=cohort.name)
        template = "decision_rejected.txt"
        context["feedback"] = feedback_for(application.id)
    for email in recipients:
        queue_mail(email, subject, template, note=decision.note, **context)


# The startup's answer ------------------------------------------------------------------------


def pending_offer(application: Application) -> Offer | None:
    return db.session.scalar(
        select(Offer).where(
            Offer.application_id == application.id, Offer.status == OfferStatus.PENDING
        )
    )


def _offer_for_response(application: Application, actor: User) -> Offer:
    if not is_founder_of(actor, application.startup_id):
        raise NotAllowed(_("Only the startup's founders can answer this offer."))
    application = lock_application(application)
    offer = db.session.scalar(
        select(Offer)
        .where(Offer.application_id == application.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if offer is None or application.status != S.ACCEPTED or offer.status != OfferStatus.PENDING:
        raise InvalidState(_("There is no open offer to answer for this application."))
    return offer


def confirm_offer(
    application: Application, *, actor: User, now: datetime | None = None
) -> Enrollment:
    """The startup takes its place before the deadline and is enrolled (`programs.enroll`)."""
    offer = _offer_for_response(application, actor)
    now = now or utcnow()
    cohort = db.session.get(Cohort, offer.cohort_id)
    if now > offer.expires_at:
        program = db.session.get(Program, cohort.program_id)
        raise InvalidState(
            _(
                "The deadline to confirm was %(deadline)s; this offer has expired. Contact the "
                "program team.",
                deadline=format_dt(offer.expires_at, program.timezone),
            )
        )
    offer.status = OfferStatus.CONFIRMED
    offer.responded_at = now
    offer.responded_by_id = actor.id
    change_status(application, S.ENROLLED, actor=actor, via="reviews", reason="offer confirmed")
    audit.record("offer.confirmed", offer, actor=actor, data={"application_id": application.id})
    enrollment = enroll(application, actor=actor)
    context = _context(application)
    for email in founder_emails(application.startup_id):
        queue_mail(
            email,
            _("Welcome to %(cohort)s", cohort=cohort.name),
            "decision_enrolled.txt",
            grant_amount_cents=cohort.grant_amount_cents,
            currency=cohort.currency,
            **context,
        )
    return enrollment


def decline_offer(application: Application, *, actor: User) -> Offer:
    """The startup turns its place down; the place goes back to the cohort."""
    offer = _offer_for_response(application, actor)
    _release(offer, application, OfferStatus.DECLINED, actor)
    audit.record("offer.declined", offer, actor=actor, data={"application_id": application.id})
    return offer


def _release(offer: Offer, application: Application, status: OfferStatus, actor) -> None:
    offer.status = status
    offer.seat = None
    offer.responded_at = utcnow()
    offer.responded_by_id = getattr(actor, "id", None)
    change_status(application, S.DECLINED, actor=actor, via="reviews", reason=status.value)
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
        .with_for_update()
    )
    if cohort is not None:
        statement = statement.where(Offer.cohort_id == cohort.id)
    expired = list(db.session.scalars(statement))
    for offer in expired:
        application = lock_application(db.session.get(Application, offer.application_id))
        _release(offer, application, OfferStatus.EXPIRED, actor)
        audit.record("offer.expired", offer, actor=actor, data={"application_id": application.id})
        context = _context(application)
        for email in founder_emails(application.startup_id):
            queue_mail(
                email,
                _("Your offer for %(cohort)s has expired", cohort=context["cohort"].name),
                "decision_offer_expired.txt",
                **context,
            )
    return expired


def waitlist_in_rank_order(cohort: Cohort) -> list[int]:
    """Ids of the waitlisted applications, best-ranked first (from the stored ranking)."""
    from accelerator.reviews.scoreboard import waitlist_in_rank_order as ordered

    return ordered(cohort)


def promote_next(cohort: Cohort, *, actor: User, note: str = "") -> Decision:
    """Offer the free place to the best-ranked waitlisted startup."""
    require_staff(actor)
    waitlist = waitlist_in_rank_order(cohort)
    if not waitlist:
        raise InvalidState(_("Nobody is on the waitlist of this cohort."))
    application = db.session.get(Application, waitlist[0])
    return decide(application, actor=actor, outcome=Outcome.ACCEPTED, note=note, promoted=True)
