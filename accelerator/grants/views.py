"""Grant pages: the staff list per cohort, the grant page, the founder's view, home panels."""

from __future__ import annotations

import json

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from accelerator.applications.models import Startup, StartupMember
from accelerator.auth.models import Role
from accelerator.core.money import cents_to_input
from accelerator.core.pagination import paginate
from accelerator.core.permissions import get_or_404, role_required
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.grants import bp, forms
from accelerator.grants.ledger import (
    GrantContext,
    Ledger,
    cohort_totals,
    ledger_of,
    load_context,
    load_contexts,
    totals_by_grant,
)
from accelerator.grants.models import Disbursement, DisbursementStatus, Grant
from accelerator.grants.policies import can_view_grant
from accelerator.programs import filters
from accelerator.programs.models import Cohort, Enrollment, Program


def filter_context() -> dict:
    """What the shared programs filter partial needs (also if not a Jinja global yet)."""
    return {"cohort_choices": filters.cohort_choices, "program_choices": filters.program_choices}


@bp.route("/grants/")
@role_required(Role.STAFF)
def index():
    program_id, cohort_id = filters.selected_filter(request.args)
    statement = (
        select(Grant)
        .join(Enrollment, Enrollment.id == Grant.enrollment_id)
        .join(Startup, Startup.id == Enrollment.startup_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .order_by(Program.name, Cohort.starts_on.desc(), Startup.name, Grant.id)
    )
    statement = filters.narrow(statement, Enrollment.cohort_id, program_id, cohort_id)
    page = paginate(statement)
    ids = [grant.id for grant in page.items]
    contexts = load_contexts(ids)
    rows = [contexts[gid] for gid in ids if gid in contexts]
    totals = totals_by_grant(ids)
    cohort = db.session.get(Cohort, cohort_id) if cohort_id else None
    summary = cohort_totals(cohort.id) if cohort else None
    return render_template(
        "grants/index.html",
        page=page,
        rows=rows,
        totals=totals,
        cohort=cohort,
        summary=summary,
        **filter_context(),
    )


@bp.route("/grants/mine")
@role_required(Role.FOUNDER, Role.STAFF)
def mine():
    if current_user.is_staff:
        return redirect(url_for("grants.index"))
    contexts = founder_grants(current_user.id)
    if len(contexts) == 1:
        return redirect(url_for("grants.show", grant_id=contexts[0].grant.id))
    return render_template("grants/mine.html", contexts=contexts)


@bp.route("/grants/<int:grant_id>")
@role_required(Role.FOUNDER, Role.STAFF)
def show(grant_id: int):
    grant = get_or_404(Grant, grant_id, policy=can_view_grant)
    context = load_context(grant.id)
    if context is None:
        abort(404)
    return render_grant_page(context)


def render_grant_page(context: GrantContext, *, open_form: str | None = None, **overrides):
    """The grant page; a failed action passes its bound form (by name) to show its errors."""
    ledger = ledger_of(context)
    values = {
        "context": context,
        "grant": context.grant,
        "ledger": ledger,
        "S": DisbursementStatus,
    }
    if not current_user.is_staff:
        return render_template("grants/founder.html", **values)
    values.update(staff_forms(ledger, overrides))
    values["open_form"] = open_form
    return render_template("grants/show.html", **values)


def staff_forms(ledger: Ledger, overrides: dict) -> dict:
    """One form per action; a row's form has a prefix so a page holds many of them."""
    planned = [t for t in ledger.tranches if t.key != "_other"]
    default = next((t for t in planned if t.outstanding > 0), planned[0])
    defaults = {t.key: min(t.outstanding, ledger.remaining) for t in planned}
    request_form = overrides.pop("request_form", None) or forms.RequestForm(
        tranches=planned,
        formdata=None,
        data={"tranche": default.key, "amount": defaults[default.key] or None},
    )
    request_form.tranche.render_kw = {
        "data-amounts": json.dumps({k: cents_to_input(v) if v else "" for k, v in defaults.items()})
    }
    row_forms: dict[str, dict[int, object]] = {"pay": {}, "cancel": {}, "correct": {}}
    for row in ledger.rows:
        if row.status == DisbursementStatus.APPROVED:
            row_forms["pay"][row.id] = forms.PayForm(
                prefix=f"pay-{row.id}", formdata=None, data={"paid_on": utcnow().date()}
            )
        if row.status in (DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED):
            row_forms["cancel"][row.id] = forms.CancelForm(prefix=f"cancel-{row.id}", formdata=None)
        if row.status == DisbursementStatus.PAID and not row.is_correction:
            row_forms["correct"][row.id] = forms.CorrectForm(
                prefix=f"correct-{row.id}", formdata=None
            )
    for (kind, row_id), form in overrides.pop("row_forms", {}).items():
        row_forms[kind][row_id] = form
    return {
        "request_form": request_form,
        "approve_form": forms.ApproveForm(formdata=None),
        "row_forms": row_forms,
        "amount_form": overrides.pop("amount_form", None)
        or forms.AmountForm(prefix="grant", formdata=None),
    }


def founder_grants(user_id: int) -> list[GrantContext]:
    statement = (
        select(Grant.id)
        .join(Enrollment, Enrollment.id == Grant.enrollment_id)
        .join(StartupMember, StartupMember.startup_id == Enrollment.startup_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(StartupMember.user_id == user_id)
        .order_by(Cohort.starts_on.desc())
    )
    ids = list(db.session.scalars(statement))
    contexts = load_contexts(ids)
    return [contexts[gid] for gid in ids if gid in contexts]


@bp.app_template_global()
def grants_cohort_summary(cohort) -> dict:
    """Money of a cohort's grants, for the panel on the staff cohort page."""
    return cohort_totals(cohort.id)


def staff_home_panel(user):
    waiting = db.session.scalars(
        select(Disbursement)
        .where(
            Disbursement.status == DisbursementStatus.REQUESTED,
            Disbursement.requested_by_id != user.id,
        )
        .order_by(Disbursement.requested_at)
        .limit(50)
    ).all()
    approved = db.session.scalar(
        select(func.count(Disbursement.id)).where(
            Disbursement.status == DisbursementStatus.APPROVED
        )
    )
    if not waiting and not approved:
        return None
    return {
        "waiting": waiting[:8],
        "waiting_count": len(waiting),
        "approved_count": approved,
        "grant_contexts": load_contexts(row.grant_id for row in waiting[:8]),
    }


def founder_home_panel(user):
    contexts = founder_grants(user.id)
    if not contexts:
        return None
    return {
        "grant_ledgers": [(c, ledger_of(c, people=False)) for c in contexts[:2]],
    }


def startup_staff_panel(startup):
    """On the staff startup page: each grant of the startup with its ledger."""
    grant_ids = list(
        db.session.scalars(
            select(Grant.id)
            .join(Enrollment, Enrollment.id == Grant.enrollment_id)
            .where(Enrollment.startup_id == startup.id)
            .order_by(Grant.id.desc())
        )
    )
    if not grant_ids:
        return None
    contexts = load_contexts(grant_ids)
    ledgers = [(contexts[gid], ledger_of(contexts[gid])) for gid in grant_ids if gid in contexts]
    return {"ledgers": ledgers}
