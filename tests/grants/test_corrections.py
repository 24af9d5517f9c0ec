"""Corrections of paid rows and changes of the grant amount, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from accelerator.core.errors import Conflict, InvalidState, ValidationFailed
from accelerator.grants import services
from accelerator.grants.models import DisbursementKind, DisbursementStatus, Grant
from tests import factories
from tests.grants.helpers import approved, audit_actions, mail_to, new_key, request, snapshot

S = DisbursementStatus

# --- correct --------------------------------------------------------------------------------


def test_a_correction_is_a_new_reversing_row(db, grant, requester, approver, grant_founder):
    paid = factories.make_disbursement(
        grant, amount_cents=1_000_000, status="paid", requester=requester, approver=approver
    )
    before_paid = snapshot(grant.id)[2][0]
    correction, created = services.correct_payment(
        paid,
        actor=approver,
        amount_cents=250_000,
        reason="Bank returned part of it",
        idempotency_key=new_key(),
    )
    db.session.commit()
    assert created and correction.kind == DisbursementKind.CORRECTION
    assert correction.amount_cents == -250_000 and correction.status == S.PAID
    assert correction.corrects_id == paid.id and correction.tranche_key == "kickoff"
    assert snapshot(grant.id)[2][0] == before_paid  # the paid row itself is untouched
    assert db.session.get(Grant, grant.id).committed_cents == 750_000
    assert "grant.payment_corrected" in audit_actions(grant.id)
    assert len(mail_to(grant_founder.email)) == 2  # paid, then corrected


def test_corrections_never_reverse_more_than_was_paid(db, grant, requester, approver):
    paid = factories.make_disbursement(
        grant, amount_cents=300_000, status="paid", requester=requester, approver=approver
    )
    services.correct_payment(
        paid, actor=approver, amount_cents=200_000, reason="a", idempotency_key=new_key()
    )
    before = snapshot(grant.id)
    for amount in (100_001, 0, -5, None):
        with pytest.raises(ValidationFailed) as raised:
            services.correct_payment(
                paid, actor=approver, amount_cents=amount, reason="b", idempotency_key=new_key()
            )
        assert raised.value.field == "amount"
    with pytest.raises(ValidationFailed) as raised:
        services.correct_payment(
            paid, actor=approver, amount_cents=1, reason=" ", idempotency_key=new_key()
        )
    assert raised.value.field == "reason"
    assert snapshot(grant.id) == before
    services.correct_payment(
        paid, actor=approver, amount_cents=100_000, reason="rest", idempotency_key=new_key()
    )
    assert db.session.get(Grant, grant.id).committed_cents == 0


def test_only_paid_disbursements_can_be_corrected(db, grant, requester, approver):
    unpaid = approved(grant, requester, approver)
    with pytest.raises(InvalidState):
        services.correct_payment(
            unpaid, actor=approver, amount_cents=1, reason="x", idempotency_key=new_key()
        )
    paid = factories.make_disbursement(grant, status="paid", requester=requester, approver=approver)
    correction, _ = services.correct_payment(
        paid, actor=approver, amount_cents=1, reason="x", idempotency_key=new_key()
    )
    with pytest.raises(InvalidState):
        services.correct_payment(
            correction, actor=approver, amount_cents=1, reason="x", idempotency_key=new_key()
        )


def test_a_replayed_correction_creates_nothing(db, grant, requester, approver):
    paid = factories.make_disbursement(grant, status="paid", requester=requester, approver=approver)
    key = new_key()
    first, _ = services.correct_payment(
        paid, actor=approver, amount_cents=10, reason="x", idempotency_key=key
    )
    before = snapshot(grant.id)
    again, created = services.correct_payment(
        paid, actor=approver, amount_cents=10, reason="x", idempotency_key=key
    )
    assert not created and again.id == first.id and snapshot(grant.id) == before


# --- grant amount ---------------------------------------------------------------------------


def test_the_grant_amount_goes_up_or_down_to_what_is_committed(db, grant, requester, grant_founder):
    request(grant, requester, amount=1_200_000)
    services.change_grant_amount(
        grant, actor=requester, amount_cents=2_500_000, reason="Extra budget"
    )
    assert db.session.get(Grant, grant.id).amount_cents == 2_500_000
    services.change_grant_amount(
        grant, actor=requester, amount_cents=1_200_000, reason="Budget cut"
    )
    assert db.session.get(Grant, grant.id).amount_cents == 1_200_000
    assert audit_actions(grant.id).count("grant.amount_changed") == 2
    assert len(mail_to(grant_founder.email)) == 2
    before = snapshot(grant.id)
    with pytest.raises(Conflict) as raised:
        services.change_grant_amount(grant, actor=requester, amount_cents=1_199_999, reason="x")
    assert raised.value.field == "amount" and snapshot(grant.id) == before


@pytest.mark.parametrize(
    "amount, reason, field",
    [
        (0, "x", "amount"),
        (-1, "x", "amount"),
        (None, "x", "amount"),
        (2_000_000, "x", "amount"),
        (2_100_000, "  ", "reason"),
    ],
)
def test_bad_amount_changes_are_refused(db, grant, requester, amount, reason, field):
    before = snapshot(grant.id)
    with pytest.raises((ValidationFailed, Conflict)) as raised:
        services.change_grant_amount(grant, actor=requester, amount_cents=amount, reason=reason)
    assert raised.value.field == field and snapshot(grant.id) == before
