"""Who may see and change startups and applications (also Jinja globals)."""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import select

from accelerator.applications.models import OPEN_STATES, ApplicationStatus, StartupMember
from accelerator.core.permissions import policy
from accelerator.extensions import db


def member_startup_id(user) -> int | None:
    """The id of the startup this user is a founder of (a founder belongs to one startup)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    # Cached for one request only: templates ask many times while rendering one page.
    cache = g.setdefault("_startup_ids", {}) if has_request_context() else {}
    if user.id not in cache:
        cache[user.id] = db.session.scalar(
            select(StartupMember.startup_id).where(StartupMember.user_id == user.id)
        )
    return cache[user.id]


def forget_membership(user) -> None:
    """Drop the cached membership after the user joined or created a startup."""
    if has_request_context():
        g.setdefault("_startup_ids", {}).pop(getattr(user, "id", None), None)


def is_founder_of(user, startup_id: int | None) -> bool:
    """Whether the user is a founder of this startup (the one rule; cached per request)."""
    return startup_id is not None and member_startup_id(user) == startup_id


@policy
def can_view_application(user, application) -> bool:
    """Staff, or a founder of the applying startup."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or is_founder_of(user, application.startup_id)


@policy
def can_edit_application(user, application) -> bool:
    """The startup's founders, while the application is a draft."""
    return application.status == ApplicationStatus.DRAFT and is_founder_of(
        user, application.startup_id
    )


@policy
def can_withdraw_application(user, application) -> bool:
    """The startup's founders, until a decision (open states, drafts included)."""
    return application.status in OPEN_STATES and is_founder_of(user, application.startup_id)


@policy
def can_edit_startup(user, startup) -> bool:
    """Only the startup's own founders edit its profile."""
    return is_founder_of(user, startup.id)


@policy
def can_manage_startup_invitation(user, invitation) -> bool:
    """The startup's founders resend or revoke its co-founder invitations."""
    return is_founder_of(user, invitation.startup_id)
