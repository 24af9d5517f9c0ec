"""The finance export page: choose a cohort (or all programs) and dates, download CSV/XLSX."""

from __future__ import annotations

from flask import render_template, request

from accelerator.auth.models import Role
from accelerator.core.permissions import current_actor, role_required
from accelerator.core.spreadsheets import download, written
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.grants import bp, forms, queries, services
from accelerator.programs import queries as programs


@bp.route("/grants/export")
@role_required(Role.STAFF)
def export():
    form = forms.ExportForm(formdata=request.args if "format" in request.args else None)
    if "format" not in request.args or not form.validate():
        return render_template("grants/export.html", form=form)
    program_id, cohort_id = programs.selected_filter(request.args)
    scope = {
        "program_id": program_id,
        "cohort_id": cohort_id,
        "since": form.since.data,
        "until": form.until.data,
        "basis": form.date_basis.data,
    }
    fmt = form.format.data
    body, rows = written([queries.ledger_sheet(**scope)], fmt)
    services.record_ledger_export(actor=current_actor(), scope=scope, fmt=fmt, rows=rows)
    db.session.commit()
    return download(body, fmt, f"disbursements-{utcnow():%Y%m%d-%H%M}.{fmt}")
