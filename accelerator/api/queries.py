"""What a token's user may see through the API: the pages' rules, as statements to filter by."""

from __future__ import annotations

from sqlalchemy import Select, false

from accelerator.core.errors import NotFound
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import Role
from accelerator.extensions import db


def visible_startup_ids(user) -> set[int] | None:
    """The startups the user may read: None for staff (all of them); a founder's own startup;
    the startups a mentor is matched with; none for anyone else."""
    if user.is_staff:
        return None
    if user.role == Role.FOUNDER:
        from accelerator.applications.queries import founder_startup_id

        startup_id = founder_startup_id(user)
        return {startup_id} if startup_id is not None else set()
    if user.role == Role.MENTOR:
        from accelerator.mentoring.queries import mentored_startup_ids

        return set(mentored_startup_ids(user))
    return set()


def founder_or_staff_startup_ids(user) -> set[int] | None:
    """Where mentors read nothing (applications, grants): None for staff, a founder's own."""
    if user.is_staff:
        return None
    return visible_startup_ids(user) if user.role == Role.FOUNDER else set()


def only_visible(statement: Select, startup_column, user, *, mentors: bool = True) -> Select:
    """`statement` narrowed to the rows of startups the user may read (`mentors=False`: the
    startup's founders and staff only, as the pages of applications and grants)."""
    ids = visible_startup_ids(user) if mentors else founder_or_staff_startup_ids(user)
    if ids is None:
        return statement
    return statement.where(startup_column.in_(ids)) if ids else statement.where(false())


def one(statement: Select):
    """The one row of `statement`, or NotFound: missing, or not the user's to see."""
    row = db.session.scalars(statement).first()
    if row is None:
        raise NotFound(_("There is no such object, or it is not yours to see."))
    return row
