"""Helpers for the grants tests: ledger snapshots and outbox lookups."""

from __future__ import annotations

from sqlalchemy import select

from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.extensions import db
from accelerator.grants import services
from accelerator.grants.models import Disbursement, Grant


def snapshot(grant_id: int) -> tuple:
    """Everything about a grant's ledger that a refused action must leave unchanged."""
    db.session.expire_all()
    grant = db.session.get(Grant, grant_id)
    rows = db.session.execute(
        select(
            Disbursement.id,
            Disbursement.status,
            Disbursement.amount_cents,
            Disbursement.approved_by_id,
            Disbursement.paid_on,
            Disbursement.payment_reference,
        )
        .where(Disbursement.grant_id == grant_id)
        .order_by(Disbursement.id)
    ).all()
    return grant.amount_cents, grant.committed_cents, [tuple(r) for r in rows]


def mail_to(email: str) -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.to == email)))


def audit_actions(grant_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "grants", AuditEvent.object_id == grant_id)
            .order_by(AuditEvent.id)
        )
    )


def new_key() -> str:
    from accelerator.grants.forms import new_idempotency_key

    return new_idempotency_key()


def request(grant, actor, amount=100_000, tranche="kickoff", key=None, note=""):
    """Request a tranche through the service (a fresh idempotency key unless given)."""
    return services.request_disbursement(
        grant,
        actor=actor,
        tranche_key=tranche,
        amount_cents=amount,
        idempotency_key=key or new_key(),
        note=note,
    )


def approved(grant, requester, approver, amount=100_000):
    """A request by `requester`, approved by `approver`."""
    row, _ = request(grant, requester, amount=amount)
    return services.approve_disbursement(row, actor=approver, seen_amount_cents=amount)
