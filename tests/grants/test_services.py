"""Every transition and rule of the ledger, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.extensions import db
from accelerator.grants import services
from accelerator.grants.models import Disbursement, DisbursementKind, DisbursementStatus, Grant
from tests import factories
from tests.grants.helpers import audit_actions, mail_to, new_key, snapshot

S = DisbursementStatus


def request(grant, actor, amount=100_000, tranche="kickoff", key=None, note=""):
    return services.request_disbursement(
        grant,
        actor=actor,
        tranche_key=tranche,
        amount_cents=amount,
        idempotency_key=key or new_key(),
        note=note,
    )


# --- request --------------------------------------------------------------------------------


def test_request_reserves_the_amount_audits_and_tells_the_other_staff(
    db, grant, requester, approver
):
    row, created = request(grant, requester, amount=1_000_000, note="First half")
    db.session.commit()
    assert created and row.status == S.REQUESTED and row.kind == DisbursementKind.TRANCHE
    assert row.requested_by_id == requester.id and row.note == "First half"
    assert db.session.get(Grant, grant.id).committed_cents == 1_000_000
    assert audit_actions(grant.id) == ["grant.disbursement_requested"]
    assert mail_to(approver.email) and not mail_to(requester.email)


def test_a_partial_amount_is_fine(db, grant, requester):
    row, _ = request(grant, requester, amount=123_456, tranche="demo_day")
    assert row.amount_cents == 123_456 and row.tranche_key == "demo_day"


@pytest.mark.parametrize(
    "changes, error, field",
    [
        ({"amount": 0}, ValidationFailed, "amount"),
        ({"amount": -500}, ValidationFailed, "amount"),
        ({"amount": None}, ValidationFailed, "amount"),
        ({"amount": 2_000_001}, Conflict, "amount"),
        ({"tranche": "bonus"}, ValidationFailed, "tranche"),
        ({"key": "short"}, ValidationFailed, None),
        ({"key": "has spaces in it; drop table"}, ValidationFailed, None),
    ],
)
def test_bad_requests_leave_the_ledger_unchanged(db, grant, requester, changes, error, field):
    before = snapshot(grant.id)
    args = {"amount": 100_000, "tranche": "kickoff", "key": None} | changes
    with pytest.raises(error) as raised:
        request(grant, requester, **args)
    assert raised.value.field == field
    assert snapshot(grant.id) == before


def test_amount_over_the_remaining_balance_is_refused(db, grant, requester):
    request(grant, requester, amount=1_500_000)
    before = snapshot(grant.id)
    with pytest.raises(Conflict, match="more than what remains"):
        request(grant, requester, amount=500_001)
    assert snapshot(grant.id) == before
    row, _ = request(grant, requester, amount=500_000)  # exactly the rest is fine
    assert db.session.get(Grant, grant.id).committed_cents == 2_000_000


def test_a_replayed_key_returns_the_existing_row(db, grant, requester):
    key = new_key()
    first, created = request(grant, requester, key=key)
    before = snapshot(grant.id)
    again, created_again = request(grant, requester, key=key, amount=999)
    assert created and not created_again and again.id == first.id
    assert snapshot(grant.id) == before


def test_a_key_used_on_another_grant_is_refused(db, grant, requester):
    key = new_key()
    request(grant, requester, key=key)
    other = factories.make_grant()
    with pytest.raises(Conflict):
        request(other, requester, key=key)
    assert snapshot(other.id)[1:] == (0, [])


@pytest.mark.parametrize("role", ["founder", "mentor"])
def test_only_staff_act_on_the_ledger(db, grant, requester, role):
    outsider = factories.make_user(role=role)
    row, _ = request(grant, requester)
    before = snapshot(grant.id)
    with pytest.raises(NotAllowed):
        request(grant, outsider)
    with pytest.raises(NotAllowed):
        services.approve_disbursement(row, actor=outsider, seen_amount_cents=row.amount_cents)
    with pytest.raises(NotAllowed):
        services.cancel_disbursement(row, actor=outsider, reason="no")
    with pytest.raises(NotAllowed):
        services.change_grant_amount(grant, actor=outsider, amount_cents=1, reason="no")
    assert snapshot(grant.id) == before


# --- approve --------------------------------------------------------------------------------


def test_approval_by_a_second_staff_member(db, grant, requester, approver):
    row, _ = request(grant, requester)
    services.approve_disbursement(row, actor=approver, seen_amount_cents=100_000)
    db.session.commit()
    assert row.status == S.APPROVED and row.approved_by_id == approver.id and row.approved_at
    assert "grant.disbursement_approved" in audit_actions(grant.id)
    assert mail_to(requester.email)


def test_the_requester_cannot_approve_their_own_request(db, grant, requester):
    row, _ = request(grant, requester)
    before = snapshot(grant.id)
    with pytest.raises(NotAllowed, match="another staff member"):
        services.approve_disbursement(row, actor=requester, seen_amount_cents=100_000)
    assert snapshot(grant.id) == before


def test_an_admin_is_held_to_four_eyes_too(db, grant, admin):
    row, _ = request(grant, admin)
    with pytest.raises(NotAllowed):
        services.approve_disbursement(row, actor=admin, seen_amount_cents=100_000)


@pytest.mark.parametrize("seen", [1, 99_999_999, None, -100_000])
def test_approval_of_another_amount_is_refused(db, grant, requester, approver, seen):
    row, _ = request(grant, requester)
    before = snapshot(grant.id)
    with pytest.raises(ValidationFailed, match="not the amount requested"):
        services.approve_disbursement(row, actor=approver, seen_amount_cents=seen)
    assert snapshot(grant.id) == before


def test_approving_twice_or_a_cancelled_row_is_refused(db, grant, requester, approver):
    row, _ = request(grant, requester)
    services.approve_disbursement(row, actor=approver, seen_amount_cents=100_000)
    with pytest.raises(InvalidState, match="already approved"):
        services.approve_disbursement(row, actor=approver, seen_amount_cents=100_000)
    other, _ = request(grant, requester)
    services.cancel_disbursement(other, actor=requester, reason="Duplicate")
    before = snapshot(grant.id)
    with pytest.raises(InvalidState, match="cancelled"):
        services.approve_disbursement(other, actor=approver, seen_amount_cents=100_000)
    assert snapshot(grant.id) == before


# --- pay ------------------------------------------------------------------------------------


def approved(grant, requester, approver, amount=100_000):
    row, _ = request(grant, requester, amount=amount)
    return services.approve_disbursement(row, actor=approver, seen_amount_cents=amount)


def test_marking_paid_records_the_transfer_and_tells_the_founders(
    db, grant, requester, approver, grant_founder
):
    row = approved(grant, requester, approver)
    services.mark_paid(
        row, actor=approver, paid_on=date.today(), payment_reference="  SEPA-2024-001 "
    )
    db.session.commit()
    assert row.status == S.PAID and row.paid_on == date.today() and row.paid_at
    assert row.payment_reference == "SEPA-2024-001" and row.paid_by_id == approver.id
    assert "grant.disbursement_paid" in audit_actions(grant.id)
    (message,) = mail_to(grant_founder.email)
    assert "$1,000.00" in message.body and "SEPA-2024-001" in message.body
    assert db.session.get(Grant, grant.id).committed_cents == 100_000


def test_the_requester_may_record_the_payment(db, grant, requester, approver):
    row = approved(grant, requester, approver)
    services.mark_paid(row, actor=requester, paid_on=date.today(), payment_reference="T-1")
    assert row.status == S.PAID


def test_an_unapproved_request_cannot_be_paid(db, grant, requester, approver):
    row, _ = request(grant, requester)
    before = snapshot(grant.id)
    with pytest.raises(InvalidState, match="approved before"):
        services.mark_paid(row, actor=approver, paid_on=date.today(), payment_reference="T")
    assert snapshot(grant.id) == before


@pytest.mark.parametrize(
    "paid_on, reference, field",
    [
        (None, "T-1", "paid_on"),
        (date.today() + timedelta(days=3), "T-1", "paid_on"),
        (date.today() - timedelta(days=30), "T-1", "paid_on"),
        (date.today(), "   ", "reference"),
        (date.today(), "x" * 101, "reference"),
    ],
)
def test_bad_payment_details_are_refused(db, grant, requester, approver, paid_on, reference, field):
    row = approved(grant, requester, approver)
    before = snapshot(grant.id)
    with pytest.raises(ValidationFailed) as raised:
        services.mark_paid(row, actor=approver, paid_on=paid_on, payment_reference=reference)
    assert raised.value.field == field
    assert snapshot(grant.id) == before


def test_paying_twice_or_paying_a_cancelled_row_is_refused(db, grant, requester, approver):
    row = approved(grant, requester, approver)
    services.mark_paid(row, actor=approver, paid_on=date.today(), payment_reference="T-1")
    with pytest.raises(InvalidState, match="already paid"):
        services.mark_paid(row, actor=approver, paid_on=date.today(), payment_reference="T-2")
    other = approved(grant, requester, approver)
    services.cancel_disbursement(other, actor=approver, reason="Wrong bank details")
    with pytest.raises(InvalidState, match="cancelled"):
        services.mark_paid(other, actor=approver, paid_on=date.today(), payment_reference="T")


# --- cancel ---------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["requested", "approved"])
def test_cancelling_returns_the_amount_to_the_grant(db, grant, requester, approver, stage):
    row = (
        approved(grant, requester, approver)
        if stage == "approved"
        else request(grant, requester)[0]
    )
    services.cancel_disbursement(row, actor=approver, reason="  Founder asked to wait ")
    db.session.commit()
    assert row.status == S.CANCELLED and row.cancel_reason == "Founder asked to wait"
    assert row.cancelled_by_id == approver.id and row.cancelled_at
    assert db.session.get(Grant, grant.id).committed_cents == 0
    assert "grant.disbursement_cancelled" in audit_actions(grant.id)
    assert mail_to(requester.email)


def test_cancel_needs_a_reason_and_never_touches_paid_or_cancelled_rows(
    db, grant, requester, approver
):
    row, _ = request(grant, requester)
    before = snapshot(grant.id)
    with pytest.raises(ValidationFailed) as raised:
        services.cancel_disbursement(row, actor=approver, reason="   ")
    assert raised.value.field == "reason" and snapshot(grant.id) == before
    services.cancel_disbursement(row, actor=approver, reason="dup")
    with pytest.raises(InvalidState):
        services.cancel_disbursement(row, actor=approver, reason="again")
    paid = factories.make_disbursement(grant, status="paid", requester=requester, approver=approver)
    before = snapshot(grant.id)
    with pytest.raises(InvalidState, match="correction"):
        services.cancel_disbursement(paid, actor=approver, reason="oops")
    assert snapshot(grant.id) == before


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
