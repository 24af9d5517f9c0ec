"""Staff's webhook pages: endpoints, their form, secret, test event, and delivery log."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for

from accelerator.core.errors import ValidationFailed
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.pagination import paginate
from accelerator.core.permissions import Role, current_actor, get_or_404, role_required
from accelerator.core.refusals import answered, refusal_page, refusals_beside
from accelerator.extensions import db
from accelerator.webhooks import bp, queries, services
from accelerator.webhooks.events import EVENTS
from accelerator.webhooks.forms import DisableForm, EndpointForm
from accelerator.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    endpoint = get_or_404(WebhookEndpoint, endpoint_id)
    refusal_page(url_for(".show", endpoint_id=endpoint.id))
    return endpoint


@bp.get("/webhooks")
@role_required(Role.STAFF)
def index():
    return render_template("webhooks/index.html", rows=queries.endpoints())


@bp.route("/webhooks/new", methods=["GET", "POST"])
@role_required(Role.STAFF)
def new():
    form = EndpointForm()
    if form.validate_on_submit():
        with refusals_beside(form):
            endpoint = services.create_endpoint(
                url=form.url.data,
                events_chosen=form.events.data,
                description=form.description.data,
                actor=current_actor(),
            )
            db.session.commit()
            flash(_("Endpoint added. Show its secret to set up your receiver."), "success")
            return redirect(url_for(".show", endpoint_id=endpoint.id))
    return render_template("webhooks/form.html", form=form, endpoint=None)


@bp.route("/webhooks/<int:endpoint_id>/edit", methods=["GET", "POST"])
@role_required(Role.STAFF)
def edit(endpoint_id: int):
    endpoint = _endpoint(endpoint_id)
    form = EndpointForm(obj=endpoint)
    if form.validate_on_submit():
        with refusals_beside(form):
            services.update_endpoint(
                endpoint,
                url=form.url.data,
                events_chosen=form.events.data,
                description=form.description.data,
                actor=current_actor(),
            )
            db.session.commit()
            flash(_("Endpoint saved."), "success")
            return redirect(url_for(".show", endpoint_id=endpoint.id))
    return render_template("webhooks/form.html", form=form, endpoint=endpoint)


def _show(endpoint: WebhookEndpoint, *, secret: str | None = None):
    status = request.args.get("status")
    return render_template(
        "webhooks/show.html",
        endpoint=endpoint,
        page=paginate(queries.deliveries(endpoint.id, status)),
        status=status,
        statuses=list(DeliveryStatus),
        events=EVENTS,
        secret=secret,
        form=ConfirmForm(),
        disable_form=DisableForm(),
    )


@bp.get("/webhooks/<int:endpoint_id>")
@role_required(Role.STAFF)
def show(endpoint_id: int):
    return _show(_endpoint(endpoint_id))


@bp.post("/webhooks/<int:endpoint_id>/secret")
@role_required(Role.STAFF)
def secret(endpoint_id: int):
    """The page again with the secret shown (recorded in the audit log), never cached."""
    endpoint = _endpoint(endpoint_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for(".show", endpoint_id=endpoint.id))
    shown = services.reveal_secret(endpoint, actor=current_actor())
    db.session.commit()
    if shown is None:
        flash(_("This secret cannot be read any more (the app's key changed): rotate it."))
    answered()
    response = make_response(_show(endpoint, secret=shown))
    response.headers["Cache-Control"] = "no-store"
    return response


def _act(endpoint_id: int, act, message: str):
    endpoint = _endpoint(endpoint_id)
    if ConfirmForm().validate_on_submit():
        act(endpoint)
        db.session.commit()
        flash(message, "success")
    return redirect(url_for(".show", endpoint_id=endpoint.id))


@bp.post("/webhooks/<int:endpoint_id>/rotate")
@role_required(Role.STAFF)
def rotate(endpoint_id: int):
    return _act(
        endpoint_id,
        lambda e: services.rotate_secret(e, actor=current_actor()),
        _("New secret made: show it and give it to your receiver."),
    )


@bp.post("/webhooks/<int:endpoint_id>/ping")
@role_required(Role.STAFF)
def ping(endpoint_id: int):
    return _act(
        endpoint_id,
        lambda e: services.send_ping(e, actor=current_actor()),
        _("Test event queued: it appears in the log below once sent."),
    )


@bp.post("/webhooks/<int:endpoint_id>/enable")
@role_required(Role.STAFF)
def enable(endpoint_id: int):
    return _act(
        endpoint_id,
        lambda e: services.enable_endpoint(e, actor=current_actor()),
        _("Endpoint enabled."),
    )


@bp.post("/webhooks/<int:endpoint_id>/disable")
@role_required(Role.STAFF)
def disable(endpoint_id: int):
    endpoint = _endpoint(endpoint_id)
    form = DisableForm()
    if form.validate_on_submit():
        services.disable_endpoint(
            endpoint, actor=current_actor(), reason=(form.reason.data or "").strip()
        )
        db.session.commit()
        flash(_("Endpoint disabled."), "success")
    elif form.reason.errors:
        raise ValidationFailed(str(form.reason.errors[0]), field="reason")
    return redirect(url_for(".show", endpoint_id=endpoint.id))


@bp.post("/webhooks/deliveries/<int:delivery_id>/redeliver")
@role_required(Role.STAFF)
def redeliver(delivery_id: int):
    delivery = get_or_404(WebhookDelivery, delivery_id)
    refusal_page(url_for(".show", endpoint_id=delivery.endpoint_id))
    if ConfirmForm().validate_on_submit():
        services.redeliver(delivery, actor=current_actor())
        db.session.commit()
        flash(_("The delivery will be sent again in a moment."), "success")
    return redirect(url_for(".show", endpoint_id=delivery.endpoint_id))
