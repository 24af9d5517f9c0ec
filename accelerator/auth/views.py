"""Sign-up, login, logout, password reset, account settings and accepting invitations."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from accelerator.auth import bp, services, sso
from accelerator.auth.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    ResetPasswordForm,
    SignupForm,
)
from accelerator.auth.step_up import forget_verification
from accelerator.core.forms import choices
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import current_actor
from accelerator.core.refusals import refusals_beside
from accelerator.core.tokens import link_gone
from accelerator.core.urls import safe_next
from accelerator.extensions import db, limiter


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _limits_off() -> bool:
    # The limiter object is shared by every app built in this process (the test-suite builds
    # several); each app's own RATELIMIT_ENABLED decides.
    return not current_app.config.get("RATELIMIT_ENABLED", True)


def _account_login_limit() -> str:
    return current_app.config["ACCOUNT_LOGIN_RATE_LIMIT"]


def _posted_account() -> str:
    """The rate-limit key of a login attempt: the account tried, wherever the attempt is from."""
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], exempt_when=_limits_off)
@limiter.limit(
    _account_login_limit, key_func=_posted_account, methods=["POST"], exempt_when=_limits_off
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        db.session.commit()
        if user is None:
            form.password.errors.append(_("Email or password is not correct."))
        else:
            login_user(user, remember=form.remember.data)
            flash(_("Welcome back, %(name)s.", name=user.name), "success")
            return redirect(safe_next(request.args.get("next")) or url_for("site.home"))
    return render_template("auth/login.html", form=form, sso_name=sso.provider_name())


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    services.logout_everywhere(current_actor())
    db.session.commit()
    logout_user()
    forget_verification()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


def _signup_limit() -> str:
    return current_app.config["SIGNUP_RATE_LIMIT"]


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(_signup_limit, methods=["POST"], exempt_when=_limits_off)
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    form = SignupForm()
    if form.validate_on_submit():
        with refusals_beside(form):
            user = services.sign_up_founder(
                email=form.email.data, name=form.name.data, password=form.password.data
            )
            db.session.commit()
            if user is None:  # the address has an account: its owner is told by mail
                flash(
                    _(
                        "We sent a message to %(email)s: follow it to continue.",
                        email=form.email.data,
                    ),
                    "info",
                )
                return redirect(url_for("auth.login"))
            login_user(user)
            flash(_("Your account is ready. Welcome to Accelerator!"), "success")
            return redirect(safe_next(request.args.get("next")) or url_for("site.home"))
    return render_template("auth/signup.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], exempt_when=_limits_off)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(
            _(
                "If an account exists for %(email)s, a reset link is on its way.",
                email=form.email.data,
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], exempt_when=_limits_off)
def reset_password(token: str):
    if services.user_for_reset_token(token) is None:
        flash(_("This reset link has expired or was already used. Ask for a new one."), "warning")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        with refusals_beside(form):
            services.reset_password(token, form.password.data)
            db.session.commit()
            logout_user()
            flash(_("Your password is changed. Sign in with it now."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = ChangePasswordForm()
    language_form = _language_form()
    if form.validate_on_submit():
        user = current_actor()
        with refusals_beside(form):
            services.change_password(
                user, current=form.current_password.data, new=form.new_password.data
            )
            db.session.commit()
            # This browser keeps its session (and "keep me signed in"); every other one ends.
            remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            login_user(user, remember=remember_cookie in request.cookies)
            flash(_("Your password is changed. Other devices have been signed out."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, language_form=language_form)


def _language_form() -> LanguageForm:
    form = LanguageForm(prefix="lang")
    form.language.choices = choices(current_app.config["LANGUAGES"].items())
    return form


@bp.route("/language", methods=["POST"])
def set_language():
    form = _language_form()
    if form.validate_on_submit():
        code = form.language.data
        session["language"] = code
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
        flash(_("Language changed."), "info")
    else:
        flash(_("Choose one of the offered languages."), "warning")
    return redirect(safe_next(request.form.get("next")) or url_for("site.home"))


@bp.route("/invitations/accept/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        flash(link_gone(), "warning")
        return redirect(url_for("auth.login"))
    if current_user.is_authenticated:
        logout_user()
    form = AcceptInvitationForm(name=invitation.name)
    if form.validate_on_submit():
        with refusals_beside(form):
            user = services.accept_invitation(
                token, name=form.name.data, password=form.password.data
            )
            db.session.commit()
            login_user(user)
            flash(_("Welcome to Accelerator, %(name)s.", name=user.name), "success")
            return redirect(url_for("site.home"))
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation)
