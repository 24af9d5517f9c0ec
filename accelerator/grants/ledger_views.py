"""The staff actions on a grant's ledger (POST only): request, approve, pay, cancel, correct,
and change the grant amount. Each: load, check, validate, one service call, one commit, PRG.

A form that is invalid, or refused beside one of its fields, is shown again open on the grant
page; a refusal about the whole act (not a field) shows the grant page with it at the top.
"""

from __future__ import annotations

from flask import flash, redirect, url_for

from accelerator.auth.models import Role
from accelerator.auth.policies import second_factor_required
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.extensions import db
from accelerator.grants import bp, forms, queries, services
from accelerator.grants.models import Disbursement, Grant
from accelerator.grants.views import render_grant_page


def _back(grant_id: int, row_id: int | None = None):
    anchor = f"d{row_id}" if row_id else None
    return redirect(url_for("grants.show", grant_id=grant_id, _anchor=anchor))


def _shown_again(grant_id: int, form, open_form: str, **bound):
    """The grant page with `form` open and its errors beside its fields; after a refusal said
    at the top of the page, the page as it stands."""
    if isinstance(form, forms.IdempotentForm) and form.rekey_if_broken():
        # A hidden field shows no error: the form gets a fresh key and says why it is back.
        flash(_("This form had expired. Check it and send it again."), "warning")
    if not any(field.errors for field in form):
        return render_grant_page(grant_id)
    return render_grant_page(grant_id, open_form=open_form, **bound)


def _on_row(disbursement_id: int, kind: str, form_class, act):
    """An action on one ledger row (pay, cancel, correct): its form has the row's prefix;
    `act(row, form)` calls the service and returns (message, the row to show)."""
    row = get_or_404(Disbursement, disbursement_id)
    name = f"{kind}-{row.id}"
    form = form_class(prefix=name)
    if form.validate_on_submit():
        with refusals_beside(form):
            message, shown_id = act(row, form)
            db.session.commit()
            flash(message, "success")
            return _back(row.grant_id, shown_id)
    return _shown_again(row.grant_id, form, name, row_forms={(kind, row.id): form})


@bp.route("/grants/<int:grant_id>/disbursements", methods=["POST"])
@role_required(Role.STAFF)
def request_disbursement(grant_id: int):
    context = queries.load_context(get_or_404(Grant, grant_id).id)
    form = forms.RequestForm(tranches=queries.tranche_choices(context.cohort))
    if form.validate_on_submit():
        with refusals_beside(form):
            row, created = services.request_disbursement(
                context.grant,
                actor=current_actor(),
                tranche_key=form.tranche.data,
                amount_cents=form.amount.cents,
                idempotency_key=form.idempotency_key.data,
                note=form.note.data or "",
            )
            db.session.commit()
            if created:
                flash(_("Disbursement requested. Another staff member must approve it."), "success")
            else:
                flash(_("This request was already recorded; nothing was added."), "info")
            return _back(grant_id, row.id)
    return _shown_again(grant_id, form, "request", request_form=form)


@bp.route("/grants/disbursements/<int:disbursement_id>/approve", methods=["POST"])
@role_required(Role.STAFF)
@second_factor_required
def approve(disbursement_id: int):
    row = get_or_404(Disbursement, disbursement_id)
    refusal_page(url_for("grants.show", grant_id=row.grant_id))
    form = forms.ApproveForm()
    if form.validate_on_submit():
        services.approve_disbursement(row, actor=current_actor(), seen_amount_cents=form.seen_cents)
        db.session.commit()
        flash(_("Disbursement approved. It can now be paid."), "success")
    return _back(row.grant_id, row.id)


@bp.route("/grants/disbursements/<int:disbursement_id>/pay", methods=["POST"])
@role_required(Role.STAFF)
@second_factor_required
def pay(disbursement_id: int):
    def act(row, form):
        services.mark_paid(
            row,
            actor=current_actor(),
            paid_on=form.paid_on.data,
            payment_reference=form.reference.data,
        )
        return _("Payment recorded. The startup's founders are told."), row.id

    return _on_row(disbursement_id, "pay", forms.PayForm, act)


@bp.route("/grants/disbursements/<int:disbursement_id>/cancel", methods=["POST"])
@role_required(Role.STAFF)
def cancel(disbursement_id: int):
    def act(row, form):
        services.cancel_disbursement(row, actor=current_actor(), reason=form.reason.data)
        return _("Disbursement cancelled; its amount is available again."), row.id

    return _on_row(disbursement_id, "cancel", forms.CancelForm, act)


@bp.route("/grants/disbursements/<int:disbursement_id>/correct", methods=["POST"])
@role_required(Role.STAFF)
def correct(disbursement_id: int):
    def act(row, form):
        correction, created = services.correct_payment(
            row,
            actor=current_actor(),
            amount_cents=form.amount.cents,
            reason=form.reason.data,
            idempotency_key=form.idempotency_key.data,
        )
        if created:
            return _("Correction recorded."), correction.id
        return _("This correction was already recorded; nothing was added."), correction.id

    return _on_row(disbursement_id, "correct", forms.CorrectForm, act)


@bp.route("/grants/<int:grant_id>/amount", methods=["POST"])
@role_required(Role.STAFF)
def change_amount(grant_id: int):
    grant = get_or_404(Grant, grant_id)
    form = forms.AmountForm(prefix="grant")
    if form.validate_on_submit():
        with refusals_beside(form):
            services.change_grant_amount(
                grant,
                actor=current_actor(),
                amount_cents=form.amount.cents,
                reason=form.reason.data,
            )
            db.session.commit()
            flash(_("Grant amount changed."), "success")
            return _back(grant_id)
    return _shown_again(grant_id, form, "amount", amount_form=form)
