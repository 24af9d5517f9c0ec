"""Office hours and sessions in a real browser: the mentor publishes a slot, the founder books
it, the mentor logs the session with an action item; the founder reads the summary but not the
private notes, and the next session form carries the open action item."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from accelerator.core.timeutil import to_local
from accelerator.core.types import utcnow
from tests import factories
from tests.browser.helpers import sign_in, sign_out
from tests.sessions.builders import make_pair


def _world() -> None:
    mentor = factories.make_user(role="mentor", email="karim@example.com", name="Karim Mentor")
    founder = factories.make_user(role="founder", email="lea@example.com", name="Léa Founder")
    startup = factories.make_startup(name="Lumen Networks", founders=[founder])
    program = factories.make_program(timezone="Europe/Paris")
    cohort = factories.make_cohort(program=program, phase="running")
    make_pair(mentor=mentor, startup=startup, cohort=cohort)


def test_slot_booked_session_logged_summary_shared_notes_private_item_carried(page: Page, in_app):
    in_app(_world)
    today = to_local(utcnow(), "Europe/Paris").date()

    sign_in(page, "karim@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Office hours").click()
    page.get_by_label("Date").fill((today + timedelta(days=2)).isoformat())
    page.get_by_label("Time").fill("10:00")
    page.get_by_label("Length (minutes)").fill("30")
    page.get_by_label("Place or video link").fill("Orange Gardens, room 4.12")
    page.get_by_role("button", name="Publish office hour").click()
    expect(page.get_by_text("Office hour published.")).to_be_visible()
    expect(page.get_by_role("cell", name="Orange Gardens, room 4.12")).to_be_visible()
    sign_out(page)

    sign_in(page, "lea@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Office hours").click()
    expect(page.get_by_role("cell", name="Karim Mentor")).to_be_visible()
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_text("Booked. Your mentor and your team get an email.")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel booking")).to_be_visible()
    sign_out(page)

    sign_in(page, "karim@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Office hours").click()
    expect(page.get_by_text("Lumen Networks")).to_be_visible()
    page.get_by_role("link", name="Log session").click()
    expect(page.get_by_label("Duration (minutes)")).to_have_value("30")
    page.get_by_label("Date").fill(today.isoformat())  # logged once it happened
    page.get_by_label("Time").fill("08:00")
    page.get_by_label("Summary shared with the startup").fill("Agreed the pilot KPIs.")
    page.get_by_label("Private notes (you and program staff only)").fill("CEO overcommits.")
    page.locator("input[name='items-0-text']").fill("Send the KPI baseline")
    page.locator("select[name='items-0-owner']").select_option("startup")
    page.get_by_role("button", name="Log session").click()
    expect(page.get_by_text("Session logged.")).to_be_visible()
    expect(page.get_by_text("CEO overcommits.")).to_be_visible()
    sign_out(page)

    sign_in(page, "lea@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sessions").click()
    page.get_by_role("link", name=today.isoformat()).click()
    expect(page.get_by_text("Agreed the pilot KPIs.")).to_be_visible()
    expect(page.get_by_text("Send the KPI baseline")).to_be_visible()
    expect(page.get_by_text("CEO overcommits.")).to_have_count(0)
    expect(page.get_by_text("Private notes")).to_have_count(0)

    page.goto("/mentoring/sessions/new")
    carried = page.locator(".carried-items")
    expect(carried.get_by_label("Send the KPI baseline", exact=False)).to_be_visible()
