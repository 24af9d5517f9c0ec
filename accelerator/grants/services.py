"""Grant rules: request, approve, pay, cancel and correct disbursements; change a grant amount.

Every change takes the grant's row lock first, re-reads what it checks, and moves
`committed_cents` only through locking.py (an UPDATE guarded by the cap, which a CHECK
constraint repeats). So two staff members clicking at once can never push a grant past its
amount.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update

from accelerator.core import audit
from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import guarded, lock
from accelerator.core.permissions import require_staff
from accelerator.core.text import checked_text
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.grants import notify, queries
from accelerator.grants.locking import (
    KEY_PATTERN,
    insert_row,
    lock_for_key,
    lock_grant,
    move_committed,
    over_the_grant,
)
from accelerator.grants.models import (
    Disbursement,
    DisbursementKind,
    DisbursementStatus,
    Grant,
)
from accelerator.programs.models import Cohort

S = DisbursementStatus
MAX_REFERENCE = 100
MAX_TEXT = 2000


def valid_idempotency_key(key: str | None) -> bool:
    """Whether a client's idempotency key has the ledger's shape (16 to 64 of A-Z a-z 0-9 _ -)."""
    return bool(key) and KEY_PATTERN.match(key) is not None


def _check_text(text: str | None, *, field: str, required: str | None = None) -> str:
    too_long = _("Please keep this under 2,000 characters.")
    return checked_text(text, field=field, limit=MAX_TEXT, too_long=too_long, required=required)


def _context(grant: Grant) -> queries.GrantContext:
    context = queries.load_context(grant.id)
    assert context is not None  # the grant is locked, so it exists
    return context


def _lock_row(row: Disbursement, actor, target: DisbursementStatus):
    """Staff only; the grant's lock, then the row freshly read, if it may become `target`."""
    require_staff(actor)
    grant = lock_grant(row.grant_id)
    row = lock(Disbursement, row.id)
    row.status.check_move(target)
    return grant, row


def _audit(action: str, context: queries.GrantContext, row: Disbursement, actor, **data) -> None:
    audit.record(
        action,
        context.grant,
        actor=actor,
        startup=context.startup,
        data={
            "disbursement_id": row.id,
            "tranche": row.tranche_key,
            "tranche_name": queries.tranche_name(context.cohort, row.tranche_key),
            "amount_cents": row.amount_cents,
            "currency": context.grant.currency,
            **data,
        },
    )


def _announce(grant: Grant, row: Disbursement, actor, recipients, *, action: str, **data) -> None:
    """The act on `row` is recorded (`action`, grant.disbursement_<event>) and
    `recipients(context)` are told of the <event>: every transition ends with this."""
    db.session.flush()
    context = _context(grant)
    _audit(action, context, row, actor, **data)
    event = action.removeprefix("grant.disbursement_")
    notify.send(event, context, recipients(context), actor=actor, row=row)
    db.session.flush()


def _latest_allowed_day() -> date:
    """No payment date after today anywhere on Earth (UTC+14)."""
    return (utcnow() + timedelta(hours=14)).date()


# --- the transitions -----------------------------------------------------------------------


def request_disbursement(
    grant: Grant,
    *,
    actor,
    tranche_key: str,
    amount_cents: int | None,
    idempotency_key: str | None,
    note: str = "",
) -> tuple[Disbursement, bool]:
    """Ask for money from a tranche; returns (row, created). A replayed key returns its row."""
    require_staff(actor)
    grant, key, existing = lock_for_key(grant.id, idempotency_key)
    if existing is not None:
        return existing, False
    context = _context(grant)
    if tranche_key not in dict(queries.tranche_choices(context.cohort)):
        raise ValidationFailed(_("Choose a tranche of the plan."), field="tranche")
    if amount_cents is None or amount_cents <= 0:
        raise ValidationFailed(_("Enter an amount greater than zero."), field="amount")
    if amount_cents > grant.remaining_cents:
        raise over_the_grant()
    note = _check_text(note, field="note")
    row = Disbursement(
        grant_id=grant.id,
        kind=DisbursementKind.TRANCHE,
        tranche_key=tranche_key,
        amount_cents=amount_cents,
        status=S.REQUESTED,
        note=note,
        idempotency_key=key,
        requested_by_id=actor.id,
        requested_at=utcnow(),
    )
    row, created = insert_row(grant, row, amount_cents)
    if created:
        staff = notify.staff_emails(exclude=[actor.id])
        _announce(grant, row, actor, lambda c: staff, action="grant.disbursement_requested")
    return row, created


def approve_disbursement(
    row: Disbursement, *, actor, seen_amount_cents: int | None
) -> Disbursement:
    """Approve a request; never the requester's own, and only the amount the approver saw."""
    grant, row = _lock_row(row, actor, S.APPROVED)
    if row.requested_by_id == actor.id:
        raise NotAllowed(
            _("You requested this disbursement, so another staff member must approve it.")
        )
    if seen_amount_cents != row.amount_cents:
        raise ValidationFailed(
            _("The amount you approved is not the amount requested. Reload the page and check it.")
        )
    row.status = S.APPROVED
    row.approved_by_id = actor.id
    row.approved_at = utcnow()
    requester = notify.user_emails([row.requested_by_id])
    _announce(grant, row, actor, lambda c: requester, action="grant.disbursement_approved")
    return row


def mark_paid(
    row: Disbursement, *, actor, paid_on: date | None, payment_reference: str | None
) -> Disbursement:
    """Record the bank transfer of an approved disbursement; the founders are told."""
    grant, row = _lock_row(row, actor, S.PAID)
    if paid_on is None:
        raise ValidationFailed(_("Enter the payment date."), field="paid_on")
    if paid_on > _latest_allowed_day():
        raise ValidationFailed(_("The payment date cannot be in the future."), field="paid_on")
    if paid_on < (row.requested_at - timedelta(days=1)).date():
        raise ValidationFailed(_("The payment date cannot be before the request."), field="paid_on")
    reference = (payment_reference or "").strip()
    if not reference:
        raise ValidationFailed(_("Enter the bank's payment reference."), field="reference")
    if len(reference) > MAX_REFERENCE:
        raise ValidationFailed(
            _("A payment reference has at most 100 characters."), field="reference"
        )
    row.status = S.PAID
    row.paid_on = paid_on
    row.paid_at = utcnow()
    row.paid_by_id = actor.id
    row.payment_reference = reference

    def recipients(context):  # the founders, and who asked for it (unless it is the payer)
        requester = [row.requested_by_id] if row.requested_by_id != actor.id else []
        return notify.founder_emails(context.startup.id) + notify.user_emails(requester)

    _announce(
        grant,
        row,
        actor,
        recipients,
        action="grant.disbursement_paid",
        paid_on=paid_on.isoformat(),
        reference=reference,
    )
    return row


def cancel_disbursement(row: Disbursement, *, actor, reason: str | None) -> Disbursement:
    """Cancel a request or an approved, unpaid disbursement; its amount returns to the grant."""
    grant, row = _lock_row(row, actor, S.CANCELLED)
    reason = _check_text(
        reason, field="reason", required=_("Say why this disbursement is cancelled.")
    )
    move_committed(grant, -row.amount_cents)
    previous = row.status.value
    row.status = S.CANCELLED
    row.cancelled_at = utcnow()
    row.cancelled_by_id = actor.id
    row.cancel_reason = reason
    # Who asked for it and who approved it (else the other staff), never the canceller.
    told = notify.user_emails([row.requested_by_id, row.approved_by_id])
    told = [e for e in told or notify.staff_emails(exclude=[actor.id]) if e != actor.email]
    _announce(
        grant,
        row,
        actor,
        lambda c: told,
        action="grant.disbursement_cancelled",
        reason=reason,
        previous=previous,
    )
    return row


def net_paid(row: Disbursement) -> int:
    """What a paid row still counts for, after the corrections already made against it."""
    corrections = db.session.scalars(
        select(Disbursement.amount_cents).where(Disbursement.corrects_id == row.id)
    )
    return row.amount_cents + sum(corrections)


def correct_payment(
    row: Disbursement,
    *,
    actor,
    amount_cents: int | None,
    reason: str | None,
    idempotency_key: str | None,
) -> tuple[Disbursement, bool]:
    """Reverse all or part of a paid row with a new negative row; returns (row, created)."""
    require_staff(actor)
    grant, key, existing = lock_for_key(row.grant_id, idempotency_key)
    if existing is not None:
        return existing, False
    row = lock(Disbursement, row.id)
    if row.status != S.PAID or row.kind != DisbursementKind.TRANCHE:
        raise InvalidState(_("Only a paid disbursement can be corrected."))
    if amount_cents is None or amount_cents <= 0:
        raise ValidationFailed(_("Enter an amount greater than zero."), field="amount")
    if amount_cents > net_paid(row):
        raise ValidationFailed(
            _("A correction cannot reverse more than what this payment still counts for."),
            field="amount",
        )
    reason = _check_text(reason, field="reason", required=_("Say why this payment is corrected."))
    now = utcnow()
    correction = Disbursement(
        grant_id=grant.id,
        kind=DisbursementKind.CORRECTION,
        tranche_key=row.tranche_key,
        amount_cents=-amount_cents,
        status=S.PAID,
        note=reason,
        idempotency_key=key,
        corrects_id=row.id,
        requested_by_id=actor.id,
        requested_at=now,
        paid_by_id=actor.id,
        paid_at=now,
        paid_on=now.date(),
    )
    correction, created = insert_row(grant, correction, -amount_cents)
    if created:
        context = _context(grant)
        _audit(
            "grant.payment_corrected", context, correction, actor, corrects=row.id, reason=reason
        )
        recipients = notify.founder_emails(context.startup.id) + notify.staff_emails(
            exclude=[actor.id]
        )
        notify.send("corrected", context, recipients, actor=actor, row=correction, original=row)
        db.session.flush()
    return correction, created


def _below_committed() -> Conflict:
    return Conflict(
        _("The grant cannot be less than what is already requested, approved or paid."),
        field="amount",
    )


def change_grant_amount(
    grant: Grant, *, actor, amount_cents: int | None, reason: str | None
) -> Grant:
    """Raise or lower a grant's amount, never below what is already committed."""
    require_staff(actor)
    grant = lock_grant(grant.id)
    if amount_cents is None or amount_cents <= 0:
        raise ValidationFailed(_("Enter an amount greater than zero."), field="amount")
    if amount_cents == grant.amount_cents:
        raise ValidationFailed(_("The grant already has this amount."), field="amount")
    if amount_cents < grant.committed_cents:
        raise _below_committed()
    reason = _check_text(reason, field="reason", required=_("Say why the grant amount changes."))
    previous = grant.amount_cents
    guarded(
        update(Grant)
        .where(Grant.id == grant.id, Grant.committed_cents <= amount_cents)
        .values(amount_cents=amount_cents, updated_at=utcnow()),
        _below_committed,
        expire=grant,
        attributes=["amount_cents", "updated_at"],
    )
    context = _context(grant)
    audit.record(
        "grant.amount_changed",
        grant,
        actor=actor,
        startup=context.startup,
        data={
            "from_cents": previous,
            "to_cents": amount_cents,
            "reason": reason,
            "currency": grant.currency,
        },
    )
    notify.send(
        "amount_changed",
        context,
        notify.founder_emails(context.startup.id),
        actor=actor,
        previous_cents=previous,
        reason=reason,
    )
    db.session.flush()
    return grant


def release_tranche(
    enrollment_id: int, tranche_key: str, *, actor, idempotency_key: str, note: str
) -> tuple[Disbursement | None, str | None]:
    """Request what a tranche still needs, within what remains of the grant (an approved
    milestone releases its tranche). Returns (the request, or None and why nothing was asked)."""
    grant = queries.grant_of_enrollment(enrollment_id)
    if grant is None:
        return None, _("This startup has no grant, so no tranche was requested.")
    context = _context(grant)
    if tranche_key not in dict(queries.tranche_choices(context.cohort)):
        return None, _("The cohort's tranche plan has no tranche %(key)s.", key=tranche_key)
    ledger = queries.ledger_of(context)
    tranche = ledger.tranche(tranche_key)
    amount = min(tranche.outstanding if tranche else 0, ledger.remaining)
    if amount <= 0:
        return None, _(
            "Nothing was requested: the tranche is already requested or paid, or the grant is "
            "fully committed."
        )
    row, _created = request_disbursement(
        grant,
        actor=actor,
        tranche_key=tranche_key,
        amount_cents=amount,
        idempotency_key=idempotency_key,
        note=note,
    )
    return row, None


def record_ledger_export(*, actor, scope: dict, fmt: str, rows: int) -> None:
    """The finance export is in the audit log: who took which ledger rows, and how many."""
    data = {k: str(v) if v else None for k, v in scope.items()}
    audit.record("grant.ledger_exported", actor=actor, data={**data, "format": fmt, "rows": rows})


def open_grant(enrollment) -> Grant:
    """Set up the grant of a new enrollment at its cohort's amount (subscribed to enrollment)."""
    cohort = db.session.get(Cohort, enrollment.cohort_id)
    grant = Grant(
        enrollment_id=enrollment.id,
        amount_cents=cohort.grant_amount_cents,
        currency=cohort.currency,
    )
    db.session.add(grant)
    db.session.flush()
    # No audit event of its own: the grant is part of the enrollment, which is recorded.
    return grant
