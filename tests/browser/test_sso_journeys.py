"""Single sign-on in a real browser, in English and in French: a staff member clicks "Sign in
with Orange" on the sign-in page, the (fake) provider on another port of 127.0.0.1 sends them
straight back, and they land signed in on the page they asked for; a founder who tries the
same button is shown the sign-in page again, told to use their password, and signed in nowhere.

The button is found by its id; what the pages say is compared with what the app says in the
page's language (the French catalog may still lack a string).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.auth.oidc_fake import configure, running_issuer
from tests.browser.helpers import flash, sign_out_any_language
from tests.browser.test_testers_journeys import LANGUAGES, Words

STAFF, STAFF_EMAIL = "Anaïs Équipe", "anais.equipe@orange.example"
FOUNDER_EMAIL = "fay@orange.example"


@pytest.fixture(scope="module")
def provider():
    with running_issuer() as issuer:
        yield issuer


@pytest.fixture
def sso_on(app, provider, monkeypatch):
    provider.reset()
    configure(app, provider, monkeypatch)
    return provider


def _people() -> None:
    factories.make_user(role="staff", email=STAFF_EMAIL, name=STAFF)
    factories.make_user(role="founder", email=FOUNDER_EMAIL, name="Fay Fondatrice")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_staff_sign_in_with_the_provider_and_a_founder_is_sent_to_the_password(
    page: Page, in_app, app, sso_on, lang
):
    in_app(_people)
    t = Words(app, lang)

    sso_on.sign_in_as(STAFF_EMAIL.upper(), sub="orange-anais")
    page.goto("/login?next=/account")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    button = page.locator("#sso-sign-in")
    expect(button).to_have_text(t("Sign in with %(provider)s", provider="Orange"))
    button.click()
    expect(page.locator("nav form[action$='/logout']")).to_be_attached()
    assert page.url.endswith("/account")
    expect(flash(page)).to_contain_text(t("Welcome back, %(name)s.", name=STAFF))
    assert len(sso_on.authorize_requests) == 1
    sign_out_any_language(page)

    sso_on.sign_in_as(FOUNDER_EMAIL, sub="orange-fay")
    page.goto("/login")
    page.locator("#sso-sign-in").click()
    expect(flash(page)).to_contain_text(
        t("Founders sign in with their e-mail address and password.")
    )
    expect(page.locator("body[data-role=visitor]")).to_be_attached()
    expect(page.locator("input[name=password]")).to_be_visible()


def test_without_single_sign_on_there_is_no_button(page: Page, in_app):
    page.goto("/login")
    expect(page.locator("input[name=password]")).to_be_visible()
    expect(page.locator("#sso-sign-in")).to_have_count(0)
