"""Single-use mailed tokens (invitations): the clear token is mailed once, only its hash kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, validates

from accelerator.core.enums import RichStrEnum
from accelerator.core.errors import InvalidState
from accelerator.core.i18n import gettext as _
from accelerator.core.types import UTCDateTime, utcnow
from accelerator.extensions import db


def new_token() -> tuple[str, str]:
    """A fresh random token and the SHA-256 hash the database stores instead of it."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_gone() -> str:
    """What a link to an invitation that is no longer pending says."""
    return _("This invitation has expired, was revoked or was already used.")


class InvitationStatus(RichStrEnum):
    """Where a mailed invitation stands; its label and badge for every page."""

    PENDING = "pending", _l("pending"), "text-bg-warning"
    ACCEPTED = "accepted", _l("accepted"), "text-bg-success"
    REVOKED = "revoked", _l("revoked")
    EXPIRED = "expired", _l("expired")


class SingleUseTokenMixin:
    """A mailed invitation's columns and life: pending until accepted, revoked or expired.

    The model adds its id, what the invitation is for, and its relationships."""

    email: Mapped[str] = mapped_column(String(254), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @validates("email")
    def _normalise_email(self, _key, value: str) -> str:
        return value.strip().lower()

    @classmethod
    def issue(cls, *, invited_by, **values):
        """A new invitation (added to the session) valid for INVITATION_DAYS, and its clear
        token: mailed once, never stored."""
        token, token_hash = new_token()
        invitation = cls(
            token_hash=token_hash,
            expires_at=utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"]),
            invited_by_id=invited_by.id,
            **values,
        )
        db.session.add(invitation)
        return invitation, token

    @classmethod
    def pending(cls, token: str, *options):
        """The pending invitation for this clear token (loading `options`), or None."""
        invitation = db.session.scalar(
            select(cls).where(cls.token_hash == hash_token(token)).options(*options)
        )
        if invitation is None or invitation.status != InvitationStatus.PENDING:
            return None
        return invitation

    @classmethod
    def usable(cls, token: str, *options):
        """The pending invitation for this clear token, or InvalidState: the link is gone."""
        invitation = cls.pending(token, *options)
        if invitation is None:
            raise InvalidState(link_gone())
        return invitation

    def accept(self, user) -> None:
        self.accepted_at = utcnow()
        self.accepted_user_id = user.id

    def revoke(self) -> None:
        if self.status != InvitationStatus.PENDING:
            raise InvalidState(_("Only a pending invitation can be revoked."))
        self.revoked_at = utcnow()

    @property
    def status(self) -> InvitationStatus:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= utcnow():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING
