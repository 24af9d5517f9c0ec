"""Login and logout: one message for every failure, audited; safe redirects; remember me."""

from __future__ import annotations

import pytest

from accelerator.auth import services
from tests.auth.helpers import audit_events, field_errors, flashes, sign_in, text

WRONG = "Email or password is not correct."
REMEMBER = "remember_token"  # Flask-Login's cookie name


def test_login_signs_in_audits_and_welcomes(client, db, founder):
    response = sign_in(client, founder.email.upper())
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = text(client.get("/"))
    assert f"Welcome back, {founder.name}." in flashes(page)
    assert f"Hello, {founder.name}" in page
    db.session.refresh(founder)
    assert founder.last_login_at is not None
    assert [event.actor_id for event in audit_events("auth.login")] == [founder.id]


def test_wrong_password_and_unknown_email_look_the_same(client, db, founder):
    wrong_password = sign_in(client, founder.email, "not the password")
    unknown_email = sign_in(client, "nobody@example.com", "not the password")
    assert wrong_password.status_code == unknown_email.status_code == 422
    assert field_errors(text(wrong_password), "password") == [WRONG]
    assert field_errors(text(unknown_email), "password") == [WRONG]
    assert field_errors(text(wrong_password), "email") == []
    assert field_errors(text(unknown_email), "email") == []
    assert client.get("/account").status_code == 302  # still anonymous

    failures = audit_events("auth.login_failed")
    assert [event.data["email"] for event in failures] == [founder.email, "nobody@example.com"]
    assert all(event.actor_id is None for event in failures)
    assert failures[0].object_id == founder.id and failures[1].object_id is None


def test_a_deactivated_user_gets_the_same_message(client, make):
    user = make.make_user(active=False)
    response = sign_in(client, user.email)
    assert field_errors(text(response), "password") == [WRONG]
    assert audit_events("auth.login_failed")[-1].data["inactive"] is True
    assert client.get("/account").status_code == 302


def test_authenticate_service(db, founder):
    assert services.authenticate(founder.email, "nope") is None
    assert services.authenticate("  " + founder.email.upper(), "correct horse battery") == founder


@pytest.mark.parametrize("target", ["/account", "/invitations?page=2"])
def test_login_follows_a_local_next(client, founder, target):
    assert sign_in(client, founder.email, next=target).headers["Location"] == target


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "http:/evil.example",
    ],
)
def test_login_refuses_an_open_redirect(client, founder, target):
    response = sign_in(client, founder.email, next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_signup_refuses_an_open_redirect_too(client):
    response = client.post(
        "/signup?next=/%5Cevil.example",
        data={"name": "N", "email": "n@example.com", "password": "long enough"}
        | {"confirm": "long enough"},
    )
    assert response.headers["Location"] == "/"


def test_remember_me_cookie_only_when_ticked(client, other_client, founder):
    cookie = REMEMBER
    sign_in(client, founder.email)
    assert client.get_cookie(cookie) is None

    response = sign_in(other_client, founder.email, remember=True)
    assert cookie in " ".join(response.headers.getlist("Set-Cookie"))
    assert other_client.get_cookie(cookie).value


def test_the_remember_cookie_alone_keeps_you_signed_in(app, client, founder):
    sign_in(client, founder.email, remember=True)
    client.delete_cookie(app.config["SESSION_COOKIE_NAME"])
    assert client.get("/account").status_code == 200


def test_logout_ends_every_session_of_the_user(app, client, other_client, db, founder):
    sign_in(client, founder.email)
    sign_in(other_client, founder.email, remember=True)
    assert other_client.get("/account").status_code == 200

    response = client.post("/logout")
    assert response.headers["Location"] == "/login"
    assert "You are signed out." in flashes(text(client.get("/login")))
    assert client.get("/account").status_code == 302

    # The other browser, session and remember-me cookie alike, is anonymous now.
    assert other_client.get("/account").headers["Location"].startswith("/login")
    other_client.delete_cookie(app.config["SESSION_COOKIE_NAME"])
    assert other_client.get("/account").status_code == 302
    assert [event.actor_id for event in audit_events("auth.logout")] == [founder.id]


def test_logout_needs_a_post(login_as, founder):
    response = login_as(founder).get("/logout")
    assert response.status_code == 405
    assert login_as(founder).get("/account").status_code == 200


def test_signed_in_users_are_sent_home_from_login(login_as, founder):
    assert login_as(founder).get("/login").headers["Location"] == "/"


def test_anonymous_visitors_are_sent_to_login_with_next(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Faccount"
    assert "Please sign in to see this page." in flashes(text(client.get("/login")))


def test_unknown_emails_spend_a_password_check_too(db, founder, monkeypatch):
    """Timing must not tell which emails have an account."""
    calls = []
    real = services.check_password_hash
    monkeypatch.setattr(
        services, "check_password_hash", lambda *args: calls.append(args) or real(*args)
    )
    assert services.authenticate("nobody@example.com", "a guess") is None
    assert len(calls) == 1 and calls[0][1] == "a guess"
