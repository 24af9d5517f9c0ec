"""Personal access tokens for /api/v1: shown once, kept only as their SHA-256 hash."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accelerator.core.enums import RichStrEnum
from accelerator.core.types import UTCDateTime, utcnow
from accelerator.extensions import db

if TYPE_CHECKING:
    from accelerator.auth.models import User


class TokenStatus(RichStrEnum):
    """Where a token stands; its label and badge on the tokens page."""

    ACTIVE = "active", _l("active"), "text-bg-success"
    EXPIRED = "expired", _l("expired")
    REVOKED = "revoked", _l("revoked")


class ApiToken(db.Model):
    """A user's personal access token: its scopes, expiry, last use and revocation.

    The clear token (`acc_<random>`) is shown once when it is made; the database keeps its
    SHA-256 hash and its first characters (`prefix`), by which its owner recognises it.
    """

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint("expires_at > created_at", name="expires_after_creation"),
        CheckConstraint("scopes <> ''", name="has_scopes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Space-separated, as OAuth writes them: `read`, `write`, `grants:write`...
    scopes: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def status_at(self, now: datetime | None = None) -> TokenStatus:
        if self.revoked_at is not None:
            return TokenStatus.REVOKED
        if self.expires_at <= (now or utcnow()):
            return TokenStatus.EXPIRED
        return TokenStatus.ACTIVE

    @property
    def status(self) -> TokenStatus:
        return self.status_at()
