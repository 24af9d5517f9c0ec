"""Milestone journey in a real browser: a founder fills this week's check-in and submits the
mid-program milestone, staff A approves it, the tranche request appears on the grant page, and
staff B approves the request (four eyes)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.helpers import confirm_with_second_factor, sign_in, sign_out


def _world() -> None:
    factories.make_user(role="staff", email="ana@example.com", name="Ana Staff")
    ben = factories.make_user(role="staff", email="ben@example.com", name="Ben Staff")
    factories.enrol_second_factor(ben)  # approving money asks a code of his app
    founder = factories.make_user(role="founder", email="fay@example.com", name="Fay Founder")
    startup = factories.make_startup(name="Lumen Networks", founders=[founder])
    factories.make_enrolled(startup=startup)


def test_check_in_milestone_approval_releases_the_tranche(page: Page, in_app):
    in_app(_world)

    sign_in(page, "fay@example.com")
    page.get_by_role("link", name="Fill this period's check-in").click()
    page.get_by_label("Green").check()
    page.get_by_label("Monthly revenue").fill("8,400")
    page.get_by_label("Active users or customers").fill("310")
    page.get_by_label("Headcount").fill("5")
    page.get_by_label("Highlights").fill("First workshop with the enterprise BU")
    page.get_by_label("Asks for help").fill("A mentor who sold to operators")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Check-in saved.")).to_be_visible()
    expect(page.locator("[data-kpi='revenue_cents']")).to_have_text("$8,400.00")

    page.get_by_role("link", name="My progress").click()
    page.get_by_role("link", name="Mid-program review").click()
    page.get_by_label("What did you achieve?").fill("Pilot proposal agreed with the enterprise BU")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Milestone submitted.")).to_be_visible()
    sign_out(page)

    sign_in(page, "ana@example.com")
    page.get_by_role("link", name="Lumen Networks · Mid-program review").click()
    page.get_by_role("button", name="Approve milestone").click()
    expect(page.get_by_text("Milestone approved.")).to_be_visible()
    page.get_by_role("link", name="Open the grant").click()
    expect(page.get_by_text("Released by the approved milestone")).to_be_visible()
    expect(page.get_by_text("You requested it: another staff member approves.")).to_be_visible()
    sign_out(page)

    sign_in(page, "ben@example.com")
    page.get_by_role("link", name="Grants", exact=True).click()
    page.get_by_role("link", name="Lumen Networks").click()
    page.get_by_role("button", name="Approve $5,000.00").click()
    confirm_with_second_factor(page)
    expect(page.get_by_text("Disbursement approved.")).to_be_visible()
