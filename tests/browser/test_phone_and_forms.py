"""What a person sees on a phone and on the profile form: the payment reference fits, long
answer sheets fold, required fields are marked before saving fails."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from accelerator.grants.models import DisbursementStatus
from tests import factories
from tests.browser.helpers import sign_in, sign_out

PHONE = {"width": 375, "height": 740}


def _paid_grant() -> None:
    founder = factories.make_user(role="founder", email="fay@example.com", name="Fay Founder")
    startup = factories.make_startup(name="Lumen Networks", founders=[founder])
    grant = factories.make_grant(startup=startup)
    factories.make_disbursement(
        grant,
        status=DisbursementStatus.PAID,
        reference="SEPA-2026-11-30-LUMEN-NETWORKS-KICKOFF-000123",
    )


def test_the_bank_reference_fits_a_phone(page: Page, in_app):
    in_app(_paid_grant)
    sign_in(page, "fay@example.com")
    page.set_viewport_size(PHONE)
    page.goto("/grants/mine")  # one grant: its page
    cell = page.get_by_text("SEPA-2026-11-30-LUMEN-NETWORKS-KICKOFF-000123")
    expect(cell).to_be_visible()
    box = cell.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def _application() -> int:
    founder = factories.make_user(role="founder", email="fay@example.com", name="Fay Founder")
    startup = factories.make_startup(name="Lumen Networks", founders=[founder])
    return factories.make_application(startup=startup, status="submitted").id


def test_long_answer_sheets_fold_on_a_phone(page: Page, in_app):
    application_id = in_app(_application)
    sign_in(page, "fay@example.com")
    page.set_viewport_size(PHONE)
    page.goto(f"/applications/{application_id}")
    sections = page.locator("details.answer-section")
    expect(sections.first).to_have_attribute("open", "")
    expect(page.locator("#answers-goals")).not_to_have_attribute("open", "")
    page.locator("#answers-goals > summary").click()
    expect(page.locator("[data-field='program_goals']")).to_be_visible()


def test_required_profile_fields_are_marked_before_saving(page: Page, in_app):
    in_app(lambda: factories.make_user(role="founder", email="new@example.com", name="New"))
    sign_in(page, "new@example.com")
    page.goto("/startup")
    marker = page.evaluate(
        "() => getComputedStyle(document.querySelector('label[for=stage]'), '::after').content"
    )
    assert "*" in marker
    optional = page.evaluate(
        "() => getComputedStyle(document.querySelector('label[for=website]'), '::after').content"
    )
    assert "*" not in optional
    expect(page.get_by_label("Stage")).to_have_attribute("required", "")
    page.get_by_role("button", name="Save profile").click()
    stage = page.get_by_label("Stage")
    fits = stage.evaluate(
        """el => {
            const style = getComputedStyle(el);
            const pen = document.createElement("canvas").getContext("2d");
            pen.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const text = pen.measureText(el.options[el.selectedIndex].text).width;
            const room = el.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
            return text <= room;
        }"""
    )
    assert fits, "the flagged Stage select cuts its text"


def _office_hours_and_grant() -> int:
    from tests.sessions.builders import make_pair, make_slot

    mentor = factories.make_user(role="mentor", email="karim@example.com", name="Karim Mentor")
    founder = factories.make_user(role="founder", email="fay@example.com", name="Fay Founder")
    startup = factories.make_startup(name="Société Éclair", founders=[founder])
    make_pair(mentor=mentor, startup=startup)
    make_slot(mentor, in_hours=30, startup=startup, booker=founder)
    make_slot(mentor, in_hours=50)
    factories.make_user(role="staff", email="ana@example.com", name="Ana Staff")
    return factories.make_grant(startup=startup, amount_cents=12_000_000).id  # $120,000


def _fits(page: Page, locator) -> None:
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


def test_office_hours_and_grant_totals_fit_a_phone(page: Page, in_app):
    """On a phone the office hours stack into cards with every button on screen, and a grant's
    amounts stay on one line inside their cards (in French, "120 000,00 $US" is one word)."""
    grant_id = in_app(_office_hours_and_grant)
    sign_in(page, "karim@example.com")
    page.set_viewport_size(PHONE)
    page.goto("/mentoring/office-hours")
    _fits(page, page.get_by_role("button", name="Cancel booking"))
    _fits(page, page.get_by_role("button", name="Remove"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    sign_out(page)

    sign_in(page, "ana@example.com")
    page.set_viewport_size(PHONE)
    page.select_option("#lang-language", "fr")
    page.locator("form[action$='/language'] button").click()
    page.goto(f"/grants/{grant_id}")
    total = page.locator("[data-total='1']")
    _fits(page, total)
    assert total.evaluate("e => e.scrollWidth <= e.clientWidth")  # inside its card
    height = total.evaluate("e => e.getBoundingClientRect().height")
    line = total.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert height < 1.5 * line, (height, line, total.inner_text())
