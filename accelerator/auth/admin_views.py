"""Staff and admin pages for people: invitations and the user list."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from accelerator.auth import (
    bp,
    policies,  # noqa: F401  (registers the pages' can_* globals)
    queries,
    services,
)
from accelerator.auth.forms import InviteForm, RoleForm
from accelerator.auth.models import Invitation, Role, User
from accelerator.auth.step_up import second_factor_required
from accelerator.core.errors import Invalid
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.pagination import paginate
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.extensions import db


@bp.route("/invitations", methods=["GET", "POST"])
@role_required(Role.STAFF)
def invitations():
    form = InviteForm()
    if form.validate_on_submit():
        with refusals_beside(form):
            services.invite(
                email=form.email.data,
                name=form.name.data,
                role=Role(form.role.data),
                actor=current_actor(),
            )
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("auth.invitations"))
    page = paginate(select(Invitation).order_by(Invitation.created_at.desc()))
    return render_template(
        "auth/invitations.html", form=form, page=page, confirm_form=ConfirmForm()
    )


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@role_required(Role.STAFF)
def revoke_invitation(invitation_id: int):
    invitation = get_or_404(Invitation, invitation_id)
    refusal_page(url_for("auth.invitations"))
    if ConfirmForm().validate_on_submit():
        services.revoke_invitation(invitation, actor=current_actor())
        db.session.commit()
        flash(_("Invitation revoked."), "info")
    return redirect(url_for("auth.invitations"))


@bp.route("/users")
@role_required(Role.STAFF)
def users():
    role = request.args.get("role")
    query = (request.args.get("q") or "").strip()
    return render_template(
        "auth/users.html",
        page=paginate(queries.people(role=role, query=query)),
        roles=list(Role),
        role=role,
        query=query,
        confirm_form=ConfirmForm(),
        role_form=RoleForm(),
    )


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@role_required(Role.ADMIN)
def set_user_active(user_id: int):
    user = get_or_404(User, user_id)
    refusal_page(url_for("auth.users"))
    active = request.args.get("active") == "1"
    if ConfirmForm().validate_on_submit():
        services.set_active(user, active=active, actor=current_actor())
        db.session.commit()
        if active:
            message = _("%(name)s can sign in again.", name=user.name)
        else:
            message = _("%(name)s is deactivated and signed out everywhere.", name=user.name)
        flash(message, "success")
    return redirect(url_for("auth.users"))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@role_required(Role.ADMIN)
@second_factor_required
def set_user_role(user_id: int):
    user = get_or_404(User, user_id)
    refusal_page(url_for("auth.users"))
    form = RoleForm()
    if not form.validate_on_submit():
        raise Invalid(_("Choose a valid role."))
    services.change_role(user, role=Role(form.role.data), actor=current_actor())
    db.session.commit()
    flash(_("%(name)s is now %(role)s.", name=user.name, role=user.role.label), "success")
    return redirect(url_for("auth.users"))
