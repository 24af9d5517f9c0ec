"""Helpers for the grants tests: ledger snapshots and outbox lookups."""

from __future__ import annotations

from sqlalchemy import select

from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.extensions import db
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
