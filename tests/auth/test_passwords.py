"""Changing and resetting passwords: tokens work once, expire, and end every other session."""

from __future__ import annotations

import pytest

from accelerator.auth import services
from accelerator.core.errors import InvalidState
from tests.auth.helpers import (
    audit_events,
    field_errors,
    flashes,
    last_mail,
    link_in,
    outbox_count,
    sign_in,
    text,
)
from tests.factories import PASSWORD

NEW = "a brand new secret"
USED = "This reset link has expired or was already used. Ask for a new one."


def _change(client, current=PASSWORD, new=NEW, confirm=None):
    return client.post(
        "/account",
        data={"current_password": current, "new_password": new, "confirm": confirm or new},
    )


def _reset_link(client, email: str) -> str:
    client.post("/password/forgot", data={"email": email})
    return link_in(last_mail(email))


# Change password ---------------------------------------------------------------------------


def test_change_password_keeps_this_browser_and_ends_the_others(client, other_client, db, founder):
    sign_in(client, founder.email)
    sign_in(other_client, founder.email, remember=True)

    response = _change(client)
    assert response.headers["Location"] == "/account"
    page = text(client.get("/account"))
    assert "Your password is changed. Other devices have been signed out." in flashes(page)
    assert other_client.get("/account").status_code == 302
    db.session.refresh(founder)
    assert founder.check_password(NEW) and not founder.check_password(PASSWORD)
    assert [event.actor_id for event in audit_events("auth.password_changed")] == [founder.id]


def test_change_password_needs_the_current_one(client, db, founder):
    sign_in(client, founder.email)
    page = text(_change(client, current="a wrong guess"))
    assert field_errors(page, "current_password") == ["Your current password is not correct."]
    db.session.refresh(founder)
    assert founder.check_password(PASSWORD)


@pytest.mark.parametrize(
    "new,message",
    [("short", "Use at least 8 characters."), ("football", "This password is too common")],
)
def test_change_password_refuses_weak_ones_beside_the_field(client, founder, new, message):
    sign_in(client, founder.email)
    errors = field_errors(text(_change(client, new=new)), "new_password")
    assert any(error.startswith(message) for error in errors)


def test_change_password_confirmation_must_match(client, founder):
    sign_in(client, founder.email)
    assert field_errors(text(_change(client, confirm="something else")), "confirm") == [
        "The passwords differ."
    ]


# Password reset ----------------------------------------------------------------------------


def test_reset_request_mails_a_link_and_says_the_same_for_unknown_emails(client, db, founder):
    known = client.post("/password/forgot", data={"email": founder.email.upper()})
    unknown = client.post("/password/forgot", data={"email": "ghost@example.com"})
    assert known.headers["Location"] == unknown.headers["Location"] == "/login"

    message = last_mail(founder.email)
    assert message.subject == "Reset your Accelerator password"
    assert link_in(message).startswith("/password/reset/")
    assert "60 minutes" in message.body
    assert outbox_count() == 1  # nothing for the unknown address
    assert outbox_count("ghost@example.com") == 0

    page = text(client.get("/login"))
    assert "If an account exists for ghost@example.com, a reset link is on its way." in page
    assert [event.data["known"] for event in audit_events("auth.reset_requested")] == [
        True,
        False,
    ]


def test_no_reset_mail_for_a_deactivated_user(client, make):
    user = make.make_user(active=False)
    client.post("/password/forgot", data={"email": user.email})
    assert outbox_count() == 0


def test_reset_link_sets_the_password_once_and_ends_sessions(client, other_client, db, founder):
    sign_in(other_client, founder.email, remember=True)
    link = _reset_link(client, founder.email)
    assert "Choose a new password" in text(client.get(link))

    response = client.post(link, data={"password": NEW, "confirm": NEW})
    assert response.headers["Location"] == "/login"
    assert "Your password is changed. Sign in with it now." in flashes(text(client.get("/login")))
    assert other_client.get("/account").status_code == 302
    assert sign_in(client, founder.email, NEW).headers["Location"] == "/"
    assert len(audit_events("auth.password_reset")) == 1

    # The same link a second time: refused, and the password stays.
    client.post("/logout")
    again = client.post(link, data={"password": "yet another secret", "confirm": "x"})
    assert again.headers["Location"] == "/password/forgot"
    assert USED in flashes(text(client.get("/password/forgot")))
    db.session.refresh(founder)
    assert founder.check_password(NEW)


def test_reset_link_stops_working_after_a_password_change(client, db, founder):
    link = _reset_link(client, founder.email)
    sign_in(client, founder.email)
    _change(client)
    client.post("/logout")
    assert client.get(link).headers["Location"] == "/password/forgot"


def test_an_expired_reset_link_says_so(app, client, founder, monkeypatch):
    link = _reset_link(client, founder.email)
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", -1)
    response = client.get(link)
    assert response.headers["Location"] == "/password/forgot"
    assert USED in flashes(text(client.get("/password/forgot")))


@pytest.mark.parametrize("token", ["garbage", "eyJ1aWQiOjF9.x.y", "a" * 300])
def test_a_forged_reset_link_is_refused(client, token):
    assert client.get(f"/password/reset/{token}").headers["Location"] == "/password/forgot"


def test_reset_refuses_a_weak_password_beside_the_field(client, db, founder):
    link = _reset_link(client, founder.email)
    response = client.post(link, data={"password": "password", "confirm": "password"})
    assert field_errors(text(response), "password") == [
        "This password is too common; choose another."
    ]
    db.session.refresh(founder)
    assert founder.check_password(PASSWORD)


def test_reset_service_token_is_single_use(db, founder):
    token = services.make_reset_token(founder)
    assert services.user_for_reset_token(token) == founder
    services.reset_password(token, NEW)
    assert services.user_for_reset_token(token) is None
    with pytest.raises(InvalidState):
        services.reset_password(token, "another good secret")


def test_a_token_signed_with_another_key_is_refused(db, founder):
    from itsdangerous import URLSafeTimedSerializer

    fingerprint = services._password_fingerprint(founder)
    forged = URLSafeTimedSerializer("not-our-secret", salt="password-reset").dumps(
        {"uid": founder.id, "fp": fingerprint}
    )
    assert services.user_for_reset_token(forged) is None


def test_change_password_keeps_keep_me_signed_in_on_this_browser(app, client, founder):
    sign_in(client, founder.email, remember=True)
    _change(client)
    client.delete_cookie(app.config["SESSION_COOKIE_NAME"])  # the browser was closed
    assert client.get("/account").status_code == 200


def test_change_password_without_remember_me_sets_no_remember_cookie(client, founder):
    sign_in(client, founder.email)
    response = _change(client)
    assert "remember_token" not in " ".join(response.headers.getlist("Set-Cookie"))
