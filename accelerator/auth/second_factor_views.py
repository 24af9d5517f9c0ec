"""Two-step verification pages: set it up (QR code, key, first code), recovery codes shown
once, turn it off (not staff), and an administrator's reset of someone's lost second factor."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import login_required

from accelerator.auth import bp, second_factor
from accelerator.auth.forms import (
    DisableSecondFactorForm,
    EnableSecondFactorForm,
    RecoveryCodesForm,
)
from accelerator.auth.models import Role, User
from accelerator.auth.step_up import mark_verified, second_factor_required
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import answered, refusal_page, refusals_beside
from accelerator.core.urls import safe_next
from accelerator.extensions import db

PENDING = "second_factor_pending"  # the secret being set up, until its first code is typed


def _next_url() -> str | None:
    return safe_next(request.args.get("next"))


def _page(enable_form=None, codes_form=None, disable_form=None):
    user = current_actor()
    context = {"user": user, "next_url": _next_url()}
    if user.has_second_factor:
        context.update(
            codes_form=codes_form or RecoveryCodesForm(prefix="codes"),
            disable_form=disable_form or DisableSecondFactorForm(prefix="off"),
            codes_left=second_factor.recovery_codes_left(user),
        )
    else:
        pending = session.get(PENDING)
        secret = (pending and second_factor.unseal(pending)) or second_factor.new_secret()
        session[PENDING] = second_factor.seal(secret)  # the cookie is signed, not encrypted
        uri = second_factor.otpauth_uri(user, secret)
        context.update(
            enable_form=enable_form or EnableSecondFactorForm(),
            secret=second_factor.formatted(secret),
            qr=second_factor.qr_svg(uri),
            uri=uri,
        )
    return render_template("auth/second_factor.html", **context)


def _keep_failure() -> None:
    """A wrong code is audited and counts towards the limit of wrong codes, refused or not:
    the only thing the refused attempt saves."""
    if any(event.action == "second_factor.failed" for event in db.session.new):
        db.session.commit()


def _codes_page(codes: list[str]):
    answered()  # this POST's page is its result: the codes, shown this once
    page = render_template("auth/recovery_codes.html", codes=codes, next_url=_next_url())
    return page, 200, {"Cache-Control": "no-store"}


@bp.route("/account/two-step")
@login_required
def second_factor_page():
    return _page()


@bp.route("/account/two-step/enable", methods=["POST"])
@login_required
def enable_second_factor():
    form = EnableSecondFactorForm()
    if form.validate_on_submit():
        user = current_actor()
        with refusals_beside(form):
            secret = second_factor.unseal(session.get(PENDING) or "") or ""
            codes = second_factor.enable(user, secret=secret, code=form.code.data)
            db.session.commit()
            session.pop(PENDING, None)
            mark_verified(user)
            flash(_("Two-step verification is on."), "success")
            return _codes_page(codes)
    return _page(enable_form=form)


@bp.route("/account/two-step/recovery-codes", methods=["POST"])
@login_required
def regenerate_recovery_codes():
    form = RecoveryCodesForm(prefix="codes")
    if form.validate_on_submit():
        with refusals_beside(form):
            codes = second_factor.regenerate_recovery_codes(current_actor(), code=form.code.data)
            db.session.commit()
            flash(_("New recovery codes made: the old ones no longer work."), "success")
            return _codes_page(codes)
        _keep_failure()
    return _page(codes_form=form)


@bp.route("/account/two-step/disable", methods=["POST"])
@login_required
def disable_second_factor():
    form = DisableSecondFactorForm(prefix="off")
    refusal_page(url_for("auth.second_factor_page"))
    if form.validate_on_submit():
        with refusals_beside(form):
            second_factor.disable(current_actor(), code=form.code.data)
            db.session.commit()
            flash(_("Two-step verification is off."), "info")
            return redirect(url_for("auth.account"))
        _keep_failure()
    return _page(disable_form=form)


@bp.route("/users/<int:user_id>/second-factor/reset", methods=["POST"])
@role_required(Role.ADMIN)
@second_factor_required
def reset_second_factor(user_id: int):
    user = get_or_404(User, user_id)
    refusal_page(url_for("auth.users"))
    if ConfirmForm().validate_on_submit():
        second_factor.reset(user, actor=current_actor())
        db.session.commit()
        flash(
            _("%(name)s's two-step verification is reset: they set it up again.", name=user.name),
            "success",
        )
    return redirect(url_for("auth.users"))
