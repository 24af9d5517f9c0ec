"""What the database itself holds, past the services: defaults, the cap, four eyes, keys."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from accelerator.extensions import db
from accelerator.grants.models import Disbursement, DisbursementStatus, Grant
from tests import factories
from tests.grants.helpers import request

S = DisbursementStatus

# --- the database itself ----------------------------------------------------------------------


def test_a_grant_built_as_reviews_builds_it_has_defaults(db):
    enrollment = factories.make_enrollment()
    grant = Grant(enrollment_id=enrollment.id, amount_cents=2_000_000, currency="USD")
    db.session.add(grant)
    db.session.flush()
    db.session.refresh(grant)
    assert grant.committed_cents == 0 and grant.remaining_cents == 2_000_000


def _must_fail(statement_or_fn) -> None:
    with pytest.raises(IntegrityError), db.session.begin_nested():
        if callable(statement_or_fn):
            statement_or_fn()
        else:
            db.session.execute(statement_or_fn)
        db.session.flush()


def test_the_database_holds_the_cap_even_past_the_services(db, grant, requester):
    request(grant, requester, amount=2_000_000)
    _must_fail(update(Grant).where(Grant.id == grant.id).values(committed_cents=2_000_001))
    _must_fail(update(Grant).where(Grant.id == grant.id).values(amount_cents=1_999_999))
    _must_fail(update(Grant).where(Grant.id == grant.id).values(committed_cents=-1))


def test_the_database_holds_four_eyes_keys_and_row_shapes(db, grant, requester):
    row, _ = request(grant, requester)
    _must_fail(
        update(Disbursement)
        .where(Disbursement.id == row.id)
        .values(status="approved", approved_by_id=requester.id, approved_at=row.requested_at)
    )
    _must_fail(update(Disbursement).where(Disbursement.id == row.id).values(status="paid"))
    _must_fail(update(Disbursement).where(Disbursement.id == row.id).values(status="cancelled"))
    _must_fail(update(Disbursement).where(Disbursement.id == row.id).values(amount_cents=-5))

    def duplicate_key():
        db.session.add(
            Disbursement(
                grant_id=grant.id,
                tranche_key="kickoff",
                amount_cents=1,
                idempotency_key=row.idempotency_key,
                requested_by_id=requester.id,
            )
        )

    _must_fail(duplicate_key)
    assert db.session.scalar(select(Disbursement.status).where(Disbursement.id == row.id)) == (
        S.REQUESTED
    )
