"""Two-step verification in a real browser, in English and French: a staff member told on
their home sets it up (the key read from the page, the code computed as an authenticator app
would), keeps the recovery codes, signs in again, approves a disbursement (the code is asked:
a wrong one comes back beside the field, the right one approves it) and pays it."""

from __future__ import annotations

from datetime import date
from time import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.helpers import sign_in_as, sign_out_any_language

LANGUAGES = [
    pytest.param("en", id="en"),
    pytest.param("fr", id="fr", marks=pytest.mark.browser_context_args(locale="fr-FR")),
]


def _world(lang: str):
    def build() -> tuple[int, int]:
        ana = factories.make_user(role="staff", email="ana@example.com", name="Anaïs Équipe")
        ben = factories.make_user(role="staff", email="ben@example.com", name="Benoît Société")
        ben.locale = ana.locale = lang
        founder = factories.make_user(role="founder", name="Fay Fondatrice")
        startup = factories.make_startup(name="Société Éclair", founders=[founder])
        grant = factories.make_grant(startup=startup)
        row = factories.make_disbursement(grant, requester=ana)
        return grant.id, row.id

    return build


@pytest.mark.parametrize("lang", LANGUAGES)
def test_staff_set_up_two_step_then_approve_and_pay_with_the_code(page: Page, in_app, lang):
    grant_id, row_id = in_app(_world(lang))

    sign_in_as(page, "ben@example.com", lang)
    notice = page.locator("[data-second-factor-notice]")
    expect(notice).to_be_visible()
    notice.locator("a").click()
    expect(page.locator(".qr-code svg")).to_be_visible()
    secret = page.locator("[data-totp-secret]").inner_text().replace(" ", "")
    app = pyotp.TOTP(secret)
    page.locator("input[name=code]").fill(app.now())
    page.locator("#enable-form input[type=submit]").click()
    expect(page.locator("[data-recovery-codes] li")).to_have_count(10)
    sign_out_any_language(page)

    sign_in_as(page, "ben@example.com", lang)
    expect(page.locator("[data-second-factor-notice]")).to_have_count(0)
    page.goto(f"/grants/{grant_id}")
    page.locator(f"#d{row_id} form[action$='/approve'] button").click()
    code_field = page.locator("input[name=second_factor_code]")
    expect(code_field).to_be_visible()
    code_field.fill("000000")
    page.locator("#step-up-form button[type=submit]").click()
    expect(page.locator("#second_factor_code-error")).to_be_visible()
    expect(page.locator("input[name=second_factor_code]")).to_have_attribute("aria-invalid", "true")
    # The next step's code: the one shown at enrolment is used already, and is never taken twice.
    page.locator("input[name=second_factor_code]").fill(app.at(time() + 30))
    page.locator("#step-up-form button[type=submit]").click()
    expect(page.locator(f"#d{row_id}")).to_have_attribute("data-status", "approved")

    # Verified a moment ago: paying does not ask again.
    page.locator(f"details:has(#pay-{row_id}-form) summary").click()
    page.locator(f"#pay-{row_id}-paid_on").fill(date.today().isoformat())
    page.locator(f"#pay-{row_id}-reference").fill("SEPA-Éclair-1")
    page.locator(f"#pay-{row_id}-form input[type=submit]").click()
    expect(page.locator(f"#d{row_id}")).to_have_attribute("data-status", "paid")
    expect(page.get_by_text("SEPA-Éclair-1")).to_be_visible()
    sign_out_any_language(page)
