"""The founders' side of pilots: what business units see of their startup (the one-liner and
whether partners may download the deck). Their introductions and pilots are on their home
(panels.founder_home)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from accelerator.applications.models import Startup
from accelerator.applications.policies import is_founder_of
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import Role, current_actor, get_or_404, role_required
from accelerator.core.refusals import refusals_beside
from accelerator.extensions import db
from accelerator.pilots import bp, directory, forms, queries, services


def _founder_or_staff(user, startup: Startup) -> bool:
    return user.is_staff or is_founder_of(user, startup.id)


@bp.route("/startups/<int:startup_id>/profile", methods=["GET", "POST"])
@role_required(Role.FOUNDER, Role.STAFF)
def edit_profile(startup_id: int):
    startup = get_or_404(Startup, startup_id, policy=_founder_or_staff)
    profile = queries.partner_profile(startup.id)
    form = forms.ProfileForm(
        data={
            "one_liner": profile.one_liner if profile else "",
            "share_deck": bool(profile and profile.share_deck),
        }
    )
    if form.validate_on_submit():
        with refusals_beside(form):
            services.update_profile(
                startup,
                one_liner=form.one_liner.data or "",
                share_deck=bool(form.share_deck.data),
                actor=current_actor(),
            )
            db.session.commit()
            flash(_("Saved. This is what business-unit partners see."), "success")
            return redirect(url_for("pilots.startup_profile", startup_id=startup.id))
    return render_template(
        "pilots/profile_form.html",
        form=form,
        startup=startup,
        has_deck=directory.enrolled_deck_id(startup.id) is not None,
    )
