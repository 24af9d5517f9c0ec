"""Builders for test data: make_user(...), and one per domain model as domains arrive."""

from __future__ import annotations

import itertools

from accelerator.auth.models import Role, User
from accelerator.extensions import db

PASSWORD = "correct horse battery"  # noqa: S105
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105  (the tests' authenticator app)
__all__ = ["PASSWORD", "TOTP_SECRET", "enrol_second_factor", "make_user", "totp_code", "unique"]
_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_counter)}"


def make_user(
    *,
    role: str | Role = Role.FOUNDER,
    email: str | None = None,
    name: str | None = None,
    password: str = PASSWORD,
    active: bool = True,
) -> User:
    role = Role(role)
    user = User(
        email=email or f"{unique(role.value)}@example.com",
        name=name or unique(role.value.title() + " "),
        role=role,
        active=active,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def enrol_second_factor(user: User, secret: str = TOTP_SECRET) -> User:
    """Turn on the user's two-step verification with `secret` (no code used up yet)."""
    from accelerator.auth import second_factor
    from accelerator.core.types import utcnow

    user.totp_secret = second_factor.seal(secret)
    user.totp_enabled_at = utcnow()
    user.totp_last_step = None
    db.session.flush()
    return user


def totp_code(secret: str = TOTP_SECRET, *, steps: int = 0) -> str:
    """The code the authenticator app shows now (`clock_at` included), or `steps` later."""
    import pyotp

    from accelerator.auth.second_factor import STEP_SECONDS
    from accelerator.core.types import utcnow

    return pyotp.TOTP(secret).at(utcnow().timestamp() + steps * STEP_SECONDS)
