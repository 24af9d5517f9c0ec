"""Grant journey in a real browser: staff A requests the kickoff tranche, staff B approves
it and records the payment, and the founder sees the money paid."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.helpers import confirm_with_second_factor, sign_in, sign_out


def _world() -> int:
    factories.make_user(role="staff", email="ana@example.com", name="Ana Staff")
    ben = factories.make_user(role="staff", email="ben@example.com", name="Ben Staff")
    factories.enrol_second_factor(ben)  # approving money asks a code of his app
    founder = factories.make_user(role="founder", email="fay@example.com", name="Fay Founder")
    startup = factories.make_startup(name="Lumen Networks", founders=[founder])
    return factories.make_grant(startup=startup).id


def test_kickoff_requested_approved_paid_and_seen_by_the_founder(page: Page, in_app):
    grant_id = in_app(_world)

    sign_in(page, "ana@example.com")
    page.get_by_role("link", name="Grants").click()
    page.get_by_role("link", name="Lumen Networks").click()
    expect(page.get_by_label("Tranche")).to_have_value("kickoff")
    expect(page.get_by_label("Amount", exact=True)).to_have_value("10,000")
    page.get_by_label("Note (optional)").fill("Kickoff tranche")
    page.get_by_role("button", name="Request disbursement").click()
    expect(page.get_by_text("Disbursement requested.")).to_be_visible()
    expect(page.get_by_text("another staff member approves")).to_be_visible()
    sign_out(page)

    sign_in(page, "ben@example.com")
    page.goto(f"/grants/{grant_id}")
    page.get_by_role("button", name="Approve $10,000.00").click()
    confirm_with_second_factor(page)
    expect(page.get_by_text("Disbursement approved.")).to_be_visible()
    page.get_by_text("Mark paid…").click()
    page.get_by_label("Payment date").fill(date.today().isoformat())
    page.get_by_label("Bank payment reference").fill("SEPA-0001")
    page.get_by_role("button", name="Mark paid").click()
    expect(page.get_by_text("Payment recorded.")).to_be_visible()
    sign_out(page)

    sign_in(page, "fay@example.com")
    page.get_by_role("link", name="See your grant").click()
    expect(page.get_by_role("heading", name="Your grant")).to_be_visible()
    expect(page.get_by_role("cell", name="SEPA-0001")).to_be_visible()
    kickoff = page.locator("tr[data-tranche='kickoff']")
    expect(kickoff.locator(".badge:visible")).to_have_text("Paid")
    expect(page.locator("[data-total='paid']")).to_have_text("$10,000.00")
    expect(page.get_by_text("Mid-program milestone").first).to_be_visible()
