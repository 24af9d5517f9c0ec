"""Steps every journey shares. Each waits for the page that answers it, so that the next
navigation can never cancel a form post that is still on its way (a flaky test under load)."""

from __future__ import annotations

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
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page) -> None:
    audit = audit_of(page)
    if audit is not None:  # check this role's pages while it is still signed in
        audit.run()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
