"""Reviewer panels, manual and automatic assignment, conflict declarations."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from accelerator.applications.models import ApplicationStatus, Startup
from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.extensions import db
from accelerator.programs.models import Phase
from accelerator.reviews import assignment as svc
from accelerator.reviews.models import ConflictStatus, ReviewAssignment
from accelerator.reviews.queries import reviewer_pool


def _assignments(application_id=None):
    statement = select(ReviewAssignment)
    if application_id:
        statement = statement.where(ReviewAssignment.application_id == application_id)
    return db.session.scalars(statement).all()


def _actions(prefix):
    return [e.action for e in db.session.scalars(select(AuditEvent)) if e.action.startswith(prefix)]


def test_pool_is_active_staff_and_panel_mentors(make, cohort, reviewers, staff):
    mentor = make.make_panel_mentor(cohort)
    make.make_user(role="mentor")  # not on the panel
    make.make_user(role="staff", active=False)
    ids = {u.id for u in reviewer_pool(cohort.id)}
    assert ids == {r.id for r in reviewers} | {staff.id, mentor.id}


def test_add_panel_mentor_rules(make, cohort, staff, mentor, founder):
    svc.add_panel_mentor(cohort, mentor=mentor, actor=staff)
    assert "review.panel_added" in _actions("review.")
    with pytest.raises(Conflict):
        svc.add_panel_mentor(cohort, mentor=mentor, actor=staff)
    with pytest.raises(ValidationFailed):
        svc.add_panel_mentor(cohort, mentor=founder, actor=staff)
    with pytest.raises(NotAllowed):
        svc.add_panel_mentor(cohort, mentor=make.make_user(role="mentor"), actor=mentor)


def test_removing_a_panel_mentor_drops_only_unstarted_assignments(make, cohort, staff):
    mentor = make.make_panel_mentor(cohort)
    reviewed = make.make_application(cohort=cohort, status="in_review")
    waiting = make.make_application(cohort=cohort, status="in_review")
    make.make_review(assignment=make.make_assignment(application=reviewed, reviewer=mentor))
    make.make_assignment(application=waiting, reviewer=mentor)
    svc.remove_panel_mentor(cohort, mentor=mentor, actor=staff)
    assert [a.application_id for a in _assignments()] == [reviewed.id]
    assert mentor.id not in {u.id for u in reviewer_pool(cohort.id)}
    with pytest.raises(InvalidState):
        svc.remove_panel_mentor(cohort, mentor=mentor, actor=staff)


def test_manual_assignment_starts_the_review_audits_and_mails(app, cohort, reviewers, applications):
    application, reviewer = applications[0], reviewers[0]
    assignment = svc.assign_reviewer(application, reviewer=reviewer, actor=reviewers[1])
    assert assignment.conflict == ConflictStatus.UNDECLARED and not assignment.automatic
    assert application.status == ApplicationStatus.IN_REVIEW
    assert _actions("review.assigned") == ["review.assigned"]
    assert _actions("application.status_changed") == ["application.status_changed"]
    mail = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to == reviewer.email)).one()
    assert "http://localhost/reviews/inbox" in mail.body


def test_manual_assignment_refusals(make, cohort, reviewers, applications, staff):
    application = applications[0]
    svc.assign_reviewer(application, reviewer=reviewers[0], actor=staff)
    with pytest.raises(Conflict, match="already assigned"):
        svc.assign_reviewer(application, reviewer=reviewers[0], actor=staff)
    outsider = make.make_user(role="mentor")
    with pytest.raises(ValidationFailed, match="not a reviewer"):
        svc.assign_reviewer(application, reviewer=outsider, actor=staff)
    with pytest.raises(NotAllowed):
        svc.assign_reviewer(application, reviewer=reviewers[1], actor=outsider)
    decided = make.make_application(cohort=cohort, status="rejected")
    with pytest.raises(InvalidState):
        svc.assign_reviewer(decided, reviewer=reviewers[1], actor=staff)


def test_a_reviewer_conflicted_with_a_startup_is_never_assigned_to_it_again(
    make, cohort, reviewers, staff
):
    first = make.make_application(cohort=cohort, status="in_review")
    make.make_assignment(application=first, reviewer=reviewers[0], conflict="conflict")
    with pytest.raises(Conflict, match="conflict of interest"):
        svc.assign_reviewer(first, reviewer=reviewers[0], actor=staff)
    # The same startup's application to another cohort: still conflicted.
    later = make.make_application(
        cohort=make.make_cohort(phase=Phase.REVIEWING),
        startup=db.session.get(Startup, first.startup_id),
        status="in_review",
    )
    with pytest.raises(Conflict, match="conflict of interest"):
        svc.assign_reviewer(later, reviewer=reviewers[0], actor=staff)


def test_unassign(make, cohort, reviewers, staff):
    application = make.make_application(cohort=cohort, status="in_review")
    plain = make.make_assignment(application=application, reviewer=reviewers[0])
    svc.unassign(plain, actor=staff)
    assert _assignments(application.id) == []
    reviewed = make.make_assignment(application=application, reviewer=reviewers[1])
    make.make_review(assignment=reviewed)
    with pytest.raises(InvalidState, match="already submitted"):
        svc.unassign(reviewed, actor=staff)
    conflicted = make.make_assignment(
        application=application, reviewer=reviewers[2], conflict="conflict"
    )
    with pytest.raises(InvalidState, match="stays on record"):
        svc.unassign(conflicted, actor=staff)


def test_auto_assign_gives_each_application_n_reviewers_evenly(
    make, cohort, reviewers, applications, staff
):
    result = svc.auto_assign(
        cohort, actor=staff, per_application=2, reviewer_ids=[r.id for r in reviewers]
    )
    assert result.created == 8 and not result.short
    loads = svc.cohort_loads(cohort.id)
    assert sorted(loads[r.id] for r in reviewers) in ([2, 3, 3], [3, 3, 2], [2, 3, 3])
    assert all(len(_assignments(a.id)) == 2 for a in applications)
    assert {a.status for a in applications} == {ApplicationStatus.IN_REVIEW}
    assert all(a.automatic for a in _assignments())
    # Running it again changes nothing: everyone already has their reviewers.
    again = svc.auto_assign(
        cohort, actor=staff, per_application=2, reviewer_ids=[r.id for r in reviewers]
    )
    assert again.created == 0
    # Each reviewer gets one summary mail per run.
    assert db.session.scalar(
        select(OutboxEmail).where(OutboxEmail.to == reviewers[0].email)
    ).subject.endswith("to review")


def test_auto_assign_defaults_to_the_cohorts_number(make, reviewers, staff):
    cohort = make.make_cohort(phase=Phase.REVIEWING, reviewers_per_application=3)
    application = make.make_application(cohort=cohort)
    svc.auto_assign(cohort, actor=staff, reviewer_ids=[r.id for r in reviewers])
    assert len(_assignments(application.id)) == 3


def test_auto_assign_avoids_conflicts_and_reports_applications_left_short(
    make, cohort, reviewers, staff
):
    application = make.make_application(cohort=cohort, status="in_review")
    make.make_assignment(application=application, reviewer=reviewers[0], conflict="conflict")
    result = svc.auto_assign(
        cohort, actor=staff, per_application=3, reviewer_ids=[r.id for r in reviewers]
    )
    chosen = {a.reviewer_id for a in _assignments(application.id) if not a.is_conflicted}
    assert chosen == {reviewers[1].id, reviewers[2].id}
    assert result.short == [application.id]


def test_auto_assign_input_checks(cohort, staff, mentor):
    with pytest.raises(ValidationFailed):
        svc.auto_assign(cohort, actor=staff, per_application=0)
    with pytest.raises(ValidationFailed, match="at least one reviewer"):
        svc.auto_assign(cohort, actor=staff, per_application=2, reviewer_ids=[])
    with pytest.raises(NotAllowed):
        svc.auto_assign(cohort, actor=mentor)


# Declarations ---------------------------------------------------------------------------------


def test_no_conflict_clears_the_reviewer(make, reviewers):
    assignment = make.make_assignment(reviewer=reviewers[0], conflict="undeclared")
    svc.declare(assignment, actor=reviewers[0], conflict=False)
    assert assignment.is_cleared and assignment.declared_at is not None
    assert _actions("review.no_conflict") == ["review.no_conflict_declared"]


def test_a_conflict_needs_a_reason_and_hands_the_application_to_someone_else(
    make, cohort, reviewers
):
    application = make.make_application(cohort=cohort, status="in_review")
    busy = make.make_application(cohort=cohort, status="in_review")
    make.make_assignment(application=busy, reviewer=reviewers[1])  # B is busier than C
    assignment = make.make_assignment(
        application=application, reviewer=reviewers[0], conflict="undeclared"
    )
    with pytest.raises(ValidationFailed, match="why"):
        svc.declare(assignment, actor=reviewers[0], conflict=True, reason="  ")
    replacement = svc.declare(
        assignment, actor=reviewers[0], conflict=True, reason="I advise this startup"
    )
    assert assignment.is_conflicted and assignment.conflict_reason == "I advise this startup"
    assert replacement.reviewer_id == reviewers[2].id
    assert "review.conflict_declared" in _actions("review.")
    with pytest.raises(InvalidState):
        svc.declare(assignment, actor=reviewers[0], conflict=False)


def test_only_the_reviewer_declares_and_not_after_reviewing(make, reviewers):
    assignment = make.make_assignment(reviewer=reviewers[0])
    with pytest.raises(NotAllowed):
        svc.declare(assignment, actor=reviewers[1], conflict=False)
    make.make_review(assignment=assignment)
    with pytest.raises(InvalidState, match="already reviewed"):
        svc.declare(assignment, actor=reviewers[0], conflict=True, reason="Oops")


def test_conflict_without_a_free_reviewer_is_recorded(make, cohort, staff):
    only = make.make_panel_mentor(cohort)
    application = make.make_application(cohort=cohort, status="in_review")
    for user in [staff]:
        make.make_assignment(application=application, reviewer=user)
    assignment = make.make_assignment(application=application, reviewer=only, conflict="undeclared")
    # Every other pool member (the staff of this test) already reviews it.
    others = [u for u in reviewer_pool(cohort.id) if u.id not in (only.id, staff.id)]
    for user in others:
        make.make_assignment(application=application, reviewer=user)
    assert svc.declare(assignment, actor=only, conflict=True, reason="Investor") is None
    assert "review.replacement_missing" in _actions("review.")


# Property: never a conflicted reviewer, loads within one of each other --------------------------


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    n_reviewers=st.integers(min_value=2, max_value=5),
    n_apps=st.integers(min_value=1, max_value=7),
    per_app=st.integers(min_value=1, max_value=3),
    data=st.data(),
)
def test_auto_assignment_never_picks_a_conflicted_reviewer_and_balances_loads(
    db, make, n_reviewers, n_apps, per_app, data
):
    nested = db.session.begin_nested()
    try:
        cohort = make.make_cohort(phase=Phase.REVIEWING)
        staff = make.make_user(role="staff")
        reviewers = [make.make_panel_mentor(cohort) for _ in range(n_reviewers)]
        apps = [make.make_application(cohort=cohort) for _ in range(n_apps)]
        # Conflicts pair some applications with some reviewers, at most one each way, so an
        # even spread is always possible (the algorithm's optimality is tested by brute force
        # in test_balancing.py).
        pairs = data.draw(
            st.lists(
                st.tuples(st.integers(0, n_apps - 1), st.integers(0, n_reviewers - 1)),
                max_size=min(n_apps, n_reviewers),
                unique_by=(lambda p: p[0], lambda p: p[1]),
            )
        )
        for a, r in pairs:
            make.make_assignment(application=apps[a], reviewer=reviewers[r], conflict="conflict")
        svc.auto_assign(
            cohort,
            actor=staff,
            per_application=min(per_app, n_reviewers - 1),
            reviewer_ids=[r.id for r in reviewers],
        )
        conflicted = {(apps[a].id, reviewers[r].id) for a, r in pairs}
        active = [
            x
            for x in _assignments()
            if x.application_id in {a.id for a in apps} and not x.is_conflicted
        ]
        assert not {(x.application_id, x.reviewer_id) for x in active} & conflicted
        loads = svc.cohort_loads(cohort.id)
        counts = [loads.get(r.id, 0) for r in reviewers]
        assert max(counts) - min(counts) <= 1, counts
    finally:
        nested.rollback()
