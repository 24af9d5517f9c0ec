"""Founders' pages for their startup: the profile, co-founder invitations, joining a startup."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from accelerator.applications import bp
from accelerator.applications import startups as service
from accelerator.applications.forms import InviteCofounderForm, StartupForm, profile_data
from accelerator.applications.models import StartupInvitation
from accelerator.applications.policies import can_manage_startup_invitation
from accelerator.applications.queries import founder_startup_id
from accelerator.auth.models import Role
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.core.tokens import link_gone
from accelerator.core.urls import safe_next
from accelerator.extensions import db


def _page(form, invite_form, startup, status=200):
    return render_template(
        "applications/startup.html",
        form=form,
        invite_form=invite_form,
        startup=startup,
        invitations=service.pending_invitations(startup) if startup else [],
        confirm_form=ConfirmForm(),
        next_url=safe_next(request.args.get("next")),
    ), status


@bp.route("/startup", methods=["GET", "POST"])
@role_required(Role.FOUNDER)
def startup():
    startup_id = founder_startup_id(current_user)
    startup = service.load_startup(startup_id) if startup_id else None
    form = StartupForm(data=profile_data(startup))
    if form.validate_on_submit():
        with refusals_beside(form):
            service.save_profile(startup, actor=current_actor(), **form.profile_values())
            db.session.commit()
            flash(_("Your startup profile is saved."), "success")
            return redirect(safe_next(request.args.get("next")) or url_for(".startup"))
    return _page(form, InviteCofounderForm(formdata=None), startup)


@bp.route("/startup/invitations", methods=["POST"])
@role_required(Role.FOUNDER)
def invite_cofounder():
    startup = service.startup_of(current_user)
    if startup is None:
        flash(_("Create your startup's profile first."), "warning")
        return redirect(url_for(".startup"))
    invite_form = InviteCofounderForm()
    if invite_form.validate_on_submit():
        with refusals_beside(invite_form):
            service.invite_cofounder(startup, email=invite_form.email.data, actor=current_actor())
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=invite_form.email.data), "success")
            return redirect(url_for(".startup"))
    startup = service.load_startup(startup.id)
    form = StartupForm(formdata=None, data=profile_data(startup))
    return _page(form, invite_form, startup)


@bp.route("/startup/invitations/<int:invitation_id>/revoke", methods=["POST"])
@role_required(Role.FOUNDER)
def revoke_cofounder_invitation(invitation_id: int):
    invitation = get_or_404(StartupInvitation, invitation_id, policy=can_manage_startup_invitation)
    refusal_page(url_for(".startup"))
    if ConfirmForm().validate_on_submit():
        service.revoke_cofounder_invitation(invitation, actor=current_actor())
        db.session.commit()
        flash(_("Invitation revoked."), "info")
    return redirect(url_for(".startup"))


@bp.route("/startup/join/<token>", methods=["GET", "POST"])
def join_startup(token: str):
    invitation = service.invitation_for_token(token)
    if invitation is None:
        flash(link_gone(), "warning")
        return redirect(url_for("auth.login"))
    if request.method == "POST":
        return _join(token)
    return render_template(
        "applications/join.html",
        invitation=invitation,
        token=token,
        current_startup_id=founder_startup_id(current_user),
        confirm_form=ConfirmForm(),
    )


@login_required
def _join(token: str):
    refusal_page(url_for(".join_startup", token=token))
    if ConfirmForm().validate_on_submit():
        service.join_startup(token, user=current_actor())
        db.session.commit()
        flash(_("Welcome aboard: you are now a founder of this startup."), "success")
        return redirect(url_for(".startup"))
    return redirect(url_for(".join_startup", token=token))
