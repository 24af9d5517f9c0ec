"""How account and sign-in events read in the audit log (core/history.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accelerator.core.history import Sentence, Sentences, says
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import Role


def _role(value) -> str:
    try:
        return Role(value).label
    except ValueError:
        return str(value or "")


def _deactivated(who: str, d: dict) -> str:
    if d.get("via") == "cli":
        return _("An operator deactivated an account from the command line.")
    return _("%(who)s deactivated an account.", who=who)


def _signed_in(who: str, d: dict) -> str:
    if d.get("method") == "sso":
        return _("%(who)s signed in with single sign-on.", who=who)
    return _("%(who)s signed in.", who=who)


_SSO_REASONS = {
    "provider_error": _l("the sign-in service did not sign them in"),
    "invalid_response": _l("its answer could not be checked"),
    "no_id_token": _l("its answer held no identity"),
    "no_email": _l("no e-mail address was given"),
    "email_not_verified": _l("the address is not verified"),
    "domain_not_allowed": _l("the address's domain is not allowed"),
    "unknown_user": _l("no account uses the address"),
    "subject_mismatch": _l("the account is linked to another identity"),
    "inactive": _l("the account is deactivated"),
    "role_not_allowed": _l("founders sign in with their password"),
}


def _sso_refused(_who: str, d: dict) -> str:
    reason = _SSO_REASONS.get(d.get("reason"), d.get("reason") or "")
    if d.get("email"):
        return _(
            "A single sign-on as %(email)s was refused: %(reason)s.",
            email=d["email"],
            reason=reason,
        )
    return _("A single sign-on was refused: %(reason)s.", reason=reason)


def _second_factor_reset(who: str, d: dict) -> str:
    if d.get("via") == "cli":
        return _("An operator reset an account's two-step verification from the command line.")
    return _("%(who)s reset an account's two-step verification: it must be set up again.", who=who)


_ACTIONS: dict[str, Sentence] = {}

_ACTIONS.update(
    {
        "auth.login": _signed_in,
        "auth.sso_linked": says(
            _l("%(who)s signed in with single sign-on for the first time, as %(email)s."),
            email="email",
        ),
        "auth.sso_refused": _sso_refused,
        "auth.sso_unlinked": says(
            _l("An operator unlinked an account from its single sign-on identity.")
        ),
        "auth.logout": says(_l("%(who)s signed out.")),
        "auth.login_failed": says(_l("A sign-in as %(email)s failed."), email="email"),
        "auth.password_changed": says(_l("%(who)s changed their password.")),
        "auth.password_reset": says(_l("%(who)s chose a new password from a reset link.")),
        "auth.reset_requested": says(_l("Someone asked for a password reset link.")),
        "access.denied": says(_l("%(who)s was refused a page (%(path)s)."), path="path"),
        "invitation.sent": says(
            _l("%(who)s invited %(email)s as %(role)s."),
            email="email",
            role=lambda d: _role(d.get("role")),
        ),
        "invitation.accepted": says(_l("%(who)s accepted an invitation and joined.")),
        "invitation.revoked": says(_l("%(who)s withdrew an invitation.")),
        "user.created": says(
            _l("%(who)s created an account (%(role)s)."), role=lambda d: _role(d.get("role"))
        ),
        "user.signup_attempted": says(
            _l("Someone tried to sign up again with the address of %(who)s.")
        ),
        "user.activated": says(_l("%(who)s reactivated an account.")),
        "user.deactivated": _deactivated,
        "user.role_changed": says(
            _l("%(who)s changed an account's role from %(before)s to %(after)s."),
            before=lambda d: _role(d.get("from")),
            after=lambda d: _role(d.get("to")),
        ),
        "second_factor.enabled": says(_l("%(who)s turned on two-step verification.")),
        "second_factor.disabled": says(_l("%(who)s turned off two-step verification.")),
        "second_factor.reset": _second_factor_reset,
        "second_factor.recovery_codes_regenerated": says(
            _l("%(who)s made new recovery codes for two-step verification.")
        ),
        "second_factor.recovery_code_used": says(
            _l("%(who)s used a recovery code (%(left)s left)."), left="left"
        ),
        "second_factor.failed": says(_l("%(who)s typed a wrong two-step verification code.")),
    }
)

SENTENCES = Sentences(
    _ACTIONS,
)
