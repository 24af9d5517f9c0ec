"""Personal access tokens: issue (shown once), revoke, and find the user a bearer token is for."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from accelerator.api.models import ApiToken, TokenStatus
from accelerator.core import audit
from accelerator.core.errors import Invalid, InvalidState, NotAllowed
from accelerator.core.i18n import gettext as _
from accelerator.core.tokens import hash_token
from accelerator.core.types import utcnow
from accelerator.extensions import db

#: What every clear token starts with, so a leaked one is recognised (secret scanners too).
TOKEN_PREFIX = "acc_"  # noqa: S105  (a prefix, not a secret)
DEFAULT_DAYS = 90
MAX_DAYS = 365
#: `last_used_at` is written at most this often per token (a write per request would cost).
LAST_USE_STEP = timedelta(minutes=1)
#: The resource groups a scope may name (`<domain>:read`), with their names for people;
#: api.resources adds each group it registers.
SCOPE_DOMAINS: dict[str, object] = {}
LEVELS = ("read", "write")


def scope_group(scope: str) -> str:
    """The resource group a scope names, as people read it ("Grants")."""
    domain = scope.rpartition(":")[0]
    return str(SCOPE_DOMAINS.get(domain, domain))


def scope_label(scope: str) -> str:
    """How a scope reads on the tokens page: "Read everything", "Grants: read and write"."""
    domain, _sep, level = scope.rpartition(":")
    if not domain:
        return _("Read everything") if level == "read" else _("Read and write everything")
    group = str(SCOPE_DOMAINS.get(domain, domain))
    if level == "read":
        return _("%(group)s: read", group=group)
    return _("%(group)s: read and write", group=group)


def known_scopes() -> list[str]:
    """Every scope a token may carry: `read`, `write`, and both per resource group."""
    return [*LEVELS] + [f"{d}:{level}" for d in SCOPE_DOMAINS for level in LEVELS]  # as listed


def check_scopes(scopes: list[str] | tuple[str, ...]) -> list[str]:
    """The scopes cleaned and de-duplicated in a stable order; Invalid when one is unknown."""
    cleaned = sorted({s.strip().lower() for s in scopes if s and s.strip()})
    if not cleaned:
        raise Invalid(_("Choose at least one scope."), field="scopes")
    unknown = [s for s in cleaned if s not in known_scopes()]
    if unknown:
        raise Invalid(_("Unknown scope: %(scopes)s.", scopes=", ".join(unknown)), field="scopes")
    return cleaned


def allows(token_scopes: list[str], domain: str, *, write: bool) -> bool:
    """Whether scopes let a request read (or write) a resource group; write implies read."""
    wanted = ("write",) if write else ("read", "write")
    return any(level in token_scopes or f"{domain}:{level}" in token_scopes for level in wanted)


def issue_token(
    user,
    *,
    actor,
    name: str,
    scopes: list[str] | tuple[str, ...],
    days: int = DEFAULT_DAYS,
    now: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Make a token for `user` and return it with its clear text, to be shown once only.

    A user makes their own; an administrator may make one for anyone; `actor` None is the
    command line (`flask tokens create`), an operator's act."""
    if actor is not None and actor.id != user.id and not actor.is_admin:
        raise NotAllowed(_("Only an administrator can make a token for someone else."))
    if not user.active:
        raise InvalidState(_("This account is deactivated: it cannot have tokens."))
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise Invalid(_("Give the token a name of at most 100 characters."), field="name")
    if not 1 <= days <= MAX_DAYS:
        raise Invalid(_("A token expires within 1 to %(days)s days.", days=MAX_DAYS), field="days")
    cleaned = check_scopes(scopes)
    now = now or utcnow()
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=clear[:12],
        token_hash=hash_token(clear),
        scopes=" ".join(cleaned),
        created_at=now,
        created_by_id=getattr(actor, "id", None),
        expires_at=now + timedelta(days=days),
    )
    audit.record_new(
        "api.token_created",
        token,
        actor=actor,
        data={"name": name, "scopes": cleaned, "user_id": user.id, "days": days},
    )
    return token, clear


def revoke_token(token: ApiToken, *, actor) -> ApiToken:
    """Revoke a token at once; its owner or an administrator may (actor None: the command
    line, an operator's act)."""
    if actor is not None and actor.id != token.user_id and not actor.is_admin:
        raise NotAllowed(_("Only its owner or an administrator can revoke this token."))
    if token.revoked_at is not None:
        raise InvalidState(_("This token is already revoked."))
    token.revoked_at = utcnow()
    token.revoked_by_id = getattr(actor, "id", None)
    audit.record(
        "api.token_revoked", token, actor=actor, data={"name": token.name, "user_id": token.user_id}
    )
    db.session.flush()
    return token


def authenticate(clear: str | None, *, now: datetime | None = None) -> ApiToken | None:
    """The usable token for a clear bearer token (its user loaded), or None: unknown, expired,
    revoked, or its user deactivated."""
    from sqlalchemy.orm import joinedload

    if not clear or not clear.startswith(TOKEN_PREFIX) or len(clear) > 200:
        return None
    token = db.session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == hash_token(clear))
        .options(joinedload(ApiToken.user))
    )
    if token is None or token.status_at(now) != TokenStatus.ACTIVE or not token.user.active:
        return None
    return token


def note_use(token: ApiToken, *, now: datetime | None = None) -> bool:
    """Note that the token was used now, at most once a minute (a write per request would
    cost); a guarded UPDATE, so concurrent requests write it once. Whether it wrote."""
    now = now or utcnow()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USE_STEP:
        return False
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token.id)
        .where((ApiToken.last_used_at.is_(None)) | (ApiToken.last_used_at <= now - LAST_USE_STEP))
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return True
