"""Single sign-on with the sponsor's OpenID Connect provider: from its validated claims to a
user here, or a refusal saying why.

The provider proves who someone is; this app still decides who they are here. A person signs
in with the provider only when:

* the ID token is valid: signed with a key of the provider's JWKS, for this client (audience),
  from this issuer, not expired, carrying the nonce this browser was given (Authlib checks
  these; the code is exchanged with PKCE and the state ties the answer to this browser);
* their address is verified (`email_verified` true) and its domain is one of
  OIDC_ALLOWED_DOMAINS (the whole domain: `evil-orange.com` is not `orange.com`);
* an active account here is theirs: the one holding the provider's `sub`, else the one of their
  address (which then keeps the `sub`; an account holding another `sub` is refused, so an
  address changed at the provider cannot reach someone else's account). No account is created:
  roles are given here, by invitation;
* that account is staff, an administrator, a mentor or a partner: founders use their password.

Every refusal is audited (`auth.sso_refused`, with its reason) and logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import current_app, request
from joserfc.errors import JoseError
from sqlalchemy import select

from accelerator.auth.models import Role, User
from accelerator.core import audit
from accelerator.core.errors import DomainError, Invalid, NotAllowed, NotFound
from accelerator.core.i18n import gettext as _
from accelerator.core.types import utcnow
from accelerator.extensions import db

#: The roles that may sign in with the provider; founders keep their password.
SSO_ROLES = frozenset({Role.STAFF, Role.ADMIN, Role.MENTOR, Role.PARTNER})

_EXTENSION = "accelerator.sso"


@dataclass(frozen=True)
class Settings:
    """Single sign-on as the environment sets it (config.py, OIDC_*)."""

    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    allowed_domains: frozenset[str]
    scopes: str
    provider_name: str
    redirect_uri: str
    timeout: float

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def settings() -> Settings | None:
    """The single sign-on settings of this app, or None when it is not set up."""
    config = current_app.config
    issuer = (config.get("OIDC_ISSUER") or "").strip()
    client_id = (config.get("OIDC_CLIENT_ID") or "").strip()
    secret = config.get("OIDC_CLIENT_SECRET") or ""
    if not (issuer and client_id and secret):
        return None
    scopes = (config.get("OIDC_SCOPES") or "").split()
    if "openid" not in scopes:
        scopes.insert(0, "openid")  # without it there is no ID token to check
    return Settings(
        issuer=issuer,
        client_id=client_id,
        client_secret=secret,
        allowed_domains=allowed_domains(config.get("OIDC_ALLOWED_DOMAINS") or ""),
        scopes=" ".join(scopes),
        provider_name=(config.get("OIDC_PROVIDER_NAME") or "").strip(),
        redirect_uri=(config.get("OIDC_REDIRECT_URI") or "").strip(),
        timeout=float(config.get("OIDC_TIMEOUT") or 10),
    )


def allowed_domains(text: str) -> frozenset[str]:
    """The e-mail domains of a comma-separated list, casefolded ("@orange.com" is orange.com)."""
    return frozenset(
        part.strip().lstrip("@").casefold() for part in text.split(",") if part.strip("@ ")
    )


def provider_name() -> str | None:
    """The name on the sign-in button, or None when single sign-on is not set up."""
    found = settings()
    if found is None:
        return None
    return found.provider_name or _("your organisation")


def client():
    """The provider's Authlib client for this app (made once per settings); 404 when off."""
    found = settings()
    if found is None:
        raise NotFound(_("Single sign-on is not set up here. Sign in with your password."))
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    cached = app.extensions.get(_EXTENSION)
    if cached is not None and cached[0] == found:
        return cached[1]
    oauth = OAuth(app)
    made = oauth.register(
        "sponsor_sso",  # Authlib would read SPONSOR_SSO_* from the config: there are none
        client_id=found.client_id,
        client_secret=found.client_secret,
        server_metadata_url=found.metadata_url,
        client_kwargs={
            "scope": found.scopes,
            "code_challenge_method": "S256",  # PKCE
            "default_timeout": found.timeout,
        },
    )
    app.extensions[_EXTENSION] = (found, made)
    return made


class ProviderUnavailable(DomainError):
    """The provider could not be reached or answered nonsense (503)."""

    status = 503


class Refused(DomainError):
    """A single sign-on refused; `reason` is what the audit log keeps."""

    def __init__(self, error: DomainError, reason: str, /, *, user: User | None = None, **data):
        super().__init__(error.message, field=error.field)
        self.status = error.status
        self.reason = reason
        self.user = user
        self.data = data


# Errors from Authlib, joserfc and requests while finishing the flow, read as a refusal.
_FLOW_ERRORS = (AuthlibBaseError, JoseError, requests.RequestException, ValueError, KeyError)


def start(client_, redirect_uri: str):
    """The redirect to the provider's sign-in page (state, nonce and PKCE kept in the session)."""
    try:
        return client_.authorize_redirect(redirect_uri)
    except _FLOW_ERRORS as error:
        current_app.logger.warning("Single sign-on: the provider did not answer: %r", error)
        raise ProviderUnavailable(
            _("The sign-in service does not answer. Try again in a moment.")
        ) from error


def sign_in(client_) -> User | Refused:
    """Finish the provider's answer to this request: the user it signs in (audited
    `auth.login`, method "sso"), or the refusal, audited `auth.sso_refused` and logged."""
    try:
        user = user_for_claims(_validated_claims(client_))
    except Refused as refusal:
        audit.record(
            "auth.sso_refused",
            refusal.user,
            actor=None,
            data={"reason": refusal.reason, **refusal.data},
        )
        current_app.logger.warning(
            "Single sign-on refused (%s): %s %s",
            refusal.reason,
            refusal.data or "",
            repr(refusal.__cause__)[:300] if refusal.__cause__ else "",
        )
        db.session.flush()
        return refusal
    user.last_login_at = utcnow()
    audit.record("auth.login", user, actor=user, data={"method": "sso"})
    db.session.flush()
    return user


def _validated_claims(client_) -> dict:
    """The ID token's claims once Authlib has checked the state, the code exchange (PKCE) and
    the token (signature, issuer, audience, expiry, nonce)."""
    error = request.args.get("error")
    if error:
        raise Refused(
            NotAllowed(_("The sign-in service did not sign you in. Try again or ask the team.")),
            "provider_error",
            error=error[:100],
        )
    try:
        token = client_.authorize_access_token()
    except _FLOW_ERRORS as failure:
        raise Refused(
            Invalid(_("This sign-in could not be completed. Start again from the sign-in page.")),
            "invalid_response",
            error=type(failure).__name__,
        ) from failure
    claims = token.get("userinfo") if isinstance(token, dict) else None
    if not claims:  # no ID token, or no nonce kept for it: nothing proven
        raise Refused(
            Invalid(_("This sign-in could not be completed. Start again from the sign-in page.")),
            "no_id_token",
        )
    return dict(claims)


def user_for_claims(claims: dict) -> User:
    """The active user here whom these validated claims sign in, or a `Refused`."""
    email = str(claims.get("email") or "").strip()
    sub = str(claims.get("sub") or "")
    if not sub or "@" not in email or len(email) > 254 or len(sub) > 255:
        raise Refused(
            Invalid(_("The sign-in service did not give your e-mail address.")), "no_email"
        )
    if claims.get("email_verified") is not True:
        raise Refused(
            NotAllowed(_("Your e-mail address is not verified by the sign-in service.")),
            "email_not_verified",
            email=email,
        )
    domain = email.rsplit("@", 1)[1].casefold()
    found = settings()
    if found is None or domain not in found.allowed_domains:
        raise Refused(
            NotAllowed(
                _(
                    "Addresses at %(domain)s cannot use single sign-on here. "
                    "Sign in with your password.",
                    domain=domain,
                )
            ),
            "domain_not_allowed",
            email=email,
        )
    user = _user_of(sub, email)
    _check_may_sign_in(user, email)
    if user.oidc_subject is None:
        user.oidc_subject = sub
        audit.record("auth.sso_linked", user, actor=user, data={"email": email})
    return user


def _user_of(sub: str, email: str) -> User:
    """The user holding `sub`, else the one of `email` (who must hold no other `sub`)."""
    user = db.session.scalar(select(User).where(User.oidc_subject == sub))
    if user is not None:
        return user
    user = db.session.scalar(select(User).where(User.email == email.casefold()))
    if user is None and email.lower() != email.casefold():
        user = db.session.scalar(select(User).where(User.email == email.lower()))
    if user is None:
        raise Refused(
            NotAllowed(
                _(
                    "No account here uses %(email)s. Ask the program team for an invitation "
                    "(or accept the one you were sent), then sign in again.",
                    email=email,
                )
            ),
            "unknown_user",
            email=email,
        )
    if user.oidc_subject is not None and user.oidc_subject != sub:
        raise Refused(
            NotAllowed(
                _(
                    "The account of %(email)s is linked to another sign-in identity. "
                    "Ask the program team.",
                    email=email,
                )
            ),
            "subject_mismatch",
            user=user,
            email=email,
        )
    return user


def _check_may_sign_in(user: User, email: str) -> None:
    if not user.active:
        raise Refused(
            NotAllowed(_("This account is deactivated. Ask the program team.")),
            "inactive",
            user=user,
            email=email,
        )
    if user.role not in SSO_ROLES:
        raise Refused(
            NotAllowed(_("Founders sign in with their e-mail address and password.")),
            "role_not_allowed",
            user=user,
            email=email,
            role=user.role.value,
        )
