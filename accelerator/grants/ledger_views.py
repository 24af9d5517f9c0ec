"""The staff actions on a grant's ledger (POST only): request, approve, pay, cancel, correct,
and change the grant amount. Each: load, check, validate, one service call, one commit, PRG."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from accelerator.auth.models import Role
from accelerator.core.errors import DomainError
from accelerator.core.forms import show_error
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import refuse
from accelerator.extensions import db
from accelerator.grants import bp, forms, services
from accelerator.grants.ledger import OTHER_TRANCHE, load_context, plan_of
from accelerator.grants.models import Disbursement, Grant
from accelerator.grants.views import render_grant_page


def _back(grant_id: int, row_id: int | None = None):
    anchor = f"d{row_id}" if row_id else None
    return redirect(url_for("grants.show", grant_id=grant_id, _anchor=anchor))


def _refused(error: DomainError, form, grant_id: int, open_form: str, **overrides):
    """Undo the attempt; show a field error beside its field, anything else as a flash."""
    db.session.rollback()
    if error.field and hasattr(form, error.field):
        show_error(form, error)
        return _redisplay(grant_id, open_form, **overrides)
    return refuse(error, url_for("grants.show", grant_id=grant_id))


def _redisplay(grant_id: int, open_form: str, **overrides):
    for form in [overrides.get("request_form"), *overrides.get("row_forms", {}).values()]:
        if isinstance(form, forms.IdempotentForm) and form.rekey_if_broken():
            flash(_("This form had expired. Check it and send it again."), "warning")
    return render_grant_page(load_context(grant_id), open_form=open_form, **overrides)


@bp.route("/grants/<int:grant_id>/disbursements", methods=["POST"])
@role_required(Role.STAFF)
def request_disbursement(grant_id: int):
    context = load_context(get_or_404(Grant, grant_id).id)
    tranches = [
        t for t in plan_of(context.plan, context.grant.amount_cents) if t.key != OTHER_TRANCHE
    ]
    form = forms.RequestForm(tranches=tranches)
    if not form.validate_on_submit():
        return _redisplay(grant_id, "request", request_form=form)
    try:
        row, created = services.request_disbursement(
            context.grant,
            actor=current_actor(),
            tranche_key=form.tranche.data,
            amount_cents=form.amount.cents,
            idempotency_key=form.idempotency_key.data,
            note=form.note.data or "",
        )
    except DomainError as error:
        return _refused(error, form, grant_id, "request", request_form=form)
    db.session.commit()
    if created:
        flash(_("Disbursement requested. Another staff member must approve it."), "success")
    else:
        flash(_("This request was already recorded; nothing was added."), "info")
    return _back(grant_id, row.id)


@bp.route("/grants/disbursements/<int:disbursement_id>/approve", methods=["POST"])
@role_required(Role.STAFF)
def approve(disbursement_id: int):
    row = get_or_404(Disbursement, disbursement_id)
    form = forms.ApproveForm()
    if form.validate_on_submit():
        try:
            services.approve_disbursement(
                row, actor=current_actor(), seen_amount_cents=form.seen_cents
            )
        except DomainError as error:
            return refuse(error, url_for("grants.show", grant_id=row.grant_id))
        db.session.commit()
        flash(_("Disbursement approved. It can now be paid."), "success")
    return _back(row.grant_id, row.id)


@bp.route("/grants/disbursements/<int:disbursement_id>/pay", methods=["POST"])
@role_required(Role.STAFF)
def pay(disbursement_id: int):
    row = get_or_404(Disbursement, disbursement_id)
    grant_id, prefix = row.grant_id, f"pay-{row.id}"
    form = forms.PayForm(prefix=prefix)
    overrides = {"open_form": prefix, "row_forms": {("pay", row.id): form}}
    if not form.validate_on_submit():
        return _redisplay(grant_id, **overrides)
    try:
        services.mark_paid(
            row,
            actor=current_actor(),
            paid_on=form.paid_on.data,
            payment_reference=form.reference.data,
        )
    except DomainError as error:
        return _refused(error, form, grant_id, **overrides)
    db.session.commit()
    flash(_("Payment recorded. The startup's founders are told."), "success")
    return _back(grant_id, row.id)


@bp.route("/grants/disbursements/<int:disbursement_id>/cancel", methods=["POST"])
@role_required(Role.STAFF)
def cancel(disbursement_id: int):
    row = get_or_404(Disbursement, disbursement_id)
    grant_id, prefix = row.grant_id, f"cancel-{row.id}"
    form = forms.CancelForm(prefix=prefix)
    overrides = {"open_form": prefix, "row_forms": {("cancel", row.id): form}}
    if not form.validate_on_submit():
        return _redisplay(grant_id, **overrides)
    try:
        services.cancel_disbursement(row, actor=current_actor(), reason=form.reason.data)
    except DomainError as error:
        return _refused(error, form, grant_id, **overrides)
    db.session.commit()
    flash(_("Disbursement cancelled; its amount is available again."), "success")
    return _back(grant_id, row.id)


@bp.route("/grants/disbursements/<int:disbursement_id>/correct", methods=["POST"])
@role_required(Role.STAFF)
def correct(disbursement_id: int):
    row = get_or_404(Disbursement, disbursement_id)
    grant_id, prefix = row.grant_id, f"correct-{row.id}"
    form = forms.CorrectForm(prefix=prefix)
    overrides = {"open_form": prefix, "row_forms": {("correct", row.id): form}}
    if not form.validate_on_submit():
        return _redisplay(grant_id, **overrides)
    try:
        correction, created = services.correct_payment(
            row,
            actor=current_actor(),
            amount_cents=form.amount.cents,
            reason=form.reason.data,
            idempotency_key=form.idempotency_key.data,
        )
    except DomainError as error:
        return _refused(error, form, grant_id, **overrides)
    db.session.commit()
    flash(
        _("Correction recorded.")
        if created
        else _("This correction was already recorded; nothing was added."),
        "success",
    )
    return _back(grant_id, correction.id)


@bp.route("/grants/<int:grant_id>/amount", methods=["POST"])
@role_required(Role.STAFF)
def change_amount(grant_id: int):
    grant = get_or_404(Grant, grant_id)
    form = forms.AmountForm(prefix="grant")
    if not form.validate_on_submit():
        return _redisplay(grant_id, "amount", amount_form=form)
    try:
        services.change_grant_amount(
            grant, actor=current_actor(), amount_cents=form.amount.cents, reason=form.reason.data
        )
    except DomainError as error:
        return _refused(error, form, grant_id, "amount", amount_form=form)
    db.session.commit()
    flash(_("Grant amount changed."), "success")
    return _back(grant_id)
