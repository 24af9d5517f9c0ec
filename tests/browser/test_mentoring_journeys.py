"""Matching journey in a real browser: staff run matching for a cohort, read why each pair was
proposed, confirm; the mentor accepts from their page; the founder sees their mentor."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.helpers import sign_in, sign_out


def _world() -> int:
    from accelerator.applications.models import startup_needs
    from accelerator.extensions import db

    factories.make_user(role="staff", email="ana@example.com", name="Ana Staff")
    founder = factories.make_user(role="founder", email="fay@example.com", name="Fay Founder")
    networks, sales = factories.make_tag("telecom networks"), factories.make_tag("B2B sales")
    cohort = factories.make_cohort(phase="running", name="Season 12", mentors_per_startup=1)
    startup = factories.make_startup(
        name="Lumen Networks", country="FR", sector="Telecom", founders=[founder]
    )
    db.session.execute(
        startup_needs.insert(),
        [{"startup_id": startup.id, "tag_id": t.id} for t in (networks, sales)],
    )
    factories.make_enrollment(cohort=cohort, startup=startup)
    mentor = factories.make_user(role="mentor", email="karim@example.com", name="Karim Benali")
    factories.make_mentor(
        user=mentor, expertise=[networks, sales], industries=["Telecom"], languages=["fr"]
    )
    factories.make_mentor(name="Paula Pricing", industries=["Retail"], languages=["pt"])
    return cohort.id


def test_staff_match_explain_confirm_and_the_mentor_accepts(page: Page, in_app):
    cohort_id = in_app(_world)

    sign_in(page, "ana@example.com")
    page.goto(f"/cohorts/{cohort_id}")
    page.get_by_role("link", name="Matching").click()
    expect(page.get_by_role("heading", name="Mentor matching")).to_be_visible()
    expect(page.get_by_text("How fit is scored")).to_be_visible()
    page.get_by_role("button", name="Run matching").click()
    expect(page.get_by_text("Matching proposed 1 pairs")).to_be_visible()
    pair = page.locator(".match-pair").first
    expect(pair).to_contain_text("Karim Benali")
    expect(pair).to_contain_text("B2B sales, telecom networks")
    expect(pair).to_contain_text("Telecom")
    expect(pair.locator(".match-status")).to_have_text("Proposed")
    page.get_by_role("button", name="Confirm 1 proposed pair").click()
    expect(page.get_by_text("1 pairs confirmed")).to_be_visible()
    expect(page.locator(".match-pair .match-status").first).to_have_text("Confirmed")
    sign_out(page)

    sign_in(page, "karim@example.com")
    expect(page.get_by_text("1 match waits for your answer")).to_be_visible()
    page.get_by_role("link", name="Accept or decline").click()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("the founders now know you are their mentor")).to_be_visible()
    expect(
        page.locator("#main-content .match-status, .my-matches .match-status").first
    ).to_have_text("Accepted")
    sign_out(page)

    sign_in(page, "fay@example.com")
    panel = page.locator(".founder-mentors")
    expect(panel).to_contain_text("Karim Benali")
    expect(panel.locator(".match-status")).to_have_text("Accepted")
