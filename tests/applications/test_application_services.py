"""Service rules of applications: start, drafts, deck, submit, withdraw, status transitions."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from accelerator.applications import services
from accelerator.applications.models import (
    OPEN_STATES,
    TRANSITIONS,
    Application,
    ApplicationStatus,
)
from accelerator.applications.services import Incomplete
from accelerator.core.errors import InvalidState, NotAllowed, ValidationFailed
from accelerator.core.models import AuditEvent, OutboxEmail, StoredFile
from accelerator.extensions import db
from tests import factories
from tests.applications.conftest import upload
from tests.factories import COMPLETE_ANSWERS, PDF_BYTES

S = ApplicationStatus


def _actions(application) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "applications", AuditEvent.object_id == application.id)
            .order_by(AuditEvent.id)
        )
    )


def _complete(application, founder):
    answers = {k: v for k, v in COMPLETE_ANSWERS.items()}
    services.save_draft(application, actor=founder, answers=answers)
    services.attach_pitch_deck(application, upload=upload(PDF_BYTES), actor=founder)


# Starting (or resuming) the one application of a startup for a cohort


def test_start_creates_a_draft_once_and_then_resumes_it(cohort, startup, founder):
    first = services.start_application(cohort, actor=founder)
    again = services.start_application(cohort, actor=founder)
    assert first.id == again.id
    assert first.status == S.DRAFT and first.source == "web"
    assert first.currency == cohort.currency
    assert _actions(first) == ["application.started"]


def test_a_cofounder_resumes_the_same_application(cohort, startup, founder):
    cofounder = factories.make_user(role="founder")
    from accelerator.applications.models import StartupMember

    db.session.add(StartupMember(startup_id=startup.id, user_id=cofounder.id))
    db.session.flush()
    assert (
        services.start_application(cohort, actor=founder).id
        == services.start_application(cohort, actor=cofounder).id
    )


def test_start_needs_a_startup_profile(cohort, founder):
    with pytest.raises(InvalidState, match="profile"):
        services.start_application(cohort, actor=founder)


@pytest.mark.parametrize("phase", ["upcoming", "reviewing", "running", "completed", "draft"])
def test_start_refused_unless_the_call_is_open(phase, startup, founder):
    cohort = factories.make_cohort(phase=phase)
    with pytest.raises(InvalidState):
        services.start_application(cohort, actor=founder)


def test_the_database_refuses_a_second_application_to_the_same_cohort(cohort, startup):
    factories.make_application(cohort=cohort, startup=startup)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Application(cohort_id=cohort.id, startup_id=startup.id, status=S.DRAFT))
        db.session.flush()


# Drafts: incomplete is fine, invalid never


def test_save_draft_accepts_incomplete_answers(draft, founder):
    changed = services.save_draft(draft, actor=founder, answers={"problem": "  Slow networks "})
    assert changed == ["problem"]
    assert draft.problem == "Slow networks"
    assert draft.solution is None
    assert "application.draft_saved" in _actions(draft)


def test_blank_answers_become_empty(draft, founder):
    services.save_draft(draft, actor=founder, answers={"problem": "x"})
    services.save_draft(draft, actor=founder, answers={"problem": "   "})
    assert draft.problem is None


@pytest.mark.parametrize(
    "key,value",
    [
        ("monthly_revenue_cents", -1),
        ("monthly_revenue_cents", 10**16),
        ("active_users", -5),
        ("active_users", True),
        ("funding_raised_cents", "12"),
        ("currency", "XXX"),
        ("problem", "x" * 5001),
        ("one_liner", "x" * 201),
    ],
)
def test_save_draft_never_stores_invalid_values(draft, founder, key, value):
    with pytest.raises(ValidationFailed) as error:
        services.save_draft(draft, actor=founder, answers={key: value})
    assert error.value.field == key
    assert getattr(draft, key) in (None, "USD", "EUR")


def test_only_the_startups_founders_change_a_draft(draft):
    stranger = factories.make_user(role="founder")
    with pytest.raises(NotAllowed):
        services.save_draft(draft, actor=stranger, answers={"problem": "x"})


def test_a_submitted_application_cannot_be_changed(cohort, startup, founder):
    application = factories.make_application(cohort=cohort, startup=startup)
    with pytest.raises(InvalidState):
        services.save_draft(application, actor=founder, answers={"problem": "new"})


# Pitch deck: PDF by content, size cap, sha256, replacing keeps the answers


def test_deck_is_stored_with_its_sha256(draft, founder):
    services.attach_pitch_deck(draft, upload=upload(PDF_BYTES, "My Deck.pdf"), actor=founder)
    stored = db.session.get(StoredFile, draft.pitch_deck_id)
    import hashlib

    assert stored.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert stored.content_type == "application/pdf" and stored.filename == "My_Deck.pdf"
    assert stored.size_bytes == len(PDF_BYTES)


@pytest.mark.parametrize(
    "data,name",
    [
        (b"PK\x03\x04 this is a pptx", "deck.pdf"),
        (b"<html><script>alert(1)</script>", "deck.pdf"),
        (b"", "deck.pdf"),
    ],
)
def test_deck_that_is_not_a_pdf_is_refused_whatever_its_name(draft, founder, data, name):
    with pytest.raises(ValidationFailed) as error:
        services.attach_pitch_deck(draft, upload=upload(data, name), actor=founder)
    assert error.value.field == "pitch_deck"
    assert draft.pitch_deck_id is None


def test_a_pdf_named_otherwise_is_still_a_pdf(draft, founder):
    services.attach_pitch_deck(draft, upload=upload(PDF_BYTES, "deck.pptx"), actor=founder)
    assert db.session.get(StoredFile, draft.pitch_deck_id).filename == "deck.pdf"


def test_deck_over_the_configured_size_is_refused(app, draft, founder, monkeypatch):
    monkeypatch.setitem(app.config, "PITCH_DECK_MAX_BYTES", 1000)
    big = PDF_BYTES + b"0" * 1000
    with pytest.raises(ValidationFailed, match="larger than"):
        services.attach_pitch_deck(draft, upload=upload(big), actor=founder)
    services.attach_pitch_deck(draft, upload=upload(PDF_BYTES), actor=founder)
    assert draft.pitch_deck_id is not None


def test_replacing_the_deck_keeps_the_answers(draft, founder):
    services.save_draft(draft, actor=founder, answers={"problem": "P", "active_users": 3})
    services.attach_pitch_deck(draft, upload=upload(PDF_BYTES), actor=founder)
    first = draft.pitch_deck_id
    services.attach_pitch_deck(draft, upload=upload(PDF_BYTES + b"v2"), actor=founder)
    assert draft.pitch_deck_id != first
    assert (draft.problem, draft.active_users) == ("P", 3)
    event = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "application.deck_uploaded")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event.data["replaced"] == first


# Submitting


def test_submit_refuses_an_incomplete_draft_and_keeps_it(draft, founder):
    services.save_draft(draft, actor=founder, answers={"problem": "P"})
    with pytest.raises(Incomplete) as error:
        services.submit_application(draft, actor=founder)
    assert "solution" in error.value.missing and "pitch_deck" in error.value.missing
    assert "problem" not in error.value.missing
    assert draft.status == S.DRAFT and draft.problem == "P"


def test_zero_counts_as_an_answer(draft, founder):
    _complete(draft, founder)
    services.save_draft(
        draft, actor=founder, answers={"monthly_revenue_cents": 0, "active_users": 0}
    )
    services.submit_application(draft, actor=founder)
    assert draft.status == S.SUBMITTED


def test_submit_needs_a_complete_profile(draft, founder, startup):
    _complete(draft, founder)
    startup.country = None
    with pytest.raises(Incomplete) as error:
        services.submit_application(draft, actor=founder)
    assert list(error.value.missing) == ["profile"]


def test_submit_sets_the_time_mails_every_founder_and_audits(app, draft, founder, startup):
    cofounder = factories.make_user(role="founder", email="co@example.com")
    from accelerator.applications.models import StartupMember

    db.session.add(StartupMember(startup_id=startup.id, user_id=cofounder.id))
    _complete(draft, founder)
    services.submit_application(draft, actor=founder)
    assert draft.status == S.SUBMITTED and draft.submitted_at is not None
    mails = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.to)).all()
    assert sorted(m.to for m in mails) == sorted([founder.email, "co@example.com"])
    assert f"/applications/{draft.id}" in mails[0].body
    # One act, one audit event: it says where the status moved.
    assert [a for a in _actions(draft) if a != "application.draft_saved" and "deck" not in a] == [
        "application.submitted"
    ]


def test_submit_after_the_deadline_is_refused_with_the_deadline_in_program_time(
    draft, founder, cohort
):
    _complete(draft, founder)
    with pytest.raises(InvalidState) as error:
        services.submit_application(
            draft, actor=founder, now=cohort.applications_close_at + timedelta(seconds=1)
        )
    local = cohort.applications_close_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Paris"))
    assert local.strftime("%Y-%m-%d %H:%M") in error.value.message
    assert local.tzname() in error.value.message
    assert draft.status == S.DRAFT and draft.problem == COMPLETE_ANSWERS["problem"]


def test_submit_just_before_the_deadline_is_accepted(draft, founder, cohort):
    _complete(draft, founder)
    services.submit_application(
        draft, actor=founder, now=cohort.applications_close_at - timedelta(seconds=1)
    )
    assert draft.status == S.SUBMITTED


def test_only_a_founder_of_the_startup_submits(draft, founder):
    _complete(draft, founder)
    with pytest.raises(NotAllowed):
        services.submit_application(draft, actor=factories.make_user(role="founder"))


def test_a_submitted_application_cannot_be_submitted_again(draft, founder):
    _complete(draft, founder)
    services.submit_application(draft, actor=founder)
    with pytest.raises(InvalidState):
        services.submit_application(draft, actor=founder)


# Withdrawing


@pytest.mark.parametrize("status", sorted(OPEN_STATES))
def test_withdraw_from_any_open_state(cohort, startup, founder, status):
    application = factories.make_application(cohort=cohort, startup=startup, status=status)
    services.withdraw_application(application, actor=founder)
    assert application.status == S.WITHDRAWN and application.withdrawn_at is not None
    assert "application.withdrawn" in _actions(application)


@pytest.mark.parametrize("status", sorted(set(S) - OPEN_STATES))
def test_no_withdrawal_after_a_decision(cohort, startup, founder, status):
    application = factories.make_application(cohort=cohort, startup=startup, status=status)
    with pytest.raises(InvalidState):
        services.withdraw_application(application, actor=founder)
    assert application.status == status


def test_only_its_founders_withdraw(cohort, startup):
    application = factories.make_application(cohort=cohort, startup=startup)
    with pytest.raises(NotAllowed):
        services.withdraw_application(application, actor=factories.make_user(role="founder"))


# Every status move goes through TRANSITIONS


@pytest.mark.parametrize("current,target", list(itertools.product(S, S)))
def test_change_status_follows_the_transition_table(cohort, startup, staff, current, target):
    application = factories.make_application(cohort=cohort, startup=startup, status=current)
    if target in TRANSITIONS[current]:
        services.change_status(application, target, actor=staff)
        db.session.flush()  # the CHECK constraints hold after the move
        assert application.status == target
    else:
        with pytest.raises(InvalidState):
            services.change_status(application, target, actor=staff)
        assert application.status == current


def test_the_database_insists_a_submitted_application_has_a_time(cohort, startup):
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(
            Application(
                cohort_id=cohort.id, startup_id=startup.id, status=S.SUBMITTED, submitted_at=None
            )
        )
        db.session.flush()


def test_the_database_refuses_negative_money(cohort, startup):
    with pytest.raises(IntegrityError), db.session.begin_nested():
        factories.make_application(cohort=cohort, startup=startup, monthly_revenue_cents=-1)


def test_a_refused_status_move_names_both_statuses_with_their_labels(cohort, startup, app):
    from accelerator.applications.models import ApplicationStatus

    application = factories.make_application(cohort=cohort, startup=startup, status="rejected")
    with app.test_request_context(), pytest.raises(InvalidState) as refused:
        services.change_status(application, ApplicationStatus.IN_REVIEW, actor=None)
    assert str(refused.value.message) == (
        "An application that is “Not selected” cannot become “In review”."
    )
