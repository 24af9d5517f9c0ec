"""Secrets the app must read back (a TOTP key, a webhook's signing secret), kept encrypted.

Fernet (AES with an HMAC) under a key derived from the purpose and SECRET_KEY, or from the
purpose's own configured key: a database dump alone gives none of them, and one purpose's
sealed text never opens as another's. Changing the key makes what was sealed unreadable:
`unseal` then answers None and the caller says what to do (reset, rotate).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


def _fernet(purpose: str, key: str | None) -> Fernet:
    material = f"{purpose}:{key or current_app.config['SECRET_KEY']}"
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(material.encode()).digest()))


def seal(text: str, *, purpose: str, key: str | None = None) -> str:
    """`text` encrypted for keeping (in the database or a session)."""
    return _fernet(purpose, key).encrypt(text.encode()).decode()


def unseal(sealed: str, *, purpose: str, key: str | None = None) -> str | None:
    """What `seal` kept, or None when the key changed since (or the text was tampered with)."""
    try:
        return _fernet(purpose, key).decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError):
        return None
