"""Requests, approvals, payments and cancellations of the ledger, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.grants import services
from accelerator.grants.models import DisbursementKind, DisbursementStatus, Grant
from tests import factories
from tests.grants.helpers import approved, audit_actions, mail_to, new_key, request, snapshot

S = DisbursementStatus

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
