"""How account and sign-in events read in the audit log (core/history.py)."""

from __future__ import annotations

from flask_babel import gettext as _

from accelerator.core.history import Sentence, Sentences
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


_ACTIONS: dict[str, Sentence] = {}

_ACTIONS.update(
    {
        "auth.login": lambda who, d: _("%(who)s signed in.", who=who),
        "auth.logout": lambda who, d: _("%(who)s signed out.", who=who),
        "auth.login_failed": lambda who, d: _(
            "A sign-in as %(email)s failed.", email=d.get("email", "")
        ),
        "auth.password_changed": lambda who, d: _("%(who)s changed their password.", who=who),
        "auth.password_reset": lambda who, d: _(
            "%(who)s chose a new password from a reset link.", who=who
        ),
        "auth.reset_requested": lambda who, d: _("Someone asked for a password reset link."),
        "access.denied": lambda who, d: _(
            "%(who)s was refused a page (%(path)s).", who=who, path=d.get("path", "")
        ),
        "invitation.sent": lambda who, d: _(
            "%(who)s invited %(email)s as %(role)s.",
            who=who,
            email=d.get("email", ""),
            role=_role(d.get("role")),
        ),
        "invitation.accepted": lambda who, d: _(
            "%(who)s accepted an invitation and joined.", who=who
        ),
        "invitation.revoked": lambda who, d: _("%(who)s withdrew an invitation.", who=who),
        "user.created": lambda who, d: _(
            "%(who)s created an account (%(role)s).", who=who, role=_role(d.get("role"))
        ),
        "user.signup_attempted": lambda who, d: _(
            "Someone tried to sign up again with the address of %(who)s.", who=who
        ),
        "user.activated": lambda who, d: _("%(who)s reactivated an account.", who=who),
        "user.deactivated": _deactivated,
        "user.role_changed": lambda who, d: _(
            "%(who)s changed an account's role from %(before)s to %(after)s.",
            who=who,
            before=_role(d.get("from")),
            after=_role(d.get("to")),
        ),
    }
)

SENTENCES = Sentences(
    _ACTIONS,
)
