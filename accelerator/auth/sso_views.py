"""Single sign-on pages: off to the sponsor's OpenID provider, and back signed in."""

from __future__ import annotations

from flask import flash, redirect, request, session, url_for
from flask_login import current_user, login_user

from accelerator.auth import bp, sso
from accelerator.auth.views import _limits_off, _login_limit
from accelerator.core.i18n import gettext as _
from accelerator.core.refusals import refusal_page
from accelerator.core.urls import safe_next
from accelerator.extensions import db, limiter

_NEXT = "sso_next"


@bp.route("/auth/sso/login")
@limiter.limit(_login_limit, exempt_when=_limits_off)
def sso_login():
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    refusal_page(url_for("auth.login"))
    client = sso.client()
    session[_NEXT] = safe_next(request.args.get("next"))
    found = sso.settings()
    callback = found.redirect_uri or url_for("auth.sso_callback", _external=True)
    return sso.start(client, callback)


@bp.route("/auth/sso/callback")
@limiter.limit(_login_limit, exempt_when=_limits_off)
def sso_callback():
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    refusal_page(url_for("auth.login"))
    outcome = sso.sign_in(sso.client())
    db.session.commit()  # the sign-in, or the refusal's audit event
    if isinstance(outcome, sso.Refused):
        raise outcome
    login_user(outcome)
    flash(_("Welcome back, %(name)s.", name=outcome.name), "success")
    return redirect(safe_next(session.pop(_NEXT, None)) or url_for("site.home"))
