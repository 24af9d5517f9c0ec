"""The step-up before acts that move money or power ("sudo mode"): staff and administrators
type a code of their second factor, at most every SECOND_FACTOR_FRESH_MINUTES.

    @bp.route("/grants/disbursements/<int:disbursement_id>/approve", methods=["POST"])
    @role_required(Role.STAFF)
    @second_factor_required
    def approve(...): ...

    @second_factor_required(when=lambda: "write" in request.form.getlist("scopes"))

or inside a view: `if (answer := require_second_factor()) is not None: return answer`.

A staff member without a second factor is refused (409) with a link to set it up. One whose
last verification is older than the window gets a page asking for the code (401) that sends
the original form again, every field as it was typed (its CSRF token included), to the
original URL, with the code; a wrong code answers 422 with the message beside the field. A
code accepted is committed at once (never accepted twice) and the session remembers the time.
Founders, mentors and partners pass: they hold none of these acts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import current_app, render_template, request, session, url_for
from flask_login import current_user

from accelerator.auth import second_factor
from accelerator.core.error_pages import TITLES
from accelerator.core.i18n import gettext as _
from accelerator.core.refusals import problem, wants_json
from accelerator.core.types import utcnow
from accelerator.core.urls import safe_next
from accelerator.extensions import db

SESSION_KEY = "second_factor"
CODE_FIELD = "second_factor_code"


def mark_verified(user) -> None:
    """This session proved the user's second factor now."""
    session[SESSION_KEY] = {"user": user.id, "at": utcnow().timestamp()}


def forget_verification() -> None:
    """The session must prove the second factor again (signing out)."""
    session.pop(SESSION_KEY, None)


def is_fresh(user) -> bool:
    """Whether this session verified the user's second factor within the window."""
    seen = session.get(SESSION_KEY) or {}
    if seen.get("user") != user.id or not user.has_second_factor:
        return False
    window = current_app.config.get("SECOND_FACTOR_FRESH_MINUTES", 10) * 60
    age = utcnow().timestamp() - float(seen.get("at") or 0)
    return 0 <= age < window


def _kept_fields() -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.form.items(multi=True) if k != CODE_FIELD]


def _came_from() -> str | None:
    """The same-site page the form was on (its Referer), as a path."""
    parts = urlsplit(request.referrer or "")
    if not parts.path or (parts.netloc and parts.netloc != request.host):
        return None
    return safe_next(parts.path + (f"?{parts.query}" if parts.query else ""))


def _not_enrolled():
    message = _("Set up two-step verification before you approve or pay money or change roles.")
    if wants_json():
        return problem(409, str(TITLES[409]), message)
    enrol_url = url_for("auth.second_factor_page", next=_came_from())
    return render_template("auth/step_up_enrol.html", message=message, enrol_url=enrol_url), 409


def _ask(error: str | None = None):
    status = 422 if error else 401
    if wants_json():
        detail = error or _("Send a code of your second factor as %(field)s.", field=CODE_FIELD)
        return problem(status, _("Two-step verification"), detail, field=CODE_FIELD)
    page = render_template(
        "auth/step_up.html",
        action=request.script_root + request.full_path.rstrip("?"),
        fields=_kept_fields(),
        code_field=CODE_FIELD,
        error=error,
        back=_came_from(),
    )
    return page, status


def require_second_factor():
    """None when the act may go on; else the answer to return (refusal or the code page).

    Call it at the top of a POST view (after the role check), or use the decorator."""
    user = current_user
    if request.method != "POST" or not getattr(user, "is_staff", False):
        return None  # reading, anonymous (the role check answers), or not staff
    if not user.has_second_factor:
        return _not_enrolled()
    if is_fresh(user):
        return None
    if CODE_FIELD not in request.form:
        return _ask()
    verdict = second_factor.verify(user, request.form.get(CODE_FIELD))
    db.session.commit()  # the code is used up (or the failure audited) whatever the act does
    if not verdict:
        return _ask(verdict.problem)
    mark_verified(user)
    return None


def second_factor_required(view: Callable | None = None, *, when: Callable[[], bool] | None = None):
    """Decorate a POST view so staff verify their second factor first (see the module).

    `when`, if given, is asked (no arguments; read `request`) and the step-up applies only when
    it answers true."""

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if when is None or when():
                answer = require_second_factor()
                if answer is not None:
                    return answer
            return fn(*args, **kwargs)

        wrapper.second_factor_required = True  # type: ignore[attr-defined]
        return wrapper

    return decorate(view) if view is not None else decorate
