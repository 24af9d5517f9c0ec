"""Standard Webhooks signatures (standardwebhooks.com), written with hmac and base64.

A message is signed over `<webhook-id>.<webhook-timestamp>.<body>` with HMAC-SHA256 keyed by
the endpoint's secret (the bytes after `whsec_`, base64); `webhook-signature` is `v1,<base64>`.
A consumer verifies it with the `standardwebhooks` package (a test holds it). The secret is
kept in the database encrypted with a key derived from SECRET_KEY (Fernet): changing
SECRET_KEY makes every endpoint's secret unreadable, and staff rotate them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime

from accelerator.core import sealing

PREFIX = "whsec_"


def new_secret() -> str:
    """A new endpoint secret: `whsec_` and 32 random bytes in base64 (Svix's form)."""
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def new_message_id() -> str:
    """A `webhook-id`: msg_ and 27 random URL-safe characters."""
    return "msg_" + secrets.token_urlsafe(20)


def signature(secret: str, message_id: str, timestamp: int, body: str) -> str:
    """The `webhook-signature` header value: `v1,<base64 HMAC-SHA256>`."""
    key = base64.b64decode(secret.removeprefix(PREFIX))
    signed = f"{message_id}.{timestamp}.{body}".encode()
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, message_id: str, sent_at: datetime, body: str) -> dict[str, str]:
    """The three Standard Webhooks headers of one attempt (timestamp: the attempt's second)."""
    timestamp = int(sent_at.timestamp())
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
        "content-type": "application/json",
    }


def seal(secret: str) -> str:
    """The secret as kept in the database."""
    return sealing.seal(secret, purpose="accelerator.webhooks.secret")


def unseal(sealed: str) -> str | None:
    """The secret back, or None when SECRET_KEY changed since it was sealed."""
    return sealing.unseal(sealed, purpose="accelerator.webhooks.secret")
