"""Decisions over HTTP, and the founder's side: the offer, confirming, declining, feedback,
and the review panels on the home pages."""

from __future__ import annotations

from sqlalchemy import func, select

from accelerator.applications.models import ApplicationStatus
from accelerator.extensions import db
from accelerator.programs.models import Enrollment
from accelerator.reviews.models import Offer
from tests.factories import founder_of

S = ApplicationStatus


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
    founder = founder_of(application)
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
    page = login_as(founder_of(application)).get(f"/applications/{application.id}")
    text = page.get_data(as_text=True)
    assert "Too early: come back with more traction" in text and "Keep going" in text
    assert "Alice" not in text and "private remark" not in text


def test_confirming_after_the_deadline_is_refused(login_as, make, cohort):
    application = make.make_application(cohort=cohort, status="in_review")
    make.make_offer(application, days_left=-1)
    client = login_as(founder_of(application))
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
    login_as(founder_of(first)).post(f"/reviews/offers/{first.id}/decline")
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
    response = login_as(founder_of(application)).get(f"/reviews/offers/{application.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/applications/{application.id}"
