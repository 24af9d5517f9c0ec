"""Staff pages of the panel: the testers (searched, filtered, paged), a tester (attributes,
consent, invitations, erasure), the panel's health, and the import of a CSV or XLSX file
(upload, map the columns, preview with each refused line's reasons, import)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, SubmitField

from accelerator.core.errors import InvalidState
from accelerator.core.forms import ConfirmForm, choices
from accelerator.core.i18n import gettext as _
from accelerator.core.pagination import paginate
from accelerator.core.permissions import Role, current_actor, get_or_404, role_required
from accelerator.core.refusals import answered, refusal_page, refusals_beside
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.jobs import services as job_services
from accelerator.testers import bp, importing, roster, services, sheets
from accelerator.testers.models import ATTRIBUTE_LABELS, ATTRIBUTES, Tester

#: The state filter's choices.
STATES = {
    "reachable": _l("On the panel"),
    "opted_out": _l("Opted out"),
    "erased": _l("Erased"),
}
_MAP = "map_"


# --- The panel -------------------------------------------------------------------------------


def _filters() -> roster.PanelFilters:
    """The list's filters from the query string: junk is ignored."""
    chosen = []
    for attribute, kind in ATTRIBUTES.items():
        value = request.args.get(attribute, "").strip()[:80]
        if not value:
            continue
        if kind is not None and value not in kind._value2member_map_:
            continue
        chosen.append((attribute, value.upper() if attribute == "country" else value))
    state = request.args.get("state", "")
    return roster.PanelFilters(
        q=request.args.get("q", "").strip()[:120],
        attributes=tuple(chosen),
        state=state if state in roster.PANEL_STATES else "",
    )


@bp.get("/panel")
@role_required(Role.STAFF)
def panel():
    filters = _filters()
    rows, count = roster.panel_list(filters)
    return render_template(
        "testers/panel/index.html",
        page=paginate(rows, count_statement=count),
        filters=filters,
        states=STATES,
        labels=ATTRIBUTE_LABELS,
        enums={name: kind for name, kind in ATTRIBUTES.items() if kind is not None},
    )


@bp.get("/panel/<int:tester_id>")
@role_required(Role.STAFF)
def panel_tester(tester_id: int):
    tester = get_or_404(Tester, tester_id)
    return render_template(
        "testers/panel/tester.html",
        tester=tester,
        invitations=roster.tester_invitations(tester.id),
        labels=ATTRIBUTE_LABELS,
        form=ConfirmForm(formdata=None),
    )


@bp.post("/panel/<int:tester_id>/erase")
@role_required(Role.STAFF)
def panel_erase(tester_id: int):
    tester = get_or_404(Tester, tester_id)
    refusal_page(url_for("testers.panel_tester", tester_id=tester.id))
    if ConfirmForm().validate_on_submit():
        if tester.erased_at is None:
            services.erase_tester(tester, actor=current_actor())
            db.session.commit()
            flash(_("The tester's data was erased; their answers still count, anonymous."))
        else:
            flash(_("This tester's data was already erased."), "info")
    return redirect(url_for("testers.panel_tester", tester_id=tester_id))


@bp.get("/panel/health")
@role_required(Role.STAFF)
def panel_health():
    return render_template("testers/panel/health.html", health=roster.panel_health(utcnow()))


# --- The import ------------------------------------------------------------------------------


class ImportUploadForm(FlaskForm):
    file = FileField(
        _l("CSV or Excel file"),
        render_kw={
            "accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument"
            ".spreadsheetml.sheet"
        },
    )
    submit = SubmitField(_l("Upload and preview"))


class _MappingBase(FlaskForm):
    check = SubmitField(_l("Check again"))
    run = SubmitField(_l("Import"))


def mapping_form(columns: list[str], mapping: dict[str, str]) -> FlaskForm:
    """One select per field of a tester, listing the file's columns."""
    options = choices([("", _l("(not imported)"))] + [(c, c) for c in columns])
    fields = {
        f"{_MAP}{spec.key}": SelectField(
            spec.label, choices=options, default=mapping.get(spec.key, "")
        )
        for spec in sheets.FIELDS
    }
    return type("TesterMappingForm", (_MappingBase,), fields)()


def submitted_mapping(form: FlaskForm, columns: list[str]) -> dict[str, str]:
    chosen = {spec.key: form[f"{_MAP}{spec.key}"].data for spec in sheets.FIELDS}
    return sheets.clean_mapping(chosen, columns)


@bp.route("/panel/import", methods=["GET", "POST"])
@role_required(Role.STAFF)
def panel_import():
    form = ImportUploadForm()
    if form.validate_on_submit():
        with refusals_beside(form):
            stored = importing.upload(form.file.data, actor=current_actor())
            db.session.commit()
            return redirect(url_for("testers.panel_import_preview", stored_file_id=stored.id))
    return render_template("testers/panel/import_upload.html", form=form)


@bp.route("/panel/import/<int:stored_file_id>", methods=["GET", "POST"])
@role_required(Role.STAFF)
def panel_import_preview(stored_file_id: int):
    stored = importing.stored_file(stored_file_id)
    done = importing.finished(stored)
    if done is not None:
        if request.method == "POST":  # a second click, another tab: the file is imported
            refusal_page(url_for("testers.panel_import_preview", stored_file_id=stored.id))
            raise InvalidState(_("This file was already imported."))
        return render_template("testers/panel/import_done.html", stored=stored, done=done)
    frame = importing.frame_of(stored)
    columns = list(frame.columns)
    form = mapping_form(columns, sheets.guess_mapping(columns))
    mapping = submitted_mapping(form, columns) if form.is_submitted() else None
    if form.validate_on_submit() and form.run.data:
        with refusals_beside(form):
            sheets.require_columns(mapping or {})
            if importing.runs_in_background(frame):
                job = importing.start_import_job(
                    stored, mapping=mapping or {}, rows=len(frame), actor=current_actor()
                )
                db.session.commit()
                job_services.submit(job)
                return redirect(url_for("jobs.show", job_id=job.id))
            report = importing.write(importing.check(frame, mapping), stored, actor=current_actor())
            db.session.commit()
            flash(
                _(
                    "%(created)d testers added, %(updated)d updated, %(refused)d lines refused.",
                    created=report.created,
                    updated=report.updated,
                    refused=len(report.refused),
                ),
                "success",
            )
            return redirect(url_for("testers.panel_import_preview", stored_file_id=stored.id))
    elif form.validate_on_submit():
        answered()  # the check with the chosen columns is this POST's answer
    report = importing.check(frame, mapping)
    return render_template(
        "testers/panel/import_preview.html",
        stored=stored,
        report=report,
        form=form,
        background=importing.runs_in_background(frame),
        required=sheets.REQUIRED_KEYS,
    )
