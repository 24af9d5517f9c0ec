"""Grant pages: the staff list per cohort, the grant page and the founder's view of it."""

from __future__ import annotations

import json

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from accelerator.applications.models import Startup
from accelerator.auth.models import Role
from accelerator.core.cache import kept_body
from accelerator.core.money import cents_to_input
from accelerator.core.pagination import paginate_rows
from accelerator.core.permissions import get_or_404, role_required
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.grants import bp, forms, queries
from accelerator.grants.ledger import OTHER_TRANCHE, Ledger
from accelerator.grants.models import Disbursement, DisbursementStatus, Grant
from accelerator.grants.policies import can_view_grant
from accelerator.programs import queries as programs
from accelerator.programs.models import Cohort, Enrollment, Program

S = DisbursementStatus
#: The forms of a ledger row, by kind, and the statuses the row shows each in.
ROW_FORMS = {
    "pay": (forms.PayForm, (S.APPROVED,)),
    "cancel": (forms.CancelForm, (S.REQUESTED, S.APPROVED)),
    "correct": (forms.CorrectForm, (S.PAID,)),
}


#: What the grants list reads (rows, their ledgers' totals, a cohort's summary, the filter's
#: programs and cohorts): a committed write to any of them renews the kept list.
LIST_READS = (Grant, Disbursement, Enrollment, Startup, Cohort, Program)


@bp.route("/grants/")
@role_required(Role.STAFF)
def index():
    program_id, cohort_id = programs.selected_filter(request.args)

    def body() -> str:
        page = paginate_rows(
            queries.list_statement(program_id, cohort_id),
            queries.list_count(program_id, cohort_id),
        )
        cohort = db.session.get(Cohort, cohort_id) if cohort_id else None
        return render_template(
            "grants/_index_body.html",
            page=page,
            rows=page.items,
            totals=queries.totals_by_grant([row.id for row in page.items]),
            cohort=cohort,
            summary=queries.cohort_totals(cohort.id) if cohort else None,
        )

    # The same for every staff member asking with the same filters and page (no form that
    # posts): kept as rendered until a grant, a disbursement, an enrollment, a startup, a
    # cohort or a program changes.
    return render_template(
        "grants/index.html", body=kept_body("grants-list", reads=LIST_READS, render=body)
    )


@bp.route("/grants/mine")
@role_required(Role.FOUNDER, Role.STAFF)
def mine():
    if current_user.is_staff:
        return redirect(url_for("grants.index"))
    contexts = queries.founder_grants(current_user)
    if len(contexts) == 1:
        return redirect(url_for("grants.show", grant_id=contexts[0].grant.id))
    return render_template("grants/mine.html", contexts=contexts)


@bp.route("/grants/<int:grant_id>")
@role_required(Role.FOUNDER, Role.STAFF)
def show(grant_id: int):
    grant = get_or_404(Grant, grant_id, policy=can_view_grant)
    return render_grant_page(grant.id)


#: What the staff grant page reads below its heading (the ledger, the people on its rows, the
#: plan of the cohort): a committed write to any of them renews the kept page.
PAGE_READS = ("users", Grant, Disbursement, Enrollment, Startup, Cohort, Program)


def render_grant_page(grant_id: int, *, open_form: str | None = None, **bound):
    """The grant page; an action shown again passes its bound form (by name, or a row's form
    by (kind, row id)) and the form to open."""
    context = queries.load_context(grant_id)
    if context is None:
        abort(404)
    values = {"context": context, "grant": context.grant, "S": S}
    if not current_user.is_staff:
        ledger = queries.ledger_of(context)
        return render_template("grants/founder.html", ledger=ledger, **values)

    def body() -> str:
        ledger = queries.ledger_of(context)
        return render_template(
            "grants/_show_body.html",
            open_form=open_form,
            ledger=ledger,
            **values,
            **staff_forms(ledger, **bound),
        )

    # The same for every staff member but one thing: who may approve a request (not the one
    # who made it). Kept as rendered, keyed by the requests awaiting this viewer's colleagues
    # and by the day (the default payment date), with each view's CSRF token and one-time form
    # keys filled in, until the grant, its ledger, a person on it or its cohort changes.
    # A form sent back with errors is rendered for its sender alone (a POST is never kept).
    mine = tuple(
        db.session.scalars(
            select(Disbursement.id)
            .where(
                Disbursement.grant_id == grant_id,
                Disbursement.status == S.REQUESTED,
                Disbursement.requested_by_id == current_user.id,
            )
            .order_by(Disbursement.id)
        )
    )
    kept = kept_body(
        "grant-page", reads=PAGE_READS, render=body, key=(mine, utcnow().date()), forms=True
    )
    return render_template("grants/show.html", open_form=open_form, body=kept, **values)


def _proposed(ledger: Ledger) -> dict[str, int]:
    """What each tranche of the plan still needs, within what remains of the grant."""
    planned = [t for t in ledger.tranches if t.key != OTHER_TRANCHE]
    return {t.key: min(t.outstanding, ledger.remaining) for t in planned}


def _request_form(ledger: Ledger) -> forms.RequestForm:
    """The request form, proposing what the first unfinished tranche still needs."""
    planned = [t for t in ledger.tranches if t.key != OTHER_TRANCHE]
    default = next((t for t in planned if t.outstanding > 0), planned[0])
    return forms.RequestForm(
        tranches=[(t.key, t.name) for t in planned],
        formdata=None,
        data={"tranche": default.key, "amount": _proposed(ledger)[default.key] or None},
    )


def staff_forms(ledger: Ledger, *, request_form=None, amount_form=None, row_forms=None) -> dict:
    """One form per action; a row's form has a prefix so a page holds many of them."""
    request_form = request_form or _request_form(ledger)
    amounts = {k: cents_to_input(v) if v else "" for k, v in _proposed(ledger).items()}
    request_form.tranche.render_kw = {"data-amounts": json.dumps(amounts)}
    shown: dict[str, dict[int, object]] = {kind: {} for kind in ROW_FORMS}
    for row in ledger.rows:
        for kind, (form_class, statuses) in ROW_FORMS.items():
            if row.status in statuses and not (kind == "correct" and row.is_correction):
                data = {"paid_on": utcnow().date()} if kind == "pay" else None
                shown[kind][row.id] = form_class(
                    prefix=f"{kind}-{row.id}", formdata=None, data=data
                )
    for (kind, row_id), form in (row_forms or {}).items():
        shown[kind][row_id] = form
    return {
        "request_form": request_form,
        "approve_form": forms.ApproveForm(formdata=None),
        "row_forms": shown,
        "amount_form": amount_form or forms.AmountForm(prefix="grant", formdata=None),
    }
