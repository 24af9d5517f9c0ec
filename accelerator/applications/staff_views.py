"""Staff pages: the applications list, its CSV/XLSX export, and the CSV import."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy.orm import joinedload

from accelerator.applications import bp, exporting, importing
from accelerator.applications.exporting import export_response
from accelerator.applications.forms import ImportUploadForm
from accelerator.applications.import_forms import mapping_form, submitted_mapping
from accelerator.applications.models import (
    Application,
    ApplicationImport,
    ApplicationStatus,
    ImportState,
    Stage,
    Startup,
)
from accelerator.applications.queries import (
    SORTS,
    ListFilters,
    count_statement,
    list_rows_statement,
    sectors_in_use,
)
from accelerator.applications.vocab import country_pairs
from accelerator.auth.models import Role
from accelerator.config import ROOT
from accelerator.core.cache import kept_body
from accelerator.core.i18n import gettext as _
from accelerator.core.pagination import paginate
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import answered, note_refusal, refusals_beside
from accelerator.extensions import db
from accelerator.jobs import services as job_services
from accelerator.programs.models import Cohort, Program
from accelerator.programs.queries import cohort_choices

SAMPLE_CSV = ROOT / "seed_data" / "sample_applications_import.csv"
_BATCH_OPTIONS = (
    joinedload(ApplicationImport.cohort).joinedload(Cohort.program),
    joinedload(ApplicationImport.file),
)


SEARCH_COUNT_CAP = 1000


#: What the applications list reads: a committed write to any of them renews it.
LIST_READS = (Application, Startup, Cohort, Program)


@bp.route("/applications")
@role_required(Role.STAFF)
def index():
    filters = ListFilters.from_args(request.args)

    def body() -> str:
        return render_template(
            "applications/_list_body.html",
            page=paginate(
                list_rows_statement(filters),
                count_statement=count_statement(filters),
                # A name search may match thousands: count to a thousand, say "more than".
                count_cap=SEARCH_COUNT_CAP if filters.q else None,
                rows=True,
            ),
            filters=filters,
            statuses=list(ApplicationStatus),
            stages=list(Stage),
            sectors=sectors_in_use(),
            countries=country_pairs(),
            sorts=list(SORTS),
        )

    # The same for every staff member asking with the same filters: kept as rendered until
    # an application, a startup, a cohort or a program changes.
    return render_template(
        "applications/list.html", body=kept_body("applications-list", reads=LIST_READS, render=body)
    )


@bp.route("/applications/export.<any(csv, xlsx):fmt>")
@role_required(Role.STAFF)
def export(fmt: str):
    """The file at once, or for more than EXPORT_BACKGROUND_ROWS rows, a job with its page."""
    filters = ListFilters.from_args(request.args)
    if not exporting.runs_in_background(filters):
        return export_response(filters, fmt)
    job = exporting.start_export_job(request.args, fmt, actor=current_actor())
    db.session.commit()
    job_services.submit(job)
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.route("/applications/import", methods=["GET", "POST"])
@role_required(Role.STAFF)
def import_upload():
    form = ImportUploadForm()
    form.cohort.choices = cohort_choices()
    if form.validate_on_submit():
        cohort = db.session.get(Cohort, int(form.cohort.data))
        with refusals_beside(form):
            batch = importing.create_import(
                cohort=cohort, upload=form.file.data, actor=current_actor()
            )
            db.session.commit()
            return redirect(url_for(".import_preview", import_id=batch.id))
    return render_template(
        "applications/import_upload.html", form=form, imports=importing.recent_imports()
    )


@bp.route("/applications/import/sample.csv")
@role_required(Role.STAFF)
def import_sample():
    if not SAMPLE_CSV.exists():
        abort(404)
    response = Response(SAMPLE_CSV.read_bytes(), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        'attachment; filename="sample_applications_import.csv"'
    )
    return response


@bp.route("/applications/import/<int:import_id>", methods=["GET", "POST"])
@role_required(Role.STAFF)
def import_preview(import_id: int):
    batch = get_or_404(ApplicationImport, import_id, options=_BATCH_OPTIONS)
    if batch.state == ImportState.IMPORTED:
        return render_template("applications/import_done.html", batch=batch)
    columns = list(importing.read_batch(batch).columns)
    form = mapping_form(columns, batch.mapping)
    report = None
    if form.validate_on_submit() and form.run.data and importing.runs_in_background(batch):
        job = importing.start_import_job(
            batch,
            mapping=submitted_mapping(form, columns),
            mode=form.mode.data,
            actor=current_actor(),
        )
        db.session.commit()
        job_services.submit(job)
        return redirect(url_for("jobs.show", job_id=job.id))
    if form.validate_on_submit():
        with refusals_beside(form):
            report = _check_or_run(batch, form, submitted_mapping(form, columns))
            answered()  # the check's report is this POST's answer
        if batch.state == ImportState.IMPORTED:
            flash(_("%(n)d applications imported.", n=report.imported), "success")
            return redirect(url_for(".index", cohort=batch.cohort_id, sort="submitted"))
        batch = db.session.get(
            ApplicationImport, import_id, options=_BATCH_OPTIONS, populate_existing=True
        )
    report = report or importing.check(batch)
    return render_template(
        "applications/import_preview.html", batch=batch, report=report, form=form
    )


def _check_or_run(batch, form, mapping):
    """Save the mapping and check again, or import; one commit either way."""
    if form.run.data:
        report = importing.run_import(
            batch, mapping=mapping, mode=form.mode.data, actor=current_actor()
        )
        if not report.imported:
            note_refusal(status=422)
            flash(
                _(
                    "Nothing was imported: %(n)d rows have problems. Fix the file, or choose "
                    "to import only the good rows.",
                    n=len(report.problems),
                ),
                "warning",
            )
    else:
        report = importing.check(batch, mapping=mapping)
        batch.mapping = report.mapping
    db.session.commit()
    return report
