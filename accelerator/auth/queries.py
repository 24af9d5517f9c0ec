"""Reads of people: who to tell (the addresses other domains send to) and the people list."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, or_, select

from accelerator.auth.models import Role, User
from accelerator.extensions import db


def staff_emails(*, exclude: Iterable[int] = ()) -> list[str]:
    """Active staff and admins (but `exclude`), in alphabetical order: the program team."""
    return list(
        db.session.scalars(
            select(User.email)
            .where(User.role.in_([Role.STAFF, Role.ADMIN]), User.active.is_(True))
            .where(User.id.not_in(list(exclude)))
            .order_by(User.email)
        )
    )


def people(*, role: str | None = None, query: str = "") -> Select:
    """The people list: everyone by name, narrowed to a role and to a name or address search
    (a role that does not exist narrows nothing)."""
    statement = select(User).order_by(User.name)
    if role in {r.value for r in Role}:
        statement = statement.where(User.role == Role(role))
    if query:
        statement = statement.where(
            or_(
                User.email.contains(query.lower(), autoescape=True),
                User.name.icontains(query, autoescape=True),
            )
        )
    return statement


def locale_of_address(address: str) -> str | None:
    """The language chosen by the person with this address, if they have an account."""
    return db.session.scalar(select(User.locale).where(User.email == address.strip().lower()))
