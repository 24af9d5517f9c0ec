"""Permissions in one place: roles, role checks for routes and policy checks for objects."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accelerator.core import audit
from accelerator.core.enums import RichStrEnum
from accelerator.core.errors import NotAllowed
from accelerator.core.i18n import gettext as _
from accelerator.extensions import db, login_manager

T = TypeVar("T")


class Role(RichStrEnum):
    """What a user is; the role column of users and invitations (`auth.models`) holds it."""

    FOUNDER = "founder", _l("founder")
    MENTOR = "mentor", _l("mentor")
    STAFF = "staff", _l("staff")
    ADMIN = "admin", _l("admin")
    #: A person in one of the sponsor's business units (accelerator/pilots).
    PARTNER = "partner", _l("partner")


Policy = Callable[[Any, Any], bool]

#: Every object policy, by name; exposed to Jinja so templates show exactly what is allowed.
POLICIES: dict[str, Policy] = {}


def policy(func: Policy) -> Policy:
    """Register an object policy `can_*(user, obj) -> bool` (also available in templates)."""
    POLICIES[func.__name__] = func
    return func


def require_staff(actor, message: str | None = None) -> None:
    """Services' own check that the acting user is staff (or admin): NotAllowed otherwise."""
    if actor is None or not getattr(actor, "is_staff", False):
        raise NotAllowed(message or _("Only program staff can do this."))


def current_actor():
    """The signed-in user as a plain object, for services' `actor=` (not the request proxy)."""
    return current_user._get_current_object()


def _deny(status: int, reason: str) -> None:
    """Refuse the request and keep a record of the refusal, and of nothing else.

    The caller's transaction is rolled back first: whatever the view changed before it was
    refused is dropped, and only the `access.denied` event is committed. (A second session on
    its own connection would not do: on SQLite every transaction holds the write lock from its
    BEGIN, so it would wait on the caller's open transaction.)
    """
    db.session.rollback()
    audit.record("access.denied", data={"path": request.path, "reason": reason})
    db.session.commit()
    abort(status)


def has_role(user, *roles) -> bool:
    """Whether a signed-in, active user holds one of `roles` (admin wherever staff may go)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    return user.role in roles or (user.role == Role.ADMIN and Role.STAFF in roles)


def role_required(*roles) -> Callable:
    """Only let users with one of `roles` through; admin passes wherever staff does.

    Anonymous users go to the login page (401 for JSON requests); others get 403.
    """
    allowed = set(roles)
    if Role.STAFF in allowed:
        allowed.add(Role.ADMIN)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if request.is_json or request.accept_mimetypes.best == "application/json":
                    abort(401)
                return login_manager.unauthorized()
            if not has_role(current_user, *allowed):
                _deny(403, "role")
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(allowed)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def get_or_404(model: type[T], ident: Any, *, policy: Policy | None = None, options=()) -> T:
    """Load an object or answer 404, also when the user may not see it (no existence leak)."""
    obj = db.session.get(model, ident, options=list(options))
    if obj is None:
        abort(404)
    if policy is not None and not policy(current_user, obj):
        _deny(404, f"policy {policy.__name__}")
    return obj
