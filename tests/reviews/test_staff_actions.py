"""The staff application page leads to assigning reviewers; deciding warns when nobody has
reviewed, and a full cohort's decision page offers the waitlist and the capacity."""

from __future__ import annotations


def test_the_staff_application_page_offers_assign_reviewers(login_as, make, staff):
    cohort = make.make_cohort(phase="reviewing")
    application = make.make_application(cohort=cohort, status="submitted")
    page = login_as(staff).get(f"/applications/{application.id}").get_data(as_text=True)
    assert "Assign reviewers" in page
    assert f"/reviews/cohorts/{cohort.id}/assignments#application-{application.id}" in page
    assert "No reviewer assigned yet." in page
    assert "review(s)" not in page and "reviewer(s)" not in page


def test_review_counts_read_as_words(login_as, make, staff):
    cohort = make.make_cohort(phase="reviewing")
    application = make.make_application(cohort=cohort, status="in_review")
    make.make_assignment(application=application, reviewer=staff)
    page = login_as(staff).get(f"/applications/{application.id}").get_data(as_text=True)
    assert "No review yet from the 1 assigned reviewer." in page


def test_deciding_without_reviews_warns(login_as, make, staff):
    cohort = make.make_cohort(phase="reviewing")
    application = make.make_application(cohort=cohort, status="in_review")
    page = login_as(staff).get(f"/reviews/applications/{application.id}/decide")
    text = page.get_data(as_text=True)
    assert 'data-warning="no-reviews"' in text
    assert "Nobody has reviewed this application yet." in text


def test_a_full_cohort_offers_the_waitlist_and_a_way_to_raise_capacity(login_as, make, staff):
    cohort = make.make_cohort(phase="reviewing", capacity=1)
    taken = make.make_application(cohort=cohort, status="in_review")
    make.make_offer(taken)
    application = make.make_application(cohort=cohort, status="in_review")
    text = (
        login_as(staff).get(f"/reviews/applications/{application.id}/decide").get_data(as_text=True)
    )
    assert "The cohort is full" in text
    assert "Choose “Waitlist”" in text
    assert f'href="/cohorts/{cohort.id}/edit"' in text
