"""Builders for test data: make_user(...), and one per domain model as domains arrive."""

from __future__ import annotations

import itertools

from accelerator.auth.models import Role, User
from accelerator.extensions import db

PASSWORD = "correct horse battery"  # noqa: S105
__all__ = ["PASSWORD", "make_user", "unique"]
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
