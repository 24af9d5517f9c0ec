"""Review and selection in a real browser: automatic assignment, a reviewer's declaration and
scores, six acceptances (the seventh refused), and a founder confirming their place."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.helpers import sign_in, sign_out

PASSWORD = factories.PASSWORD


def _world():
    cohort = factories.make_cohort(phase="reviewing", capacity=6, name="Season 12")
    factories.make_user(role="staff", email="sam@example.com", name="Sam Staff")
    mentor = factories.make_user(role="mentor", email="mia@example.com", name="Mia Mentor")
    factories.make_panel_mentor(cohort, mentor)
    founder = factories.make_user(role="founder", email="lea@example.com", name="Léa Dubois")
    lumen = factories.make_startup(founders=[founder], name="Lumen Networks")
    first = factories.make_application(cohort=cohort, startup=lumen)
    others = [factories.make_application(cohort=cohort) for _ in range(6)]
    return cohort.id, first.id, [a.id for a in others]


def test_assign_review_accept_six_and_confirm(page: Page, in_app):
    cohort_id, lumen_id, other_ids = in_app(_world)

    # Staff assign one reviewer per application, automatically, among the panel's mentor.
    sign_in(page, "sam@example.com")
    page.goto(f"/reviews/cohorts/{cohort_id}/assignments")
    page.get_by_label("Reviewers per application").fill("1")
    page.get_by_label("Sam Staff").uncheck()
    page.get_by_role("button", name="Assign automatically").click()
    expect(page.get_by_text("7 assignment(s) made across 7 open application(s).")).to_be_visible()
    sign_out(page)

    # The reviewer declares no conflict, then scores Lumen Networks.
    sign_in(page, "mia@example.com")
    page.goto("/reviews/inbox")
    page.get_by_role("listitem").filter(has_text="Lumen Networks").get_by_role(
        "link", name="Declare"
    ).click()
    expect(
        page.get_by_role("heading", name="Any conflict of interest with Lumen Networks?")
    ).to_be_visible()
    page.get_by_label("No conflict: I can review it fairly").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_text("Your review is not saved yet")).to_be_visible()
    groups = page.locator("fieldset.score-group")
    expect(groups.first).to_be_visible()
    for index in range(groups.count()):
        groups.nth(index).get_by_text("4", exact=True).click()
    page.get_by_text("Yes", exact=True).click()
    page.get_by_text("High", exact=True).click()
    page.get_by_label("Strong team").check()
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_text("Your review of Lumen Networks is saved.")).to_be_visible()
    sign_out(page)

    # Staff accept six startups; a seventh acceptance is refused.
    sign_in(page, "sam@example.com")
    page.goto(f"/reviews/cohorts/{cohort_id}/ranking")
    expect(page.get_by_role("cell", name="Lumen Networks")).to_be_visible()
    for application_id in [lumen_id, *other_ids]:
        page.goto(f"/reviews/applications/{application_id}/decide")
        page.get_by_label("Accept: offer a place").check()
        page.get_by_role("button", name="Record decision").click()
        # Wait for the answer (a flash message) before opening the next application, so the
        # POST is never cancelled by the next navigation.
        expect(page.locator(".alert").first).to_be_visible()
    expect(
        page.get_by_text("The cohort is full: all 6 places are offered or taken.")
    ).to_be_visible()
    page.goto(f"/reviews/cohorts/{cohort_id}/decisions")
    expect(page.get_by_text("6 / 6")).to_be_visible()
    sign_out(page)

    # The founder confirms from their home page and sees that they are enrolled.
    sign_in(page, "lea@example.com")
    expect(page.get_by_text("You are offered a place in Season 12")).to_be_visible()
    page.get_by_role("link", name="Open").click()
    page.get_by_role("button", name="Confirm our place").click()
    expect(
        page.get_by_text("Welcome aboard! Your place is confirmed: you are enrolled.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="You are enrolled")).to_be_visible()
