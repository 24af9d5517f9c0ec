"""Who an /api/v1 request is: its `Authorization: Bearer` token, its scopes, its rate key.

There are no session cookies on the API: the request's user is the token's user for this
request only (Flask-Login's `current_user`), so the pages' policies apply unchanged.
"""

from __future__ import annotations

import hashlib

from flask import g, request
from flask_limiter.util import get_remote_address

from accelerator.api import services
from accelerator.core.errors import NotAllowed
from accelerator.core.i18n import gettext as _
from accelerator.core.refusals import problem
from accelerator.extensions import db

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def clear_token() -> str | None:
    """The bearer token the request carries, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def unauthorized():
    """401 problem document asking for a bearer token."""
    from accelerator.core.error_pages import TITLES

    response = problem(
        401,
        str(TITLES.get(401, "Unauthorized")),
        _("A valid API token is needed: send it as 'Authorization: Bearer <token>'."),
    )
    response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def sign_in(scope: str):
    """Before each request of a resource group: the token's user becomes the request's user,
    or 401; a token without the group's scope for the method is refused (403)."""
    token = services.authenticate(clear_token())
    if token is None:
        return unauthorized()
    user = token.user
    if services.note_use(token):
        db.session.commit()  # its own small transaction, before the request's work
    g._login_user = user  # Flask-Login's current_user, for this request only (no cookie)
    g.api_token = token
    write = request.method not in READ_METHODS
    if not services.allows(token.scopes.split(), scope, write=write):
        needed = f"{scope}:{'write' if write else 'read'}"
        raise NotAllowed(
            _("This token's scopes do not allow this: it needs %(scope)s.", scope=needed)
        )
    return None


def rate_key() -> str:
    """What rate limits count per: the token (its hash), else the client's address."""
    token = clear_token()
    if token:
        return "api-token:" + hashlib.sha256(token.encode()).hexdigest()
    return "api-ip:" + (get_remote_address() or "")
