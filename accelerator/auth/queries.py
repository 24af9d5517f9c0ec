"""Who to tell: the addresses other domains send to (staff, in one place)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

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
