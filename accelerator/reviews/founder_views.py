"""The startup's side of a decision: confirming or declining the place (the offer is shown on
the application's page; the old offer address leads there)."""

from __future__ import annotations

from flask import flash, redirect, url_for

from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import Role, current_actor, role_required
from accelerator.core.refusals import refusal_page
from accelerator.extensions import db
from accelerator.reviews import bp, services
from accelerator.reviews.decision_views import load_application
from accelerator.reviews.policies import can_answer_offer, can_view_offer


@bp.route("/reviews/offers/<int:application_id>")
@role_required(Role.FOUNDER, Role.STAFF)
def offer(application_id: int):
    """Old links (mail, bookmarks): the offer lives on one page, the application's."""
    load_application(application_id, policy=can_view_offer)
    return redirect(url_for("applications.show", application_id=application_id))


def _answer(application_id: int, answer, message: str, category: str, onward: str | None = None):
    """Confirm or decline the offer from the application's page, then go `onward` (else back
    to that page)."""
    application = load_application(application_id, policy=can_answer_offer)
    page = url_for("applications.show", application_id=application_id)
    refusal_page(page)
    if not ConfirmForm().validate_on_submit():
        return redirect(page)
    answer(application, actor=current_actor())
    db.session.commit()
    flash(message, category)
    return redirect(onward or page)


@bp.route("/reviews/offers/<int:application_id>/confirm", methods=["POST"])
@role_required(Role.FOUNDER)
def confirm_offer(application_id: int):
    # Onward to the enrolled startup's home: its grant and what comes next.
    return _answer(
        application_id,
        services.confirm_offer,
        _("Welcome aboard! Your place is confirmed: you are enrolled."),
        "success",
        onward=url_for("site.home"),
    )


@bp.route("/reviews/offers/<int:application_id>/decline", methods=["POST"])
@role_required(Role.FOUNDER)
def decline_offer(application_id: int):
    return _answer(
        application_id,
        services.decline_offer,
        _("You declined the offer. Thank you for letting us know."),
        "info",
    )
