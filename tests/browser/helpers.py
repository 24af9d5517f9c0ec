"""Steps every journey shares. Each waits for the page that answers it, so that the next
navigation can never cancel a form post that is still on its way (a flaky test under load)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.a11y import audit_of


def sign_in(
    page: Page, email: str, password: str = factories.PASSWORD, *, expect_success: bool = True
) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if expect_success:
        # signed in: the sign-out form waits in the menu under the person's name
        expect(page.locator("nav form[action$='/logout']")).to_be_attached()


def open_account_menu(page: Page) -> None:
    """Open the menu under the person's name (through the collapsed menu on a narrow screen)."""
    toggler = page.locator(".navbar-toggler")  # by its place: the same in every language
    # The menu collapses below the xl breakpoint (1,200 px, templates/_nav.html). Decided by
    # the window's width, not by asking whether the toggler shows: on a loaded machine a page
    # may answer that before its stylesheet applies, when the toggler shows at any width.
    narrow = page.evaluate("window.innerWidth") < 1200
    if narrow and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    page.locator(".nav-user").click()
    expect(page.locator("nav form[action$='/logout'] button")).to_be_visible()


def sign_out(page: Page) -> None:
    audit = audit_of(page)
    if audit is not None:  # check this role's pages while it is still signed in
        audit.run()
    open_account_menu(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()


# --- The same steps in any language: by field names and the page's marks, never by words -----


def sign_in_as(page: Page, email: str, lang: str) -> None:
    """Sign in whatever the interface's language, and check the page speaks `lang`."""
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("body:not([data-role=visitor])")).to_be_attached()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def sign_out_any_language(page: Page) -> None:
    audit = audit_of(page)
    if audit is not None:  # this role's pages pass axe while it is still signed in
        audit.run()
    open_account_menu(page)
    page.locator("nav form[action$='/logout'] button").click()
    expect(page.locator("body[data-role=visitor]")).to_be_attached()


def flash(page: Page):
    """The first message at the top of the page."""
    return page.locator(".alert[role=alert]").first


def confirm_with_second_factor(page: Page, secret: str = factories.TOTP_SECRET) -> None:
    """Type the code of the authenticator app on the step-up page and send it."""
    field = page.locator("input[name=second_factor_code]")
    expect(field).to_be_visible()
    field.fill(factories.totp_code(secret))
    page.locator("#step-up-form button[type=submit]").click()
