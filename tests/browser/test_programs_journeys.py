"""Staff open a call; a visitor finds it on the calls page with its deadline counting down."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from accelerator.core.timeutil import to_local
from accelerator.core.types import utcnow
from tests import factories
from tests.browser.helpers import sign_in, sign_out


def test_staff_opens_a_call_that_visitors_see_counting_down(page: Page, in_app, app):
    in_app(lambda: factories.make_user(role="staff", email="sam@example.com", name="Sam Staff"))
    page.on("dialog", lambda dialog: dialog.accept())  # the publish button asks to confirm
    sign_in(page, "sam@example.com", factories.PASSWORD)

    page.goto("/programs")
    expect(page.get_by_text("No programs yet")).to_be_visible()
    page.get_by_role("link", name="New program").first.click()
    page.get_by_label("Name").fill("Orange Fab Lisbon")
    page.get_by_label("Location").fill("Lisbon")
    page.get_by_label("Timezone").select_option("Europe/Lisbon")
    page.get_by_role("button", name="Save program").click()
    expect(page.get_by_text("Program Orange Fab Lisbon created.")).to_be_visible()

    page.get_by_role("link", name="New cohort").click()
    expect(page.get_by_label("Capacity (startups)")).to_have_value("6")
    expect(page.get_by_label("Grant per startup")).to_have_value("20,000")
    page.get_by_label("Name").fill("Season 1")
    # Open applications an hour ago (Lisbon time); every other field keeps its default.
    opened = to_local(utcnow() - timedelta(hours=1), "Europe/Lisbon")
    page.get_by_label("Applications open").fill(opened.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save cohort").click()
    expect(page.get_by_text("Cohort Season 1 created as a draft.")).to_be_visible()
    expect(page.locator(".phase-badge")).to_have_text("Draft")
    expect(page.get_by_text("50% · $10,000.00")).to_be_visible()

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Season 1 is published on the calls page.")).to_be_visible()
    expect(page.locator(".phase-badge").first).to_have_text("Open for applications")
    sign_out(page)

    page.goto("/calls")
    card = page.locator(".call-card", has_text="Orange Fab Lisbon · Season 1")
    expect(card).to_be_visible()
    countdown = card.locator("time[data-countdown]")
    # countdown.js has replaced the server's rough text with days, hours and minutes.
    expect(countdown).to_have_attribute("data-remaining", re.compile(r"^\d+$"))
    expect(countdown).to_have_text(re.compile(r"^\d+ days?(, \d+ hours?)?, \d+ minutes?$"))
    first = countdown.get_attribute("data-remaining")
    page.wait_for_timeout(1500)
    assert int(countdown.get_attribute("data-remaining")) < int(first)

    card.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Orange Fab Lisbon · Season 1")).to_be_visible()
    if "applications.apply" in app.view_functions:
        page.get_by_role("link", name="Apply").click()
        expect(page).to_have_url(re.compile(r"/signup\?next="))
