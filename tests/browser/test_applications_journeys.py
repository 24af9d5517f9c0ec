"""A startup applies through the browser; staff find its application in the list."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.helpers import sign_in, sign_out
from tests.factories import PDF_BYTES


def _world():
    program = factories.make_program(name="Orange Fab France")
    cohort = factories.make_cohort(program=program, name="Season 13", phase="open")
    factories.make_tag("fundraising")
    factories.make_user(role="staff", email="sam@example.com", name="Sam Staff")
    return cohort.id


def test_a_new_founder_applies_and_staff_find_the_application(page: Page, in_app):
    cohort_id = in_app(_world)

    # A new founder signs up.
    page.goto("/signup")
    page.get_by_label("Your name").fill("Camille Roux")
    page.get_by_label("Email").fill("camille@ondine.example.org")
    page.get_by_label("Password", exact=True).fill("fibre never sleeps")
    page.get_by_label("Repeat password").fill("fibre never sleeps")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Hello, Camille Roux")).to_be_visible()

    # Applying first asks for the startup's profile, then comes back to the form.
    page.goto(f"/calls/{cohort_id}/apply")
    expect(page.get_by_text("First, tell us about your startup")).to_be_visible()
    page.get_by_label("Startup name").fill("Ondine Labs")
    page.get_by_label("Website").fill("ondine.example.org")
    page.get_by_label("Country").select_option("FR")
    page.get_by_label("Sector").select_option("Telecom & networks")
    page.get_by_label("Stage").select_option("seed")
    page.get_by_label("Founding year").fill("2021")
    page.get_by_label("Team size").fill("9")
    page.get_by_label("Short description").fill("Predictive maintenance for fibre networks.")
    page.get_by_label("fundraising").check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("heading", name="Application of Ondine Labs")).to_be_visible()

    # A draft with a typo in a number: the rest is saved, the typo is shown back.
    page.get_by_label("The problem").fill("Operators learn about fibre cuts from customers.")
    page.get_by_label("Monthly revenue").fill("18k")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Enter an amount such as 12500")).to_be_visible()
    expect(page.get_by_label("Monthly revenue")).to_have_value("18k")
    page.get_by_label("Monthly revenue").fill("18,500")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved. Come back any time")).to_be_visible()

    # They leave, and come back to the draft from the home page.
    page.goto("/")
    page.get_by_role("link", name="Continue your application").click()
    expect(page.get_by_label("The problem")).to_have_value(
        "Operators learn about fibre cuts from customers."
    )
    expect(page.get_by_label("Monthly revenue")).to_have_value("18,500")

    # Submitting too early says what is missing; then they finish and upload the deck.
    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_text("some answers are missing")).to_be_visible()
    page.get_by_label("Your company in one sentence").fill("AI that spots failing fibre.")
    page.get_by_label("Your solution").fill("Optical sensors and predictive models.")
    page.get_by_label("Traction", exact=True).fill("Two paying pilots.")
    page.get_by_label("Active users").fill("42")
    page.get_by_label("Team", exact=True).fill("Camille (CEO) and Yanis (CTO).")
    page.get_by_label("Funding raised so far").fill("650000")
    page.get_by_label("Currency of these amounts").select_option("EUR")
    page.get_by_label("What you want from the program").fill("A pilot with the network unit.")
    page.get_by_label("What you want from the company's business units").fill("Field data.")
    page.get_by_label("Pitch deck (PDF)").set_input_files(
        {"name": "Ondine deck.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="Submit application").click()

    # The status page and the read-only copy.
    expect(page.get_by_text("Your application is submitted.")).to_be_visible()
    expect(page.locator(".status-card [data-status=submitted]")).to_be_visible()
    expect(page.get_by_role("heading", name="Your answers")).to_be_visible()
    expect(page.get_by_text("€18,500.00")).to_be_visible()
    expect(page.get_by_role("link", name="Download the pitch deck")).to_be_visible()
    sign_out(page)

    # Staff find it in the list by searching its name.
    sign_in(page, "sam@example.com", factories.PASSWORD)
    page.goto("/applications")
    page.get_by_label("Startup name").fill("ondine")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Ondine Labs").click()
    expect(page.get_by_role("heading", name="Ondine Labs")).to_be_visible()
    expect(page.get_by_text("camille@ondine.example.org")).to_be_visible()
    expect(page.get_by_text("submitted the application.")).to_be_visible()
