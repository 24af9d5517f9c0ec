"""Command-line tasks: flask seed (idempotent) and flask users create/list/deactivate/unlink-sso."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from accelerator import cli
from accelerator.auth.models import Role, User
from accelerator.auth.seed import DEMO_PASSWORD
from accelerator.auth.seed import seed as seed_auth
from tests.auth.helpers import audit_events, sign_in


def _run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def _user(db, email) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


@pytest.fixture
def auth_seed_only(monkeypatch):
    """Only the auth seeder: the other domains' seeds are tested by their own suites."""
    monkeypatch.setattr(cli, "_seeders", lambda: iter([("auth", seed_auth)]))


def test_seeders_run_in_domain_order_starting_with_auth():
    names = [name for name, _step in cli._seeders()]
    assert names[0] == "auth"
    from accelerator import DOMAINS

    assert names == sorted(names, key=DOMAINS.index)


def test_flask_seed_is_idempotent(app, db, client, auth_seed_only):
    first = _run(app, "seed")
    assert first.exit_code == 0, first.output
    assert "auth: 11 created" in first.output and "Seed complete." in first.output
    count = db.session.scalar(select(func.count()).select_from(User))

    second = _run(app, "seed")
    assert second.exit_code == 0
    assert "auth: 0 created" in second.output
    assert db.session.scalar(select(func.count()).select_from(User)) == count

    for email, role in [
        ("admin@example.org", Role.ADMIN),
        ("staff@example.org", Role.STAFF),
        ("mentor@example.org", Role.MENTOR),
        ("founder@example.org", Role.FOUNDER),
    ]:
        assert _user(db, email).role == role
        assert sign_in(client, email, DEMO_PASSWORD).headers["Location"] == "/"
        client.post("/logout")


def test_users_create(app, db):
    result = _run(
        app, "users", "create", "--email", "Root@Example.com", "--name", "Root",
        "--password", "a strong admin secret",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Created root@example.com (admin)." in result.output
    user = _user(db, "root@example.com")
    assert user.role == Role.ADMIN and user.check_password("a strong admin secret")


def test_users_create_prompts_for_the_password(app, db):
    result = _run(
        app, "users", "create", "--email", "m@example.com", "--name", "M", "--role", "mentor",
        input="a prompted secret\na prompted secret\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert _user(db, "m@example.com").role == Role.MENTOR


@pytest.mark.parametrize(
    "email,password,message",
    [
        ("taken@example.com", "a strong secret", "An account with this email already exists."),
        ("new@example.com", "password1", "This password is too common; choose another."),
    ],
)
def test_users_create_refuses_with_a_message(app, db, make, email, password, message):
    make.make_user(email="taken@example.com")
    result = _run(
        app, "users", "create", "--email", email, "--name", "X", "--password", password
    )  # fmt: skip
    assert result.exit_code == 1
    assert message in result.output


def test_users_list(app, make):
    make.make_user(email="listed@example.com", name="Listed Person", role="mentor")
    make.make_user(email="gone@example.com", active=False)
    output = _run(app, "users", "list").output
    line = next(line for line in output.splitlines() if "listed@example.com" in line)
    assert "mentor" in line and "active" in line and "Listed Person" in line
    line = next(line for line in output.splitlines() if "gone@example.com" in line)
    assert "inactive" in line


def test_users_deactivate_ends_sessions(app, db, client, founder):
    sign_in(client, founder.email)
    result = _run(app, "users", "deactivate", founder.email.upper())
    assert result.exit_code == 0, result.output
    assert f"Deactivated {founder.email}." in result.output
    db.session.refresh(founder)
    assert founder.active is False
    assert client.get("/account").status_code == 302
    (event,) = audit_events("user.deactivated")
    assert event.data == {"via": "cli"} and event.actor_id is None


def test_users_deactivate_unknown_email(app, db):
    result = _run(app, "users", "deactivate", "nobody@example.com")
    assert result.exit_code == 1 and "No user nobody@example.com." in result.output


def test_users_deactivate_keeps_the_last_active_administrator(app, db, make):
    """The console follows the People page's rule: an install is never left without an
    active administrator (a second one can go)."""
    from sqlalchemy import select

    from accelerator.auth.models import Role, User

    for admin in db.session.scalars(select(User).where(User.role == Role.ADMIN)):
        admin.active = False
    only = make.make_user(email="only-admin@example.com", role="admin")
    db.session.commit()
    result = _run(app, "users", "deactivate", only.email)
    assert result.exit_code == 1
    assert "The last active administrator cannot be removed." in result.output
    db.session.refresh(only)
    assert only.active is True
    second = make.make_user(email="second-admin@example.com", role="admin")
    db.session.commit()
    assert _run(app, "users", "deactivate", second.email).exit_code == 0


def test_users_unlink_sso_forgets_the_provider_identity(app, db, make):
    user = make.make_user(role="mentor", email="noe@orange.example", name="Noé Mentor")
    user.oidc_subject = "sub-noé"
    db.session.flush()
    result = _run(app, "users", "unlink-sso", "NOE@orange.example")
    assert result.exit_code == 0, result.output
    assert "Unlinked noe@orange.example" in result.output
    db.session.refresh(user)
    assert user.oidc_subject is None
    (event,) = audit_events("auth.sso_unlinked")
    assert event.object_id == user.id and event.actor_id is None
    again = _run(app, "users", "unlink-sso", "noe@orange.example")
    assert again.exit_code == 0 and "has no single sign-on identity" in again.output
    assert len(audit_events("auth.sso_unlinked")) == 1
    assert _run(app, "users", "unlink-sso", "nobody@orange.example").exit_code == 1


def test_users_reset_second_factor_for_a_lost_phone(app, db, admin):
    from tests import factories

    factories.enrol_second_factor(admin)
    result = _run(app, "users", "reset-second-factor", admin.email)
    assert result.exit_code == 0, result.output
    db.session.refresh(admin)
    assert not admin.has_second_factor
    (event,) = audit_events("second_factor.reset")
    assert event.data == {"via": "cli"} and event.actor_id is None
    again = _run(app, "users", "reset-second-factor", admin.email)
    assert again.exit_code == 1 and "has no two-step verification" in again.output
