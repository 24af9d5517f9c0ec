"""Founders' pages: apply to a call, the application form, its status page, the pitch deck."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from accelerator.applications import bp, fields, services
from accelerator.applications.forms import ApplicationForm
from accelerator.applications.models import Application
from accelerator.applications.policies import can_edit_application, can_view_application
from accelerator.applications.queries import application_of
from accelerator.applications.services import ANSWER_FIELDS
from accelerator.applications.startups import enrolled_cohort_ids, needs_of, startup_of
from accelerator.applications.views_support import (
    application_context,
    detail_context,
    status_context,
)
from accelerator.applications.vocab import country_name
from accelerator.auth.models import Role
from accelerator.core.files import human_size, safe_filename, send_stored_file
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.extensions import db
from accelerator.programs.models import Cohort
from accelerator.programs.policies import can_view_cohort

from accelerator.applications import startup_views  # noqa: E402,F401  isort: skip
from accelerator.applications import staff_views  # noqa: E402,F401  isort: skip


bp.add_app_template_filter(human_size, "filesize")
# What the one answers partial (applications/_answers.html) reads, on every domain's pages.
bp.add_app_template_global(fields.answer_sections)
bp.add_app_template_global(needs_of)
bp.add_app_template_global(country_name)
# By key: a Field hashes its lazy label, which reads differently in each language.
bp.add_app_template_global(
    frozenset(f.key for f in (*fields.STARTUP_FIELDS, fields.NEEDS)), "startup_fields"
)


@bp.app_template_global()
def my_enrolled_cohort_ids() -> frozenset[int]:
    """For call pages and the founder's home: cohorts the signed-in founder is already in."""
    if "enrolled_cohort_ids" not in g:
        g.enrolled_cohort_ids = enrolled_cohort_ids(current_user)
    return g.enrolled_cohort_ids


def _call_url(cohort: Cohort) -> str:
    if "programs.call" in current_app.view_functions:
        return url_for("programs.call", cohort_id=cohort.id)
    return url_for("site.home")


_WITH_CALL = (
    joinedload(Application.cohort).joinedload(Cohort.program),
    joinedload(Application.startup),
)


def _load(application_id: int, policy) -> Application:
    return get_or_404(Application, application_id, policy=policy, options=_WITH_CALL)


@bp.route("/calls/<int:cohort_id>/apply", methods=["GET", "POST"])
@role_required(Role.FOUNDER)
def apply(cohort_id: int):
    cohort = get_or_404(
        Cohort, cohort_id, policy=can_view_cohort, options=[joinedload(Cohort.program)]
    )
    refusal_page(_call_url(cohort))
    startup = startup_of(current_user)
    if startup is None:
        flash(_("First, tell us about your startup; then you can apply."), "info")
        return redirect(url_for(".startup", next=url_for(".apply", cohort_id=cohort_id)))
    application = application_of(startup.id, cohort.id)
    form = ApplicationForm(currency=cohort.currency)
    if application is None and form.is_submitted():
        application = services.start_application(cohort, actor=current_actor())
    if application is not None and not can_edit_application(current_user, application):
        return redirect(url_for(".show", application_id=application.id))
    if application is not None and form.is_submitted():
        return _save_form(form, application)
    if application is not None:
        return redirect(url_for(".edit", application_id=application.id))
    if not cohort.is_open_for_applications:
        flash(_("This call is not open for applications."), "warning")
        return redirect(_call_url(cohort))
    return render_template(
        "applications/form.html", form=form, **application_context(None, cohort, startup)
    )


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
@role_required(Role.FOUNDER)
def edit(application_id: int):
    application = _load(application_id, can_view_application)
    if not can_edit_application(current_user, application):  # the template asks the same
        flash(_("This application is submitted: here is your copy."), "info")
        return redirect(url_for(".show", application_id=application.id))
    form = ApplicationForm(data={name: getattr(application, name) for name in ANSWER_FIELDS})
    if form.is_submitted():
        return _save_form(form, application)
    return render_template(
        "applications/form.html",
        form=form,
        **application_context(application, application.cohort, application.startup),
    )


def _save_form(form: ApplicationForm, application: Application):
    """Save every valid answer (and the deck), then submit if asked; one commit: a draft
    keeps what was right even when some answers are not."""
    actor = current_actor()
    form.validate()
    answers = {name: form[name].data for name in ANSWER_FIELDS if not form[name].errors}
    with refusals_beside(form):
        services.save_draft(application, actor=actor, answers=answers, deck=form.pitch_deck.data)
    valid = not any(field.errors for field in form)
    if valid and form.submit.data:
        with refusals_beside(form):
            services.submit_application(application, actor=actor)
            db.session.commit()
            flash(
                _("Your application is submitted. A confirmation is on its way by email."),
                "success",
            )
            return redirect(url_for(".show", application_id=application.id))
    db.session.commit()
    if valid and not form.submit.data:
        flash(_("Draft saved. Come back any time to finish it."), "success")
        return redirect(url_for(".edit", application_id=application.id))
    return _form_again(form, application.id, valid)


def _form_again(form: ApplicationForm, application_id: int, valid: bool):
    """The form shown again after a save, with what was typed and why it is not done."""
    if not valid:
        flash(
            _("Draft saved, except the fields marked in red: correct them and save again."),
            "warning",
        )
    # The commit expired what was loaded: load the call and startup again to show the form.
    application = db.session.get(
        Application, application_id, options=_WITH_CALL, populate_existing=True
    )
    return render_template(
        "applications/form.html",
        form=form,
        **application_context(application, application.cohort, application.startup),
    ), 200


@bp.route("/applications/<int:application_id>")
@login_required
def show(application_id: int):
    application = _load(application_id, can_view_application)
    if current_user.is_staff:
        return render_template("applications/detail.html", **detail_context(application))
    return render_template("applications/status.html", **status_context(application))


@bp.route("/applications/<int:application_id>/withdraw", methods=["POST"])
@role_required(Role.FOUNDER)
def withdraw(application_id: int):
    application = _load(application_id, can_view_application)
    refusal_page(url_for(".show", application_id=application.id))
    if ConfirmForm().validate_on_submit():
        services.withdraw_application(application, actor=current_actor())
        db.session.commit()
        flash(_("Your application is withdrawn."), "info")
    return redirect(url_for(".show", application_id=application.id))


@bp.route("/applications/<int:application_id>/deck")
@login_required
def deck(application_id: int):
    application = get_or_404(
        Application,
        application_id,
        policy=can_view_application,
        options=[joinedload(Application.startup), joinedload(Application.pitch_deck)],
    )
    if application.pitch_deck is None:
        abort(404)
    name = safe_filename(application.startup.name, default="startup") + "-pitch-deck.pdf"
    return send_stored_file(application.pitch_deck, download_name=name)
