"""The review pages over HTTP, per role, with reviewer-specific access (assigned, not
assigned, conflicted) and the bad input that must never give a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from accelerator.applications.models import ApplicationStatus, StartupMember
from accelerator.auth.models import User
from accelerator.extensions import db
from accelerator.programs.models import Enrollment
from accelerator.reviews.models import ConflictStatus, Offer, Review, ReviewAssignment

S = ApplicationStatus
GOOD_REVIEW = {
    "criterion_0": "5",
    "criterion_1": "4",
    "criterion_2": "4",
    "criterion_3": "3",
    "criterion_4": "4",
    "recommendation": "yes",
    "confidence": "high",
    "comment": "Private note for staff",
    "feedback_tags": ["strong_team"],
}


class _Following:
    """The suite's client runs each request in its own context, so redirects are followed here."""

    def __init__(self, client):
        self.client = client

    def get(self, *args, follow_redirects=False, **kwargs):
        return self._follow(self.client.get(*args, **kwargs), follow_redirects)

    def post(self, *args, follow_redirects=False, **kwargs):
        return self._follow(self.client.post(*args, **kwargs), follow_redirects)

    def _follow(self, response, follow):
        while follow and response.status_code in (301, 302, 303):
            response = self.client.get(response.location)
        return response


@pytest.fixture
def login_as(login_as):
    return lambda user: _Following(login_as(user))


def _founder(application) -> User:
    return db.session.scalar(
        select(User)
        .join(StartupMember, StartupMember.user_id == User.id)
        .where(StartupMember.startup_id == application.startup_id)
    )


@pytest.fixture
def reviewed(make, cohort, staff):
    """A cohort with two applications, each reviewed by two staff members."""
    a, b = make.make_user(role="staff", name="Alice Reviewer"), make.make_user(role="staff")
    apps = [make.make_application(cohort=cohort, status="in_review") for _ in range(2)]
    for application, scores in zip(apps, (5, 2), strict=True):
        make.make_review(
            application=application,
            reviewer=a,
            scores=scores,
            comment="Alice's private remark",
            feedback_tags=["too_early"],
        )
        make.make_review(application=application, reviewer=b, scores=scores)
    return apps


# Staff pages ----------------------------------------------------------------------------------


def test_staff_pages_render_with_data(login_as, staff, cohort, reviewed):
    client = login_as(staff)
    for url in (
        "/reviews/",
        f"/reviews/cohorts/{cohort.id}/pipeline",
        f"/reviews/cohorts/{cohort.id}/pipeline?status=in_review",
        f"/reviews/cohorts/{cohort.id}/pipeline?status=bogus&page=x",
        f"/reviews/cohorts/{cohort.id}/assignments",
        f"/reviews/cohorts/{cohort.id}/assignments?scope=all",
        f"/reviews/cohorts/{cohort.id}/ranking?sort=stddev&dir=asc",
        f"/reviews/cohorts/{cohort.id}/ranking?sort=<script>&dir=%00",
        f"/reviews/cohorts/{cohort.id}/decisions",
        f"/reviews/applications/{reviewed[0].id}",
        f"/reviews/applications/{reviewed[0].id}/decide",
        "/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert client.get("/reviews/cohorts/99999/pipeline").status_code == 404
    page = client.get(f"/reviews/applications/{reviewed[0].id}").get_data(as_text=True)
    assert "Alice Reviewer" in page and "Alice&#39;s private remark" in page


def test_bulk_stage_move_from_the_pipeline(login_as, staff, make, cohort):
    apps = [make.make_application(cohort=cohort, status="in_review") for _ in range(3)]
    client = login_as(staff)
    response = client.post(
        f"/reviews/cohorts/{cohort.id}/pipeline/move",
        data={"target": "shortlisted", "application_ids": [str(a.id) for a in apps[:2]]},
        follow_redirects=True,
    )
    assert "2 application(s) moved to shortlisted." in response.get_data(as_text=True)
    assert [db.session.get(type(a), a.id).status for a in apps] == [
        S.SHORTLISTED,
        S.SHORTLISTED,
        S.IN_REVIEW,
    ]


@pytest.mark.parametrize(
    "data",
    [
        {"target": "interview", "application_ids": ["abc"]},
        {"target": "accepted", "application_ids": ["1"]},
        {"target": "shortlisted"},
        {"target": "shortlisted", "application_ids": ["999999"]},
    ],
)
def test_bad_bulk_moves_are_refused_without_error(login_as, staff, cohort, data):
    response = login_as(staff).post(
        f"/reviews/cohorts/{cohort.id}/pipeline/move",
        data=data,
    )
    assert response.status_code == 422
    assert "alert-danger" in response.get_data(as_text=True)


def test_a_move_outside_the_table_is_refused_with_a_message(login_as, staff, make, cohort):
    application = make.make_application(cohort=cohort, status="submitted")
    response = login_as(staff).post(
        f"/reviews/cohorts/{cohort.id}/pipeline/move",
        data={"target": "interview", "application_ids": [str(application.id)]},
        follow_redirects=True,
    )
    assert "Nothing was moved" in response.get_data(as_text=True)


def test_applications_of_another_cohort_cannot_be_moved_through_this_one(
    login_as, staff, make, cohort
):
    elsewhere = make.make_application(status="in_review")
    login_as(staff).post(
        f"/reviews/cohorts/{cohort.id}/pipeline/move",
        data={"target": "shortlisted", "application_ids": [str(elsewhere.id)]},
    )
    assert db.session.get(type(elsewhere), elsewhere.id).status == S.IN_REVIEW


def test_automatic_and_manual_assignment_pages(login_as, staff, make, cohort):
    mentor = make.make_user(role="mentor", name="Mia Mentor")
    apps = [make.make_application(cohort=cohort) for _ in range(3)]
    client = login_as(staff)
    response = client.post(
        f"/reviews/cohorts/{cohort.id}/panel", data={"mentor": mentor.id}, follow_redirects=True
    )
    assert "Mia Mentor now reviews this cohort." in response.get_data(as_text=True)
    response = client.post(
        f"/reviews/cohorts/{cohort.id}/assignments/auto",
        data={"per_application": "2", "reviewers": [str(staff.id), str(mentor.id)]},
        follow_redirects=True,
    )
    assert "6 assignment(s) made" in response.get_data(as_text=True)
    counts = db.session.execute(
        select(ReviewAssignment.reviewer_id, func.count()).group_by(ReviewAssignment.reviewer_id)
    ).all()
    assert sorted(c for _r, c in counts) == [3, 3]
    # Manual: a third reviewer for the first application, then removed again.
    extra = make.make_user(role="staff")
    client.post(f"/reviews/applications/{apps[0].id}/assign", data={"reviewer": extra.id})
    assignment = db.session.scalar(
        select(ReviewAssignment).where(ReviewAssignment.reviewer_id == extra.id)
    )
    assert assignment.application_id == apps[0].id
    assignment_id = assignment.id
    client.post(f"/reviews/assignments/{assignment_id}/unassign")
    assert db.session.get(ReviewAssignment, assignment_id) is None


@pytest.mark.parametrize(
    "data",
    [
        {"per_application": "0", "reviewers": []},
        {"per_application": "many"},
        {"per_application": "2", "reviewers": ["999999"]},
    ],
)
def test_bad_automatic_assignment_input_shows_errors(login_as, staff, cohort, data):
    response = login_as(staff).post(f"/reviews/cohorts/{cohort.id}/assignments/auto", data=data)
    assert response.status_code == 422
    assert "invalid-feedback" in response.get_data(as_text=True)


def test_manual_assignment_of_a_conflicted_reviewer_is_refused(
    login_as, staff, make, cohort, reviewers
):
    application = make.make_application(cohort=cohort, status="in_review")
    make.make_assignment(application=application, reviewer=reviewers[0], conflict="conflict")
    response = login_as(staff).post(
        f"/reviews/applications/{application.id}/assign",
        data={"reviewer": reviewers[0].id},
        follow_redirects=True,
    )
    assert "declared a conflict of interest" in response.get_data(as_text=True)


def test_exports_are_attachments(login_as, staff, cohort, reviewed):
    client = login_as(staff)
    csv = client.get(f"/reviews/cohorts/{cohort.id}/ranking.csv")
    assert csv.mimetype == "text/csv" and "attachment" in csv.headers["Content-Disposition"]
    assert csv.get_data(as_text=True).count("\n") == 5
    xlsx = client.get(f"/reviews/cohorts/{cohort.id}/ranking.xlsx")
    assert xlsx.data[:2] == b"PK"
    assert client.get(f"/reviews/cohorts/{cohort.id}/ranking.pdf").status_code == 404


# Reviewers ------------------------------------------------------------------------------------


def test_reviewer_declares_no_conflict_then_scores(login_as, make, cohort):
    mentor = make.make_panel_mentor(cohort)
    application = make.make_application(cohort=cohort, status="in_review")
    assignment = make.make_assignment(
        application=application, reviewer=mentor, conflict="undeclared"
    )
    client = login_as(mentor)
    inbox = client.get("/reviews/inbox").get_data(as_text=True)
    assert "Declare conflicts first" in inbox
    # Not declared yet: the application stays hidden.
    response = client.get(f"/reviews/assignments/{assignment.id}/review")
    assert response.status_code == 302 and response.location.endswith("/declare")
    declare = client.get(f"/reviews/assignments/{assignment.id}/declare").get_data(as_text=True)
    assert "Field technicians" not in declare  # no answers before the declaration
    response = client.post(
        f"/reviews/assignments/{assignment.id}/declare", data={"conflict": "none"}
    )
    assert response.location.endswith(f"/reviews/assignments/{assignment.id}/review")
    page = client.get(f"/reviews/assignments/{assignment.id}/review").get_data(as_text=True)
    assert "Field technicians" in page and "Fit with the company" in page
    response = client.post(f"/reviews/assignments/{assignment.id}/review", data=GOOD_REVIEW)
    assert response.status_code == 302
    review = db.session.scalar(select(Review).options(selectinload(Review.scores)))
    assert review.score_map()["team"] == 5 and review.recommendation.value == "yes"
    # Editing keeps one review.
    client.post(
        f"/reviews/assignments/{assignment.id}/review", data={**GOOD_REVIEW, "criterion_0": "2"}
    )
    assert db.session.scalar(select(func.count()).select_from(Review)) == 1
    assert "Reviewed" in client.get("/reviews/inbox").get_data(as_text=True)


@pytest.mark.parametrize(
    "override,message",
    [
        ({"criterion_0": "9"}, "Give a score from 1 to 5."),
        ({"criterion_0": "0"}, "Give a score from 1 to 5."),
        ({"criterion_2": "abc"}, "Give a score from 1 to 5."),
        ({"criterion_4": ""}, "Give a score from 1 to 5."),
        ({"recommendation": "perhaps"}, "Choose yes, maybe or no."),
        ({"confidence": ""}, "Say how confident you are."),
        ({"feedback_tags": ["not-a-tag"]}, "not a valid choice"),
        ({"comment": "x" * 5001}, "5000"),
    ],
)
def test_review_form_errors_are_shown_and_nothing_is_saved(login_as, make, override, message):
    reviewer = make.make_user(role="staff")
    assignment = make.make_assignment(reviewer=reviewer)
    response = login_as(reviewer).post(
        f"/reviews/assignments/{assignment.id}/review", data={**GOOD_REVIEW, **override}
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body and "Your review is not saved yet" in body
    assert db.session.scalar(select(func.count()).select_from(Review)) == 0


def test_declaring_a_conflict_hides_the_application_and_reassigns_it(login_as, make, cohort):
    mentor, other = make.make_panel_mentor(cohort), make.make_panel_mentor(cohort)
    application = make.make_application(cohort=cohort, status="in_review")
    assignment = make.make_assignment(
        application=application, reviewer=mentor, conflict="undeclared"
    )
    client = login_as(mentor)
    response = client.post(
        f"/reviews/assignments/{assignment.id}/declare", data={"conflict": "conflict", "reason": ""}
    )
    assert response.status_code == 422
    assert "Say briefly why" in response.get_data(as_text=True)
    client.post(
        f"/reviews/assignments/{assignment.id}/declare",
        data={"conflict": "conflict", "reason": "My brother founded it"},
    )
    assert db.session.get(ReviewAssignment, assignment.id).conflict == ConflictStatus.CONFLICT
    reviewers = set(
        db.session.scalars(
            select(ReviewAssignment.reviewer_id).where(
                ReviewAssignment.conflict != ConflictStatus.CONFLICT
            )
        )
    )
    assert reviewers and mentor.id not in reviewers
    assert other.id in reviewers or reviewers  # someone else from the pool took it
    # The conflicted reviewer can no longer open, score or download anything.
    for url in ("review", "declare", "deck"):
        response = client.get(f"/reviews/assignments/{assignment.id}/{url}", follow_redirects=True)
        assert "you cannot open or score" in response.get_data(as_text=True)
    response = client.post(f"/reviews/assignments/{assignment.id}/review", data=GOOD_REVIEW)
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Review)) == 0


def test_an_unassigned_reviewer_gets_404(login_as, make):
    assignment = make.make_assignment()
    outsider = make.make_user(role="mentor")
    client = login_as(outsider)
    for suffix in ("declare", "review", "deck"):
        assert client.get(f"/reviews/assignments/{assignment.id}/{suffix}").status_code == 404
    assert (
        client.post(f"/reviews/assignments/{assignment.id}/review", data=GOOD_REVIEW).status_code
        == 404
    )
    assert (
        login_as(make.make_user(role="founder"))
        .get(f"/reviews/assignments/{assignment.id}/review")
        .status_code
        == 403
    )


def test_a_closed_review_is_read_only(login_as, make):
    reviewer = make.make_user(role="staff")
    application = make.make_application(status="in_review")
    assignment = make.make_assignment(application=application, reviewer=reviewer)
    make.make_review(assignment=assignment)
    application.status = S.REJECTED
    db.session.flush()
    client = login_as(reviewer)
    page = client.get(f"/reviews/assignments/{assignment.id}/review").get_data(as_text=True)
    assert "can no longer be changed" in page
    response = client.post(f"/reviews/assignments/{assignment.id}/review", data=GOOD_REVIEW)
    assert "Reviews of this application are closed" in response.get_data(as_text=True)


# Decisions and the founder's side -------------------------------------------------------------


def test_deciding_and_the_seventh_acceptance(login_as, staff, make):
    cohort = make.make_cohort(phase="reviewing", capacity=6)
    apps = [make.make_application(cohort=cohort, status="interview") for _ in range(7)]
    client = login_as(staff)
    for application in apps[:6]:
        response = client.post(
            f"/reviews/applications/{application.id}/decide",
            data={"outcome": "accepted", "note": "Welcome"},
        )
        assert response.status_code == 302
    response = client.post(
        f"/reviews/applications/{apps[6].id}/decide", data={"outcome": "accepted"}
    )
    assert response.status_code == 409  # the cohort is full: refused on its state
    assert "The cohort is full" in response.get_data(as_text=True)
    assert db.session.get(type(apps[6]), apps[6].id).status == S.INTERVIEW
    page = client.get(f"/reviews/cohorts/{cohort.id}/decisions").get_data(as_text=True)
    assert "6 / 6" in page


def test_a_decision_on_a_withdrawn_application_is_refused(login_as, staff, make, cohort):
    application = make.make_application(cohort=cohort, status="withdrawn")
    response = login_as(staff).post(
        f"/reviews/applications/{application.id}/decide", data={"outcome": "rejected"}
    )
    assert "withdrew" in response.get_data(as_text=True)


def test_founder_confirms_and_sees_enrolled_without_scores_or_names(
    login_as, staff, make, cohort, reviewed
):
    application = reviewed[0]
    login_as(staff).post(
        f"/reviews/applications/{application.id}/decide",
        data={"outcome": "accepted", "note": "See you at kickoff"},
    )
    founder = _founder(application)
    client = login_as(founder)
    page = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "Confirm our place" in page and "See you at kickoff" in page
    for secret in ("Alice", "private remark", "5.00", "calibrated"):
        assert secret not in page
    assert "offered a place" in client.get("/").get_data(as_text=True)
    response = client.post(f"/reviews/offers/{application.id}/confirm", follow_redirects=True)
    home = response.get_data(as_text=True)
    assert response.request.path == "/"  # onward to the enrolled startup's home
    assert "You are enrolled" in home and "Your grant" in home
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 1
    status = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "was confirmed on" in status and "is confirmed on" not in status
    assert 'href="/grants/mine"' in status
    # Confirming twice is refused with a message, not an error.
    response = client.post(f"/reviews/offers/{application.id}/confirm", follow_redirects=True)
    assert "no open offer" in response.get_data(as_text=True)


def test_founder_sees_the_rejection_feedback_but_not_who_gave_it(login_as, staff, cohort, reviewed):
    application = reviewed[1]
    login_as(staff).post(
        f"/reviews/applications/{application.id}/decide",
        data={"outcome": "rejected", "note": "Keep going"},
    )
    page = login_as(_founder(application)).get(f"/applications/{application.id}")
    text = page.get_data(as_text=True)
    assert "Too early: come back with more traction" in text and "Keep going" in text
    assert "Alice" not in text and "private remark" not in text


def test_confirming_after_the_deadline_is_refused(login_as, make, cohort):
    application = make.make_application(cohort=cohort, status="in_review")
    make.make_offer(application, days_left=-1)
    client = login_as(_founder(application))
    assert "The deadline to confirm was" in client.get(f"/applications/{application.id}").get_data(
        as_text=True
    )
    response = client.post(f"/reviews/offers/{application.id}/confirm", follow_redirects=True)
    assert "this offer has expired" in response.get_data(as_text=True)
    assert db.session.scalar(select(Offer)).status.value == "pending"


def test_decline_then_staff_promote_and_expire(login_as, staff, make):
    cohort = make.make_cohort(phase="reviewing", capacity=1)
    first = make.make_application(cohort=cohort, status="in_review")
    second = make.make_application(cohort=cohort, status="in_review")
    make.make_offer(first)
    second.status = S.WAITLISTED
    db.session.flush()
    login_as(_founder(first)).post(f"/reviews/offers/{first.id}/decline")
    assert db.session.get(type(first), first.id).status == S.DECLINED
    client = login_as(staff)
    response = client.post(f"/reviews/cohorts/{cohort.id}/promote", follow_redirects=True)
    assert "the best-ranked on the waitlist" in response.get_data(as_text=True)
    assert db.session.get(type(second), second.id).status == S.ACCEPTED
    response = client.post(f"/reviews/cohorts/{cohort.id}/expire", follow_redirects=True)
    assert "0 expired offer(s)" in response.get_data(as_text=True)


def test_home_panels(login_as, make, cohort, staff):
    mentor = make.make_panel_mentor(cohort)
    make.make_assignment(
        application=make.make_application(cohort=cohort, status="in_review"),
        reviewer=mentor,
        conflict="undeclared",
    )
    assert "Open my review inbox" in login_as(mentor).get("/").get_data(as_text=True)
    assert "My review inbox" in login_as(staff).get("/").get_data(as_text=True)
    lonely = make.make_user(role="mentor")
    assert "Open my review inbox" not in login_as(lonely).get("/").get_data(as_text=True)


def test_an_old_offer_link_leads_to_the_one_application_page(login_as, make, cohort):
    application = make.make_application(cohort=cohort, status="in_review")
    make.make_offer(application)
    response = login_as(_founder(application)).get(f"/reviews/offers/{application.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/applications/{application.id}"
