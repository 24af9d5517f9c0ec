"""Milestone rules: plans, per-startup changes, evidence, review, and the tranche each
approval requests in the grant ledger (cap and four eyes included)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from accelerator.grants import services as grant_services
from accelerator.grants.models import Disbursement, DisbursementStatus, Grant
from accelerator.milestones import plans, services
from accelerator.milestones.models import Milestone, MilestoneStatus, MilestoneTemplate
from tests import factories

MS = MilestoneStatus


def _milestones(enrollment) -> list[Milestone]:
    return list(
        db.session.scalars(
            select(Milestone)
            .where(Milestone.enrollment_id == enrollment.id)
            .order_by(Milestone.due_on, Milestone.id)
        )
    )


def _grant(enrollment) -> Grant:
    return db.session.scalar(select(Grant).where(Grant.enrollment_id == enrollment.id))


def _submitted(milestone, founder):
    return services.submit_milestone(milestone, actor=founder, text="Done", link=None)


# --- plans -----------------------------------------------------------------------------------


def test_enrollment_gets_the_default_plan_with_due_dates_counted_in_weeks(enrollment, cohort):
    milestones = _milestones(enrollment)
    assert [m.title for m in milestones] == [line[1] for line in plans.DEFAULT_PLAN]
    assert [m.due_on for m in milestones] == [
        cohort.starts_on + timedelta(days=7 * week - 1) for week, *_rest in plans.DEFAULT_PLAN
    ]
    assert [m.tranche_key for m in milestones] == [None, None, "midpoint", None, "demo_day"]
    assert all(m.status == MS.PLANNED for m in milestones)


def test_the_enrollment_signal_creates_the_milestones_in_the_same_transaction(staff):
    from accelerator.applications.models import ApplicationStatus
    from accelerator.programs.services import enroll

    cohort = factories.make_cohort(phase="running")
    application = factories.make_application(cohort=cohort, status=ApplicationStatus.ENROLLED)
    enrollment = enroll(application, actor=staff)
    assert len(_milestones(enrollment)) == 5
    assert _grant(enrollment) is not None


def test_adding_a_plan_line_gives_every_enrolled_startup_the_milestone(enrollment, cohort, staff):
    other = factories.make_enrolled(cohort=cohort)
    line = plans.add_template(
        cohort, actor=staff, data=plans.TemplateInput("Press kit", "", 8, "1 article", None)
    )
    for e in (enrollment, other):
        assert any(m.template_id == line.id for m in _milestones(e))
    # Again: nothing more to create.
    assert plans.create_for_enrolled(cohort, actor=staff) == 0


def test_plan_lines_are_checked(cohort, staff):
    with pytest.raises(ValidationFailed) as error:
        plans.add_template(cohort, actor=staff, data=plans.TemplateInput("", "", 2, "", None))
    assert error.value.field == "title"
    with pytest.raises(ValidationFailed) as error:
        plans.add_template(cohort, actor=staff, data=plans.TemplateInput("X", "", 40, "", None))
    assert error.value.field == "due_week"
    with pytest.raises(Conflict) as error:  # the default plan's week 6 releases it already
        plans.add_template(
            cohort, actor=staff, data=plans.TemplateInput("X", "", 3, "", "midpoint")
        )
    assert error.value.field == "tranche_key"
    with pytest.raises(NotAllowed):
        plans.add_template(cohort, actor=None, data=plans.TemplateInput("X", "", 2, "", None))


def test_copy_a_plan_from_an_earlier_cohort(cohort, staff):
    target = factories.make_cohort(
        phase="reviewing", tranche_plan=[{"key": "midpoint", "name": "Mid", "percent": 100}]
    )
    lines = plans.copy_plan(target, source=cohort, actor=staff)
    assert [line.title for line in lines] == [line[1] for line in plans.DEFAULT_PLAN]
    # Only the tranche the new cohort has stays linked.
    assert [line.tranche_key for line in lines] == [None, None, "midpoint", None, None]
    with pytest.raises(Conflict):
        plans.copy_plan(target, source=cohort, actor=staff)


def test_a_line_someone_reported_on_cannot_be_removed(enrollment, ms_founder, staff):
    first = _milestones(enrollment)[0]
    _submitted(first, ms_founder)
    line = db.session.get(MilestoneTemplate, first.template_id)
    with pytest.raises(InvalidState):
        plans.delete_template(line, actor=staff)


# --- one startup's milestones ------------------------------------------------------------------


def test_staff_add_move_and_drop_one_startups_milestone_with_audit(enrollment, cohort, staff):
    added = services.add_milestone(
        enrollment, actor=staff, title="Security review", due_on=cohort.starts_on + timedelta(20)
    )
    services.move_milestone(
        added, actor=staff, due_on=cohort.starts_on + timedelta(25), reason="BU asked"
    )
    services.drop_milestone(added, actor=staff, reason="Not needed")
    assert added.status == MS.DROPPED
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.object_type == "milestones", AuditEvent.object_id == added.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["milestone.added", "milestone.moved", "milestone.dropped"]
    with pytest.raises(ValidationFailed) as error:
        services.add_milestone(
            enrollment, actor=staff, title="Late", due_on=cohort.ends_on + timedelta(days=1)
        )
    assert error.value.field == "due_on"


def test_overdue_is_shown_not_stored(enrollment, cohort):
    first = _milestones(enrollment)[0]
    assert first.status == MS.PLANNED
    assert first.shown_status(first.due_on + timedelta(days=1)) == MS.OVERDUE
    assert first.shown_status(first.due_on) == MS.PLANNED
    assert MS.OVERDUE.badge == "text-bg-danger" and str(MS.OVERDUE.label) == "Overdue"


def test_only_the_startups_founders_submit_and_evidence_must_be_a_pdf(enrollment, ms_founder):
    milestone = _milestones(enrollment)[0]
    stranger = factories.make_user(role="founder")
    factories.make_startup(founders=[stranger])
    with pytest.raises(NotAllowed):
        services.submit_milestone(milestone, actor=stranger, text="x", link=None)
    not_pdf = FileStorage(io.BytesIO(b"PK\x03\x04 a zip"), filename="evidence.pdf")
    with pytest.raises(ValidationFailed) as error:
        services.submit_milestone(milestone, actor=ms_founder, text="x", link=None, upload=not_pdf)
    assert error.value.field == "evidence_file"
    with pytest.raises(ValidationFailed) as error:
        services.submit_milestone(milestone, actor=ms_founder, text="x", link="javascript:alert(1)")
    assert error.value.field == "evidence_link"
    pdf = FileStorage(io.BytesIO(factories.PDF_BYTES), filename="proof.pdf")
    services.submit_milestone(milestone, actor=ms_founder, text="x", link=None, upload=pdf)
    assert milestone.status == MS.SUBMITTED and milestone.evidence_file_id is not None


def test_send_back_needs_a_comment_and_the_founder_resubmits(enrollment, ms_founder, staff):
    milestone = _submitted(_milestones(enrollment)[0], ms_founder)
    with pytest.raises(ValidationFailed):
        services.send_back_milestone(milestone, actor=staff, comment="  ")
    services.send_back_milestone(milestone, actor=staff, comment="Add the signed goals")
    assert milestone.status == MS.SENT_BACK
    _submitted(milestone, ms_founder)
    services.approve_milestone(milestone, actor=staff)
    assert milestone.status == MS.APPROVED


# --- tranche release -------------------------------------------------------------------------


def test_approving_the_mid_program_milestone_requests_its_tranche(enrollment, ms_founder, staff):
    milestone = factories.milestone_with_tranche(enrollment, "midpoint")
    _submitted(milestone, ms_founder)
    _m, row, note = services.approve_milestone(milestone, actor=staff)
    assert note is None
    assert row.status == DisbursementStatus.REQUESTED
    assert (row.tranche_key, row.amount_cents, row.requested_by_id) == (
        "midpoint",
        500_000,
        staff.id,
    )
    assert milestone.disbursement_id == row.id
    assert _grant(enrollment).committed_cents == 500_000  # requested, nothing paid


def test_approving_twice_creates_one_request(enrollment, ms_founder, staff, admin):
    milestone = factories.milestone_with_tranche(enrollment, "midpoint")
    _submitted(milestone, ms_founder)
    services.approve_milestone(milestone, actor=staff)
    with pytest.raises(InvalidState):
        services.approve_milestone(milestone, actor=admin)
    # Even called again directly, the idempotency key finds the same row.
    again, _note = services.release_tranche(milestone, actor=admin)
    assert again is None or again.id == milestone.disbursement_id
    count = db.session.scalar(
        select(func.count(Disbursement.id)).where(Disbursement.grant_id == _grant(enrollment).id)
    )
    assert count == 1


def test_the_request_needs_a_second_staff_member_to_approve_it(
    enrollment, ms_founder, staff, admin
):
    milestone = factories.milestone_with_tranche(enrollment, "midpoint")
    _submitted(milestone, ms_founder)
    _m, row, _note = services.approve_milestone(milestone, actor=staff)
    with pytest.raises(NotAllowed):
        grant_services.approve_disbursement(row, actor=staff, seen_amount_cents=row.amount_cents)
    grant_services.approve_disbursement(row, actor=admin, seen_amount_cents=row.amount_cents)
    assert row.status == DisbursementStatus.APPROVED and row.paid_at is None  # nothing paid


def test_the_request_stays_within_the_cap(enrollment, ms_founder, staff, admin):
    grant = _grant(enrollment)
    # Staff already committed $18,000 by hand: only $2,000 remains of the $20,000.
    factories.make_disbursement(grant, amount_cents=1_000_000, tranche="kickoff", requester=admin)
    factories.make_disbursement(grant, amount_cents=800_000, tranche="demo_day", requester=admin)
    milestone = factories.milestone_with_tranche(enrollment, "midpoint")
    _submitted(milestone, ms_founder)
    _m, row, _note = services.approve_milestone(milestone, actor=staff)
    assert row.amount_cents == 200_000  # what remains, not the tranche's $5,000
    db.session.refresh(grant)
    assert grant.committed_cents == grant.amount_cents


def test_a_fully_committed_grant_requests_nothing_but_the_milestone_is_approved(
    enrollment, ms_founder, staff, admin
):
    grant = _grant(enrollment)
    factories.make_disbursement(grant, amount_cents=grant.amount_cents, requester=admin)
    milestone = factories.milestone_with_tranche(enrollment, "midpoint")
    _submitted(milestone, ms_founder)
    _m, row, note = services.approve_milestone(milestone, actor=staff)
    assert row is None and "fully committed" in note
    assert milestone.status == MS.APPROVED and milestone.disbursement_id is None


def test_a_tranche_already_requested_by_hand_is_not_requested_again(
    enrollment, ms_founder, staff, admin
):
    grant = _grant(enrollment)
    factories.make_disbursement(grant, amount_cents=500_000, tranche="midpoint", requester=admin)
    milestone = factories.milestone_with_tranche(enrollment, "midpoint")
    _submitted(milestone, ms_founder)
    _m, row, _note = services.approve_milestone(milestone, actor=staff)
    assert row is None
    assert db.session.scalar(select(func.count(Disbursement.id))) == 1
