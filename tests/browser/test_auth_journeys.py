"""Journeys through sign-up, invitations and password reset, in a real browser."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect
from sqlalchemy import select

from accelerator.core.models import OutboxEmail
from accelerator.extensions import db
from tests import factories
from tests.browser.helpers import sign_in, sign_out

LINK = re.compile(r"https?://\S+")


def _last_link_to(email: str) -> str:
    message = db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.to == email).order_by(OutboxEmail.id.desc())
    ).first()
    assert message is not None, f"no mail to {email}"
    link = LINK.search(message.body).group(0)
    # Mail links point at PUBLIC_BASE_URL; the live server has its own port, so keep the path.
    assert link.startswith("http://localhost/")
    return urlsplit(link).path


def test_founder_signs_up_signs_out_and_signs_in_again(page: Page, in_app):
    page.goto("/")
    page.get_by_role("link", name="Create a founder account").first.click()
    page.get_by_label("Your name").fill("Nora Founder")
    page.get_by_label("Email").fill("Nora@Startup.example")
    page.get_by_label("Password", exact=True).fill("a long passphrase")
    page.get_by_label("Repeat password").fill("a long passphrase")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("Your account is ready")).to_be_visible()
    expect(page.get_by_role("heading", name="Hello, Nora Founder")).to_be_visible()

    sign_out(page)
    sign_in(page, "nora@startup.example", "wrong password", expect_success=False)
    expect(page.get_by_text("Email or password is not correct.")).to_be_visible()
    page.get_by_label("Password").fill("a long passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Hello, Nora Founder")).to_be_visible()


def test_staff_invites_a_mentor_who_accepts_and_signs_in(page: Page, in_app):
    in_app(lambda: factories.make_user(role="staff", email="sam@example.com", name="Sam Staff"))
    sign_in(page, "sam@example.com", factories.PASSWORD)
    page.goto("/invitations")
    page.get_by_label("Name (optional)").fill("Mina Mentor")
    page.get_by_label("Email").fill("mina@example.com")
    page.get_by_label("Role").select_option("mentor")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to mina@example.com.")).to_be_visible()
    expect(page.get_by_role("cell", name="pending")).to_be_visible()
    sign_out(page)

    link = in_app(lambda: _last_link_to("mina@example.com"))
    page.goto(link)
    expect(page.get_by_text("You are invited as mentor")).to_be_visible()
    page.get_by_label("Password", exact=True).fill("mentoring is fun")
    page.get_by_label("Repeat password").fill("mentoring is fun")
    page.get_by_role("button", name="Join Accelerator").click()
    expect(page.get_by_role("heading", name="Hello, Mina Mentor")).to_be_visible()
    sign_out(page)

    sign_in(page, "mina@example.com", "mentoring is fun")
    expect(page.get_by_role("heading", name="Hello, Mina Mentor")).to_be_visible()
    # The link was single-use.
    page.goto(link)
    expect(
        page.get_by_text("This invitation has expired, was revoked or was already used.")
    ).to_be_visible()


def test_password_reset_through_the_outbox_link(page: Page, in_app):
    in_app(lambda: factories.make_user(role="founder", email="rita@example.com", name="Rita"))
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("rita@example.com")
    page.get_by_role("button", name="Send me a reset link").click()
    expect(page.get_by_text("a reset link is on its way")).to_be_visible()

    link = in_app(lambda: _last_link_to("rita@example.com"))
    page.goto(link)
    page.get_by_label("Password", exact=True).fill("password")  # too common
    page.get_by_label("Repeat password").fill("password")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("This password is too common")).to_be_visible()
    page.get_by_label("Password", exact=True).fill("a brand new secret")
    page.get_by_label("Repeat password").fill("a brand new secret")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("Your password is changed.")).to_be_visible()

    sign_in(page, "rita@example.com", "a brand new secret")
    expect(page.get_by_role("heading", name="Hello, Rita")).to_be_visible()
    # A used link no longer works.
    page.goto(link)
    expect(page.get_by_text("This reset link has expired or was already used.")).to_be_visible()
