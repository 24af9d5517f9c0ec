"""Founders sign up themselves: unique email (case-insensitive), sound passwords."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from accelerator.auth import services
from accelerator.auth.models import Role, User
from accelerator.auth.passwords import MAX_LENGTH, password_problem
from accelerator.core.errors import ValidationFailed
from tests.auth.helpers import audit_events, field_errors, flashes, text

GOOD = "a long passphrase"


def _signup(client, **overrides):
    data = {"name": "Nora Founder", "email": "nora@example.com", "password": GOOD, "confirm": GOOD}
    data.update(overrides)
    return client.post("/signup", data=data)


def test_signup_page_has_labelled_fields(client):
    page = text(client.get("/signup"))
    for label in ("Your name", "Email", "Password", "Repeat password"):
        assert f">{label}</label>" in page
    assert "At least 8 characters; avoid common passwords." in page


def test_signup_creates_a_founder_signs_in_and_audits(client, db):
    response = _signup(client, email="  Nora@Example.COM ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"

    user = db.session.scalar(select(User).where(User.email == "nora@example.com"))
    assert user is not None
    assert user.role == Role.FOUNDER
    assert user.name == "Nora Founder"
    assert user.password_hash != GOOD and user.check_password(GOOD)
    assert [event.object_id for event in audit_events("user.created")] == [user.id]

    home = text(client.get("/"))
    assert "Your account is ready. Welcome to Accelerator!" in flashes(home)
    assert "Hello, Nora Founder" in home


def test_duplicate_signup_in_another_case_creates_nothing_and_tells_nothing(client, make):
    make.make_user(email="taken@example.com")
    response = _signup(client, email="TAKEN@example.com")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert len(audit_events("user.created")) == 0
    assert len(audit_events("user.signup_attempted")) == 1


@pytest.mark.parametrize(
    "password,message",
    [
        ("short", "Use at least 8 characters."),
        ("1234567", "Use at least 8 characters."),
        ("password", "This password is too common; choose another."),
        ("PassWord123", "This password is too common; choose another."),
        ("x" * (MAX_LENGTH + 1), "Field cannot be longer than 128 characters."),
    ],
)
def test_weak_passwords_are_refused_beside_the_field(client, db, password, message):
    response = _signup(client, password=password, confirm=password)
    assert response.status_code == 422
    assert message in field_errors(text(response), "password")
    assert db.session.scalar(select(User).where(User.email == "nora@example.com")) is None


def test_long_passwords_up_to_the_limit_are_accepted(client, db):
    password = "correct horse battery staple " * 4 + "x" * (MAX_LENGTH - 116)
    assert 64 <= len(password) <= MAX_LENGTH
    assert _signup(client, password=password, confirm=password).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "nora@example.com"))
    assert user.check_password(password)


def test_the_repeated_password_must_match(client):
    response = _signup(client, confirm="another long phrase")
    assert field_errors(text(response), "confirm") == ["The passwords differ."]


def test_missing_name_and_bad_email_are_shown_beside_their_fields(client):
    page = text(_signup(client, name="", email="not-an-email"))
    assert field_errors(page, "name") == ["This field is required."]
    assert field_errors(page, "email") == ["Invalid email address."]


def test_signed_in_users_are_sent_home_from_signup(login_as, founder):
    assert login_as(founder).get("/signup").headers["Location"] == "/"


def test_service_creates_no_duplicate_case_insensitively(db):
    first = services.sign_up_founder(email="Case@Example.com", name="One", password=GOOD)
    assert services.sign_up_founder(email="case@EXAMPLE.com ", name="Two", password=GOOD) is None
    assert db.session.scalar(select(func.count(User.id)).where(User.email == first.email)) == 1


def test_service_refuses_weak_passwords(db):
    with pytest.raises(ValidationFailed) as refused:
        services.sign_up_founder(email="weak@example.com", name="Weak", password="iloveyou")
    assert refused.value.field == "password"
    assert "too common" in refused.value.message


def test_password_rules():
    assert password_problem("seven77") == "Use at least 8 characters."
    assert password_problem("QWERTY123") == "This password is too common; choose another."
    assert password_problem("x" * MAX_LENGTH) is None
    assert password_problem("x" * (MAX_LENGTH + 1)) == f"Use at most {MAX_LENGTH} characters."
    assert password_problem("eight ch") is None


def test_the_database_itself_refuses_an_upper_case_email(db, make):
    """The CHECK constraint holds even for code that bypasses the model's normalisation."""
    make.make_user(email="unique@example.com")
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(
            insert(User).values(
                email="Unique@Example.com",
                name="Sneaky",
                password_hash="x",
                role="founder",
                active=True,
                session_token="sneaky-token",
            )
        )
