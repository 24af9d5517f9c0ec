"""The startup's side of a decision: its offer page, confirming or declining the place."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from accelerator.core.errors import DomainError
from accelerator.core.forms import ConfirmForm
from accelerator.core.permissions import Role, current_actor, role_required
from accelerator.core.refusals import refuse
from accelerator.extensions import db
from accelerator.programs.models import Program
from accelerator.reviews import bp, services
from accelerator.reviews.decision_views import load_application
from accelerator.reviews.policies import can_answer_offer, can_view_offer


@bp.route("/reviews/offers/<int:application_id>")
@role_required(Role.FOUNDER, Role.STAFF)
def offer(application_id: int):
    application = load_application(application_id, policy=can_view_offer)
    return render_template(
        "reviews/offer.html",
        application=application,
        program=db.session.get(Program, application.cohort.program_id),
    )


def _answer(application_id: int, answer) -> Response:
    application = load_application(application_id, policy=can_answer_offer)
    if ConfirmForm().validate_on_submit():
        try:
            answer(application, actor=current_actor())
        except DomainError as error:
            return refuse(error, url_for("reviews.offer", application_id=application_id))
        db.session.commit()
        return None
    return redirect(url_for("reviews.offer", application_id=application_id))


@bp.route("/reviews/offers/<int:application_id>/confirm", methods=["POST"])
@role_required(Role.FOUNDER)
def confirm_offer(application_id: int):
    refused = _answer(application_id, services.confirm_offer)
    if refused is None:
        flash(_("Welcome aboard! Your place is confirmed: you are enrolled."), "success")
    return refused or redirect(url_for("reviews.offer", application_id=application_id))


@bp.route("/reviews/offers/<int:application_id>/decline", methods=["POST"])
@role_required(Role.FOUNDER)
def decline_offer(application_id: int):
    refused = _answer(application_id, services.decline_offer)
    if refused is None:
        flash(_("You declined the offer. Thank you for letting us know."), "info")
    return refused or redirect(url_for("reviews.offer", application_id=application_id))
