"""Users, their roles, invitations and the recovery codes of their second factor."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from accelerator.core.permissions import Role as Role  # roles live in core; re-exported
from accelerator.core.tokens import SingleUseTokenMixin
from accelerator.core.types import UTCDateTime, enum_column, utcnow
from accelerator.extensions import db


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(db.Model):
    """Anyone who signs in. The session token rotates to end every session of the user at once."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The sponsor's OpenID provider's `sub` for this person, kept at their first single
    # sign-on: afterwards they are found by it, so an address changed at the provider cannot
    # reach another account (auth/sso.py).
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    # Two-step verification (auth/second_factor.py): the TOTP secret encrypted with a key the
    # database does not hold, when it was turned on, and the last time-step accepted (no replay).
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    # Emails are unique case-insensitively: stored lower-cased, and the database insists.
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint(
            "(totp_enabled_at IS NULL) = (totp_secret IS NULL)", name="totp_enabled_has_secret"
        ),
    )

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @validates("email")
    def _normalise_email(self, _key, value: str) -> str:
        return value.strip().lower()

    # Flask-Login interface; get_id() is the rotating token, not the primary key.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return self.session_token

    def set_password(self, password: str) -> None:
        # scrypt by default; the test-suite picks a cheaper method through config.
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def rotate_session(self) -> None:
        """Invalidate every session and remember-me cookie this user holds."""
        self.session_token = new_session_token()

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class Invitation(SingleUseTokenMixin, db.Model):
    """A single-use invitation for a mentor or staff member; only the token's hash is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role, "invitation_role"))

    invited_by: Mapped[User | None] = relationship(
        foreign_keys="Invitation.invited_by_id", lazy="raise"
    )


class RecoveryCode(db.Model):
    """A single-use recovery code of a user's second factor; only its SHA-256 is stored."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("user_id", "code_hash", name="uq_recovery_codes_user_code"),
        CheckConstraint("length(code_hash) = 64", name="code_hash_is_sha256"),
    )
