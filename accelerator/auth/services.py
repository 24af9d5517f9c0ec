"""Auth rules: sign-up, login, password reset, invitations, deactivation and roles."""

from __future__ import annotations

import hashlib
import secrets
from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from accelerator.auth import second_factor
from accelerator.auth.models import Invitation, Role, User
from accelerator.auth.passwords import password_problem
from accelerator.core import audit, hooks
from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.mail import queue_mail
from accelerator.core.types import utcnow
from accelerator.core.urls import external_url
from accelerator.extensions import db

INVITABLE_ROLES = (Role.MENTOR, Role.STAFF, Role.PARTNER)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _check_password(password: str, field: str = "password") -> None:
    problem = password_problem(password)
    if problem:
        raise ValidationFailed(problem, field=field)


def create_user(*, email: str, name: str, password: str, role: Role, actor=None) -> User:
    """Create a user after checking the email is free and the password acceptable."""
    if find_user_by_email(email) is not None:
        raise Conflict(_("An account with this email already exists."), field="email")
    _check_password(password)
    user = User(email=email, name=name.strip(), role=role)
    user.set_password(password)
    audit.record_new("user.created", user, actor=actor or user, data={"role": role.value})
    return user


def sign_up_founder(*, email: str, name: str, password: str) -> User | None:
    """Founders create their own account; None when the email is taken.

    The visitor is never told that an account exists: its owner gets a mail saying someone
    tried to sign up with their address, with the way to reset the password.
    """
    existing = find_user_by_email(email)
    if existing is None:
        return create_user(email=email, name=name, password=password, role=Role.FOUNDER)
    _check_password(password)  # a weak password is refused the same way for any address
    queue_mail(
        existing.email,
        _l("Someone tried to sign up with your email address"),
        "signup_attempt.txt",
        user=existing,
        link=external_url("auth.forgot_password"),
    )
    audit.record("user.signup_attempted", existing, actor=existing, data={})
    db.session.flush()
    return None


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None; failures are audited without saying why."""
    user = find_user_by_email(email)
    if user is None:
        # Spend the same time as for a real account, so timing does not tell who has one.
        check_password_hash(
            _dummy_hash(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")), password
        )
    if user is None or not user.check_password(password) or not user.active:
        audit.record(
            "auth.login_failed",
            user,
            actor=None,
            data={
                "email": normalise_email(email)[:254],
                "inactive": bool(user and not user.active),
            },
        )
        return None
    user.last_login_at = utcnow()
    audit.record("auth.login", user, actor=user)
    return user


def logout_everywhere(user: User) -> None:
    user.rotate_session()
    audit.record("auth.logout", user, actor=user)


def change_password(user: User, *, current: str, new: str) -> None:
    if not user.check_password(current):
        raise ValidationFailed(_("Your current password is not correct."), field="current_password")
    _check_password(new, field="new_password")
    user.set_password(new)
    user.rotate_session()
    audit.record("auth.password_changed", user, actor=user)


# Password reset: a signed, timed token bound to the current password hash, so it stops
# working as soon as it has been used (the hash changes) or the password changed otherwise.
def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _password_fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def make_reset_token(user: User) -> str:
    return _reset_serializer().dumps({"uid": user.id, "fp": _password_fingerprint(user)})


def request_password_reset(email: str) -> None:
    """Mail a reset link if the account exists; say nothing either way (no account probing)."""
    user = find_user_by_email(email)
    audit.record("auth.reset_requested", user, actor=None, data={"known": user is not None})
    if user is None or not user.active:
        return
    link = external_url("auth.reset_password", token=make_reset_token(user))
    queue_mail(
        user.email,
        _l("Reset your Accelerator password"),
        "reset_password.txt",
        user=user,
        link=link,
        minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _reset_serializer().loads(
            token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"]
        )
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("uid")) if isinstance(data.get("uid"), int) else None
    if user is None or not user.active or data.get("fp") != _password_fingerprint(user):
        return None
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    if user is None:
        raise InvalidState(_("This reset link has expired or was already used."))
    _check_password(new_password)
    user.set_password(new_password)
    user.rotate_session()
    audit.record("auth.password_reset", user, actor=user)
    return user


def invite(
    *, email: str, role: Role, actor: User, name: str | None = None
) -> tuple[Invitation, str]:
    """Invite a mentor or staff member; returns the invitation and the clear token (mailed)."""
    if not actor.is_staff:
        raise NotAllowed(_("Only staff can invite people."))
    if role not in INVITABLE_ROLES and not (role == Role.ADMIN and actor.is_admin):
        raise ValidationFailed(_("This role cannot be invited."), field="role")
    if find_user_by_email(email) is not None:
        raise Conflict(_("Someone already has an account with this email."), field="email")
    invitation, token = Invitation.issue(
        email=email, name=(name or "").strip() or None, role=role, invited_by=actor
    )
    audit.record_new(
        "invitation.sent",
        invitation,
        actor=actor,
        data={"email": invitation.email, "role": role.value},
    )
    queue_mail(
        invitation.email,
        _l("You are invited to join Accelerator"),
        "invitation.txt",
        invitation=invitation,
        inviter=actor,
        link=external_url("auth.accept_invitation", token=token),
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    return Invitation.pending(token)


def accept_invitation(token: str, *, name: str, password: str) -> User:
    invitation = Invitation.usable(token)
    user = create_user(email=invitation.email, name=name, password=password, role=invitation.role)
    invitation.accept(user)
    audit.record("invitation.accepted", invitation, actor=user)
    hooks.invitation_accepted.send(invitation, user=user)
    return user


def revoke_invitation(invitation: Invitation, *, actor: User) -> None:
    invitation.revoke()
    audit.record("invitation.revoked", invitation, actor=actor)


def set_active(user: User, *, active: bool, actor: User) -> None:
    """Deactivate (ending every session at once) or reactivate a user; admin only."""
    if not actor.is_admin:
        raise NotAllowed(_("Only an administrator can do this."))
    if user.id == actor.id and not active:
        raise InvalidState(_("You cannot deactivate your own account."))
    if not active:
        _ensure_not_last_admin(user)
    user.active = active
    user.rotate_session()
    audit.record("user.activated" if active else "user.deactivated", user, actor=actor)


def reset_second_factor_from_console(user: User) -> None:
    """An operator's `flask users reset-second-factor`: the user sets it up again."""
    second_factor.reset_from_console(user)


def deactivate_from_console(user: User) -> None:
    """An operator's `flask users deactivate`: the same rule as the page (never the last
    active administrator), every session ended, recorded as done from the command line."""
    _ensure_not_last_admin(user)
    user.active = False
    user.rotate_session()
    audit.record("user.deactivated", user, actor=None, data={"via": "cli"})


def change_role(user: User, *, role: Role, actor: User) -> None:
    if not actor.is_admin:
        raise NotAllowed(_("Only an administrator can do this."))
    if user.id == actor.id:
        raise InvalidState(_("You cannot change your own role."))
    if user.role == role:
        return
    _ensure_not_last_admin(user)
    old = user.role
    user.role = role
    user.rotate_session()
    audit.record("user.role_changed", user, actor=actor, data={"from": old.value, "to": role.value})


def _ensure_not_last_admin(user: User) -> None:
    """Refuse to remove the last active administrator (an inactive one is no loss)."""
    if user.role != Role.ADMIN or not user.active:
        return
    others = db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN, User.active.is_(True), User.id != user.id)
    )
    if not others:
        raise InvalidState(_("The last active administrator cannot be removed."))


def unlink_sso(user: User) -> bool:
    """Forget the provider's `sub` kept on `user` (an operator's `flask users unlink-sso`):
    their next single sign-on links them again by address. False when none was kept."""
    if user.oidc_subject is None:
        return False
    user.oidc_subject = None
    audit.record("auth.sso_unlinked", user, actor=None, data={"via": "cli"})
    return True
