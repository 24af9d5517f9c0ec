"""The finance export page: choose a cohort (or all programs) and dates, download CSV/XLSX."""

from __future__ import annotations

from flask import render_template, request

from accelerator.auth.models import Role
from accelerator.core import audit
from accelerator.core.permissions import current_actor, role_required
from accelerator.core.spreadsheets import download
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.grants import bp, exports, forms
from accelerator.grants.views import filter_context
from accelerator.programs import filters


@bp.route("/grants/export")
@role_required(Role.STAFF)
def export():
    form = forms.ExportForm(formdata=request.args if "format" in request.args else None)
    program_id, cohort_id = filters.selected_filter(request.args)
    if "format" not in request.args or not form.validate():
        return render_template("grants/export.html", form=form, **filter_context())
    scope = {
        "program_id": program_id,
        "cohort_id": cohort_id,
        "since": form.since.data,
        "until": form.until.data,
        "basis": form.date_basis.data,
    }
    rows = exports.disbursement_rows(**scope)
    fmt = form.format.data
    body = exports.to_xlsx(rows) if fmt == "xlsx" else exports.to_csv(rows)
    audit.record(
        "grant.ledger_exported",
        actor=current_actor(),
        data={
            **{k: str(v) if v else None for k, v in scope.items()},
            "format": fmt,
            "rows": len(rows),
        },
    )
    db.session.commit()
    return download(body, fmt, f"disbursements-{utcnow():%Y%m%d-%H%M}.{fmt}")
