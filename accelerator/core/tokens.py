"""Single-use mailed tokens (invitations): the clear token is mailed once, only its hash kept."""

from __future__ import annotations

import hashlib
import secrets

from accelerator.core.types import utcnow


def new_token() -> tuple[str, str]:
    """A fresh random token and the SHA-256 hash the database stores instead of it."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SingleUseTokenMixin:
    """The life of a mailed invitation: pending until accepted, revoked or expired."""

    # The model provides accepted_at, revoked_at and expires_at columns.

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= utcnow():
            return "expired"
        return "pending"
